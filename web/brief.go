package web

import (
	"github.com/presale/presale/internal/read"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/presale/presale/views/pages"
)

// Handler of the printable meeting brief.

func (h *meetingHandlers) brief(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	u := signedIn(c)
	b, err := h.svc.Meetings.Brief(c.Request().Context(), u, id)
	if err != nil {
		return err
	}
	return h.site.render(c, http.StatusOK, pages.Brief(h.site.shell(c, "Brief: "+b.Meeting.Title), pages.BriefView{
		Meeting: b.Meeting, Deal: b.Deal, Account: b.Account, Owner: b.Owner, Contacts: b.Contacts, Attendees: read.PeopleOf(b.Attendees),
		Sync: syncPanel(b.Sync), ShowReserve: b.ShowReserve, Cleared: b.Cleared, Reserved: b.Reserved, Declined: b.Declined,
		Open: b.Open, Promises: b.Promises, LastOutcome: b.LastOutcome,
	}))
}
