package web

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/service"
)

// setArchived archives or restores a deal, account or contact: one handler
// the three areas share, so it stays with what they share.
func (s *Server) setArchived(entity domain.Entity, archive bool) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := idParam(c)
		if err != nil {
			return err
		}
		undo, err := s.svc.SetArchived(c.Request().Context(), signedIn(c), entity, id, archive)
		if err != nil {
			return err
		}
		noun := entity.Noun()
		if archive {
			s.flashUndo(c, "The "+noun+" is archived: it has left lists, search, desks and coverage.", undo)
		} else {
			s.flash(c, "The "+noun+" is restored.")
		}
		return c.Redirect(http.StatusSeeOther, service.ArchivablePath(entity, id))
	}
}
