package web

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/presale/presale/views/pages"
)

// Handlers of the in-app inbox.

func (s *Server) inbox(c echo.Context) error {
	p := page(c)
	items, total, err := s.svc.Notifications(c.Request().Context(), signedIn(c), p)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, pages.Inbox(s.shell(c, "Notifications"), pages.InboxView{Items: items, Pager: pager(c, p, total, "notifications")}))
}

func (s *Server) markRead(c echo.Context) error {
	var id int64
	if c.Param("id") != "" {
		var err error
		if id, err = idParam(c); err != nil {
			return err
		}
	}
	if err := s.svc.MarkRead(c.Request().Context(), signedIn(c), id); err != nil {
		return err
	}
	return back(c, "/notifications")
}
