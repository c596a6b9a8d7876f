package web

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/presale/presale/views/pages"
)

func (s *Server) desk(c echo.Context) error {
	u := signedIn(c)
	d, err := s.svc.Desk(c.Request().Context(), u, s.location(c))
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, pages.DeskPage(s.shell(c, "My desk"), pages.Desk{Desk: d, Role: u.Role, Now: s.svc.Now(), Capacity: u.EffectiveCapacity()}))
}
