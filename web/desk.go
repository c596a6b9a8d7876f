package web

import (
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/store"
	"github.com/presale/presale/views/pages"
)

func (s *Server) desk(c echo.Context) error {
	ctx := c.Request().Context()
	u := signedIn(c)
	d := pages.Desk{Role: u.Role, Now: s.svc.Now(), Later: deskLater[u.Role], Capacity: capacity(u)}
	var err error
	switch u.Role {
	case domain.RoleSales:
		if d.Meetings, err = s.svc.MyMeetings(ctx, u, 7); err != nil {
			return err
		}
		if d.Review, _, err = s.svc.ReviewQueue(ctx, u, store.Page{Size: 5}); err != nil {
			return err
		}
		d.Promises, _, err = s.svc.Promises(ctx, store.PromiseFilter{OwnerID: u.ID, Due: "soon", Page: store.Page{Size: 5}})
	case domain.RoleDevRel:
		if d.Load, err = s.svc.DevRelLoad(ctx, u); err != nil {
			return err
		}
		if d.Load < d.Capacity {
			if d.Requests, _, err = s.svc.SupportBoard(ctx, store.SupportFilter{Page: store.Page{Size: 5}}); err != nil {
				return err
			}
		}
		if d.Carried, err = s.svc.CarriedDeals(ctx, u); err != nil {
			return err
		}
		var soon []store.MeetingRow
		if soon, err = s.svc.MyMeetings(ctx, u, 7); err != nil {
			return err
		}
		d.Meetings = slices.DeleteFunc(soon, func(m store.MeetingRow) bool {
			st := m.SyncState()
			return st == domain.SyncInSync || st == domain.SyncNotNeeded
		})
		if d.Questions, err = s.svc.OpenQuestionsOf(ctx, u); err != nil {
			return err
		}
		d.Promises, _, err = s.svc.Promises(ctx, store.PromiseFilter{RatedBy: u.ID, Feasibility: domain.FeasibilityUnreviewed, Status: domain.PromiseOpen, Page: store.Page{Size: 5}})
	}
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, pages.DeskPage(s.shell(c, "My desk"), d))
}

// deskLater are the panels of each role's desk whose features are still
// to come; each goes once its feature lands.
var deskLater = map[domain.Role][]pages.DeskSection{
	domain.RoleSales: {
		{Title: "Deals without DevRel", TestID: "desk-uncovered", Empty: "Your deals with a meeting coming and no DevRel assigned will be listed here."},
	},
	domain.RoleManager: {
		{Title: "Coverage summary", TestID: "desk-coverage", Empty: "Open pipeline with and without DevRel, by stage and salesperson, will be shown here."},
		{Title: "At risk this week", TestID: "desk-risk", Empty: "Meetings without DevRel or out of sync, overdue requests and risky promises will be listed here."},
	},
}
