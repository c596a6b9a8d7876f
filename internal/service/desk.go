package service

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
)

// Desk is what a person finds waiting: their desk, the coverage review
// (coverage.go), the search box (search.go) and the inbox
// (notifications.go). It reads the other areas.
type Desk struct {
	*core
	organisation *Organisation
	deals        *Deals
	meetings     *Meetings
	offers       *Offers
	support      *Support
}

// Desk loads a person's desk for their role, their day counted in loc.
// The desk read last for them is used again while nothing in the
// organisation has changed and its minute lasts; what is returned is
// shared.
func (s *Desk) Desk(ctx context.Context, u domain.User, loc *time.Location) (read.Desk, error) {
	key := orgKey{what: "desk", args: fmt.Sprint(u.ID, " ", u.Role, " ", u.Capacity, " ", loc)} // a desk is its role's
	return keptOrgRead(ctx, s.core, key, func(ctx context.Context) (read.Desk, error) { return s.readDesk(ctx, u, loc) })
}

// readDesk reads a desk from the database.
func (s *Desk) readDesk(ctx context.Context, u domain.User, loc *time.Location) (read.Desk, error) {
	var d read.Desk
	var err error
	if d.Tasks, d.Today, err = s.deals.DueTasks(ctx, u, loc); err != nil {
		return d, err
	}
	switch u.Role {
	case domain.RoleSales:
		if d.NoNext, err = s.deals.DealsWithoutNextStep(ctx, u); err != nil {
			return d, err
		}
		if d.Meetings, err = s.meetings.MyMeetings(ctx, u, 7); err != nil {
			return d, err
		}
		for _, m := range d.Meetings {
			if m.OwnerID == u.ID && m.WaitsOnSales() {
				d.Syncs = append(d.Syncs, m)
			}
		}
		if d.Review, _, err = s.offers.ReviewQueue(ctx, u, read.Top(5)); err != nil {
			return d, err
		}
		if d.Uncovered, err = s.UncoveredSoon(ctx, u); err != nil {
			return d, err
		}
		d.Promises, _, err = s.offers.Promises(ctx, read.PromiseFilter{OwnerID: u.ID, Due: "soon", Page: read.Top(5)})
	case domain.RoleDevRel:
		if d.Load, err = s.support.DevRelLoad(ctx, u); err != nil {
			return d, err
		}
		if u.HasRoomFor(d.Load) {
			if d.Requests, _, err = s.support.SupportBoard(ctx, read.SupportFilter{Page: read.Top(5)}); err != nil {
				return d, err
			}
		}
		if d.Carried, err = s.support.CarriedDeals(ctx, u); err != nil {
			return d, err
		}
		var soon []read.MeetingRow
		if soon, err = s.meetings.MyMeetings(ctx, u, 7); err != nil {
			return d, err
		}
		d.Meetings = slices.DeleteFunc(soon, func(m read.MeetingRow) bool {
			st := m.SyncState()
			return st == domain.SyncInSync || st == domain.SyncNotNeeded
		})
		if d.Questions, err = s.meetings.OpenQuestionsOf(ctx, u); err != nil {
			return d, err
		}
		d.Promises, _, err = s.offers.Promises(ctx, read.PromiseFilter{RatedBy: u.ID, Feasibility: domain.FeasibilityUnreviewed, Status: domain.PromiseOpen, Page: read.Top(5)})
	case domain.RoleManager:
		var risk AtRiskThisWeek
		if risk, err = s.AtRisk(ctx, u); err != nil {
			return d, err
		}
		d.Meetings, d.Total, d.Support, d.Risk = risk.Meetings, risk.Total, risk.Support, risk.Promises
	}
	return d, err
}
