package web

import (
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
	"github.com/presale/presale/internal/service"
	"github.com/presale/presale/views/pages"
)

func (s *Server) desk(c echo.Context) error {
	ctx := c.Request().Context()
	u := signedIn(c)
	d := pages.Desk{Role: u.Role, Now: s.svc.Now(), Capacity: u.EffectiveCapacity()}
	var err error
	if d.Tasks, d.Today, err = s.svc.DueTasks(ctx, u, s.location(c)); err != nil {
		return err
	}
	switch u.Role {
	case domain.RoleSales:
		if d.NoNext, err = s.svc.DealsWithoutNextStep(ctx, u); err != nil {
			return err
		}
		if d.Meetings, err = s.svc.MyMeetings(ctx, u, 7); err != nil {
			return err
		}
		for _, m := range d.Meetings {
			if m.OwnerID == u.ID && m.WaitsOnSales() {
				d.Syncs = append(d.Syncs, m)
			}
		}
		if d.Review, _, err = s.svc.ReviewQueue(ctx, u, read.Top(5)); err != nil {
			return err
		}
		if d.Uncovered, err = s.svc.UncoveredSoon(ctx, u); err != nil {
			return err
		}
		d.Promises, _, err = s.svc.Promises(ctx, read.PromiseFilter{OwnerID: u.ID, Due: "soon", Page: read.Top(5)})
	case domain.RoleDevRel:
		if d.Load, err = s.svc.DevRelLoad(ctx, u); err != nil {
			return err
		}
		if u.HasRoomFor(d.Load) {
			if d.Requests, _, err = s.svc.SupportBoard(ctx, read.SupportFilter{Page: read.Top(5)}); err != nil {
				return err
			}
		}
		if d.Carried, err = s.svc.CarriedDeals(ctx, u); err != nil {
			return err
		}
		var soon []read.MeetingRow
		if soon, err = s.svc.MyMeetings(ctx, u, 7); err != nil {
			return err
		}
		d.Meetings = slices.DeleteFunc(soon, func(m read.MeetingRow) bool {
			st := m.SyncState()
			return st == domain.SyncInSync || st == domain.SyncNotNeeded
		})
		if d.Questions, err = s.svc.OpenQuestionsOf(ctx, u); err != nil {
			return err
		}
		d.Promises, _, err = s.svc.Promises(ctx, read.PromiseFilter{RatedBy: u.ID, Feasibility: domain.FeasibilityUnreviewed, Status: domain.PromiseOpen, Page: read.Top(5)})
	case domain.RoleManager:
		var risk service.AtRiskThisWeek
		if risk, err = s.svc.AtRisk(ctx, u); err != nil {
			return err
		}
		d.Meetings, d.Total, d.Support, d.Risk = risk.Meetings, risk.Total, risk.Support, risk.Promises
	}
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, pages.DeskPage(s.shell(c, "My desk"), d))
}
