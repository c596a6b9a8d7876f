package web

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/presale/presale/internal/service"
	"github.com/presale/presale/views/pages"
)

// deskHandlers serve what a person opens to see their own work: the desk,
// the search box (search.go) and the inbox (notifications.go).
type deskHandlers struct {
	svc  *service.Service
	site site
}

func (h *deskHandlers) desk(c echo.Context) error {
	u := signedIn(c)
	d, err := h.svc.Desk.Desk(c.Request().Context(), u, h.site.location(c))
	if err != nil {
		return err
	}
	return h.site.render(c, http.StatusOK, pages.DeskPage(h.site.shell(c, "My desk"), pages.Desk{Desk: d, Role: u.Role, Now: h.svc.Now(), Capacity: u.EffectiveCapacity()}))
}
