package web

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/service"
	"github.com/presale/presale/views/components"
	"github.com/presale/presale/views/pages"
)

// Handlers of the pre-meeting sync: record it, confirm it.

func (h *meetingHandlers) saveSync(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	in := domain.SyncInput{Notes: c.FormValue("notes"), MayRaise: c.FormValue("may_raise"), Avoid: c.FormValue("avoid")}
	if _, err := h.svc.Meetings.SaveSync(c.Request().Context(), signedIn(c), id, formVersion(c), in); err != nil {
		return err
	}
	h.site.flash(c, "Sync notes saved. Both sides confirm them before the meeting.")
	return c.Redirect(http.StatusSeeOther, components.Path("/meetings/", id)+"#sync")
}

func (h *meetingHandlers) confirmSync(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	sy, err := h.svc.Meetings.ConfirmSync(c.Request().Context(), signedIn(c), id)
	if err != nil {
		return err
	}
	msg := "Confirmed. Waiting for the other side."
	if sy.SalesConfirmedAt != nil && sy.DevRelConfirmedAt != nil {
		msg = "Confirmed: you are in sync for this meeting."
	}
	h.site.flash(c, msg)
	return c.Redirect(http.StatusSeeOther, components.Path("/meetings/", id)+"#sync")
}

// syncPanel shows the service's sync detail.
func syncPanel(d service.SyncDetail) pages.SyncPanel {
	return pages.SyncPanel{Sync: d.Sync, State: d.State, DevRelAttending: d.DevRelAttending, SalesName: d.SalesName,
		DevRelName: d.DevRelName, ChangedSince: d.ChangedSince, NeedsAttention: d.NeedsAttention}
}
