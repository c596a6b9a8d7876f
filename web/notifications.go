package web

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/presale/presale/views/pages"
)

// Handlers of the in-app inbox.

func (h *deskHandlers) inbox(c echo.Context) error {
	p := page(c)
	items, total, err := h.svc.Desk.Inbox(c.Request().Context(), signedIn(c), p)
	if err != nil {
		return err
	}
	return h.site.render(c, http.StatusOK, pages.Inbox(h.site.shell(c, "Notifications"), pages.InboxView{Items: items, Pager: pager(c, p, total, "notifications")}))
}

func (h *deskHandlers) markRead(c echo.Context) error {
	var id int64
	if c.Param("id") != "" {
		var err error
		if id, err = idParam(c); err != nil {
			return err
		}
	}
	if err := h.svc.Desk.MarkRead(c.Request().Context(), signedIn(c), id); err != nil {
		return err
	}
	return back(c, "/notifications")
}
