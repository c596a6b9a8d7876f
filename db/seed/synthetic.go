package seed

import (
	"context"
	"crypto/rand"
	"fmt"
	mrand "math/rand/v2"
	"time"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/store"
	"gorm.io/gorm"
)

// Shape is how big a synthetic organisation is around its deals.
type Shape struct {
	Sales, DevRel, Managers int
	// Every Busiest-th deal goes to the first salesperson, on top of their
	// share (0: none): a team's busiest seller, with a third more deals
	// than the rest.
	Busiest int
	// Support: requests for DevRel, and who attends the upcoming meetings
	// of deals with DevRel and their syncs.
	Support bool
	// Per deal, on average: meetings, offers (on deals with DevRel),
	// promises and events.
	Meetings, Offers, Promises, Events int
}

// Sizes of synthetic organisation: Small (the default) gives each deal a
// meeting and, for most, a DevRel and an offer; Team is a whole team's
// years: with 50,000 deals, 250,000 meetings, 150,000 offers, 50,000
// promises and 1,000,000 events, 50 salespeople (the busiest owns about
// 1,700 deals), 15 DevRel, 3 managers; one open deal in eight asked for
// support, and the upcoming meetings of deals with DevRel have their
// attendees and, mostly, a sync.
var (
	Small = Shape{Sales: 30, DevRel: 15, Managers: 3, Meetings: 1, Offers: 1, Promises: 0, Events: 1}
	Team  = Shape{Sales: 50, DevRel: 15, Managers: 3, Busiest: 70, Support: true, Meetings: 5, Offers: 5, Promises: 1, Events: 20}
)

// Synthetic fills an empty database with n deals in a Small organisation.
func Synthetic(ctx context.Context, g *gorm.DB, hash Hasher, n int, now time.Time) error {
	return SyntheticShaped(ctx, g, hash, n, Small, now)
}

// SyntheticShaped fills an empty database with n deals spread over an
// organisation of the given shape (one account per ten deals). It is for
// benchmarks: the numbers are shaped like a real pipeline, the words are
// not. Users sign in with DemoPassword as syntheticN@bench.test, salespeople
// first, then DevRel, then managers.
func SyntheticShaped(ctx context.Context, g *gorm.DB, hash Hasher, n int, shape Shape, now time.Time) error {
	ok, err := empty(ctx, g)
	if err != nil {
		return err
	}
	if !ok {
		return ErrNotEmpty
	}
	pw, err := hash(DemoPassword)
	if err != nil {
		return err
	}
	now = now.UTC().Truncate(time.Second)
	rng := mrand.New(mrand.NewPCG(42, uint64(n)))
	const batch = 500
	err = g.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var users []domain.User
		add := func(role domain.Role, count int) {
			for range count {
				i := len(users) + 1
				users = append(users, domain.User{Name: fmt.Sprintf("%s %d", role.Label(), i), Email: fmt.Sprintf("synthetic%d@bench.test", i),
					Role: role, Admin: role == domain.RoleManager, Active: true, PasswordHash: pw, Capacity: 40, TimeZone: "UTC",
					CalendarToken: rand.Text(), CreatedAt: now, UpdatedAt: now})
			}
		}
		add(domain.RoleSales, shape.Sales)
		add(domain.RoleDevRel, shape.DevRel)
		add(domain.RoleManager, shape.Managers)
		if err := tx.CreateInBatches(&users, batch).Error; err != nil {
			return err
		}
		sales, devrel := users[:shape.Sales], users[shape.Sales:shape.Sales+shape.DevRel]
		w := &writer{tx: tx}
		if money(w, users[shape.Sales+shape.DevRel].ID, now); w.err != nil {
			return w.err
		}

		accounts := make([]domain.Account, max(1, n/10))
		for i := range accounts {
			accounts[i] = domain.Account{Name: fmt.Sprintf("Account %05d", i+1), Domain: fmt.Sprintf("acct%d.example", i+1), Industry: "Synthetic", CreatedAt: now, UpdatedAt: now}
		}
		if err := tx.CreateInBatches(&accounts, batch).Error; err != nil {
			return err
		}

		// Deals go in chunks, each with what hangs off it, so a team's
		// million events never sit in memory at once.
		const chunk = 1000
		for from := 0; from < n; from += chunk {
			deals := make([]domain.Deal, min(chunk, n-from))
			plans := make([]*closedPlan, len(deals))
			for j := range deals {
				i := from + j
				stage := domain.Stages[rng.IntN(len(domain.Stages))]
				created := now.Add(-time.Duration(rng.IntN(365*24)) * time.Hour)
				owner := sales[rng.IntN(len(sales))].ID
				if shape.Busiest > 0 && i%shape.Busiest == 0 {
					owner = sales[0].ID
				}
				d := domain.Deal{AccountID: accounts[i%len(accounts)].ID, Title: fmt.Sprintf("Deal %06d", i+1), OwnerID: owner,
					AmountMinor: int64(rng.IntN(500000)) * 100, Currency: domain.Currencies[rng.IntN(4)], ExpectedCloseDate: day(now, rng.IntN(240)-60),
					TechnicalStatus: domain.TechnicalStatuses[rng.IntN(len(domain.TechnicalStatuses))], Version: 1, CreatedAt: created, UpdatedAt: created}
				d.SetStage(stage, created)
				if stage.Closed() {
					plan := plantClose(rng, &d, now)
					plans[j] = &plan
				}
				deals[j] = d
			}
			if err := tx.CreateInBatches(&deals, batch).Error; err != nil {
				return err
			}
			if err := syntheticWork(tx, rng, deals, plans, sales, devrel, shape, now, batch); err != nil {
				return err
			}
		}
		if err := fillLastActivity(tx); err != nil {
			return err
		}
		// The rows went in without the service: their derived state is
		// worked out from them, as `presale rebuild` does.
		return store.New(tx, tx).Derived().Rebuild(ctx)
	})
	if err != nil {
		return err
	}
	// Both engines plan by their statistics, which PostgreSQL's autovacuum
	// gathers some time after a bulk load and SQLite when it closes
	// (PRAGMA optimize); gather them now, as an operator would.
	if err := g.WithContext(ctx).Exec("ANALYZE").Error; err != nil || g.Dialector.Name() == "postgres" {
		return err
	}
	// SQLite's write-ahead log now holds the whole load, which every
	// reader would search page by page until a checkpoint empties it.
	return g.WithContext(ctx).Exec("PRAGMA wal_checkpoint(TRUNCATE)").Error
}

// syntheticWork adds to deals their DevRel, meetings, offers, promises and
// events, as the shape says, and to the closed ones what their plans
// planted (plans[i] is deals[i]'s, nil for an open deal).
func syntheticWork(tx *gorm.DB, rng *mrand.Rand, deals []domain.Deal, plans []*closedPlan, sales, devrel []domain.User, shape Shape, now time.Time, batch int) error {
	var assignments []domain.Assignment
	var meetings []domain.Meeting
	var offers []domain.Offer
	var promises []domain.Promise
	var events []domain.Event
	var requests []domain.SupportRequest
	var planted plantedRows
	devOf := map[int64]int64{} // deal → its DevRel, for the deals that have one
	ownerOf := map[int64]int64{}
	for i := range deals {
		d := &deals[i]
		ownerOf[d.ID] = d.OwnerID
		for e := range shape.Events {
			action, at := "created", d.CreatedAt
			if e > 0 {
				action, at = "updated", d.CreatedAt.Add(time.Duration(e)*time.Hour)
			}
			events = append(events, domain.Event{ActorID: &d.OwnerID, Action: action, Entity: "deal", EntityID: d.ID, DealID: &d.ID, After: d.Title, At: at})
		}
		for range shape.Meetings {
			start := now.Add(time.Duration(rng.IntN(60*24)-30*24) * time.Hour)
			status := domain.MeetingScheduled
			if start.Before(now) {
				status = domain.MeetingHeld
			}
			meetings = append(meetings, domain.Meeting{DealID: d.ID, Title: "Meeting on " + d.Title, Type: domain.MeetingTypes[rng.IntN(len(domain.MeetingTypes))],
				StartsAt: start, EndsAt: start.Add(time.Hour), Status: status, CreatedAt: d.CreatedAt, UpdatedAt: d.CreatedAt})
		}
		if plan := plans[i]; plan != nil && plan.room {
			dev := devrel[rng.IntN(len(devrel))]
			devOf[d.ID] = dev.ID
			assignments = append(assignments, domain.Assignment{DealID: d.ID, UserID: dev.ID, Role: domain.AssignmentLead, Active: false, ClaimedAt: d.CreatedAt})
			plantRoom(*plan, *d, dev.ID, &planted)
		} else if rng.IntN(10) < 6 {
			dev := devrel[rng.IntN(len(devrel))]
			devOf[d.ID] = dev.ID
			assignments = append(assignments, domain.Assignment{DealID: d.ID, UserID: dev.ID, Role: domain.AssignmentLead, Active: !d.Stage.Closed(), ClaimedAt: d.CreatedAt})
			for range shape.Offers {
				offers = append(offers, domain.Offer{DealID: d.ID, ProposedByID: dev.ID, Title: "Idea for " + d.Title, Kind: domain.OfferKinds[rng.IntN(len(domain.OfferKinds))],
					Status: domain.OfferStatuses[rng.IntN(len(domain.OfferStatuses))], Version: 1, CreatedAt: d.CreatedAt, UpdatedAt: d.CreatedAt})
			}
		}
		// One open deal in eight asked DevRel for support: still open
		// without DevRel, claimed with.
		if shape.Support && !d.Stage.Closed() && rng.IntN(8) == 0 {
			r := domain.SupportRequest{DealID: d.ID, RequestedByID: d.OwnerID, Kind: domain.SupportKinds[rng.IntN(len(domain.SupportKinds))],
				NeededBy: day(now, rng.IntN(28)-7), Details: "Support for " + d.Title, Status: domain.SupportOpen, Version: 1, CreatedAt: d.CreatedAt, UpdatedAt: d.CreatedAt}
			if dev, ok := devOf[d.ID]; ok {
				r.Status, r.ClaimedByID, r.ClaimedAt = domain.SupportClaimed, &dev, &d.CreatedAt
			}
			requests = append(requests, r)
		}
		for range shape.Promises {
			promises = append(promises, domain.Promise{DealID: d.ID, MadeByID: d.OwnerID, OwnerID: d.OwnerID, Text: "Promise on " + d.Title,
				Kind: domain.PromiseKinds[rng.IntN(len(domain.PromiseKinds))], Feasibility: domain.Feasibilities[rng.IntN(len(domain.Feasibilities))],
				DueDate: day(now, rng.IntN(120)-30), Status: domain.PromiseOpen, Version: 1, CreatedAt: d.CreatedAt, UpdatedAt: d.CreatedAt})
		}
	}
	for _, rows := range []any{&assignments, &meetings, &offers, &promises, &events, &requests} {
		if err := tx.CreateInBatches(rows, batch).Error; err != nil {
			return err
		}
	}
	if err := planted.write(func(rows any) error { return tx.CreateInBatches(rows, batch).Error }); err != nil {
		return err
	}
	if !shape.Support {
		return nil
	}
	// The salesperson and the DevRel of the deal attend its upcoming
	// meetings; two in three have a sync, most of them confirmed by both.
	var attendees []domain.MeetingAttendee
	var syncs []domain.Sync
	for _, m := range meetings {
		dev, ok := devOf[m.DealID]
		if !ok || m.Status != domain.MeetingScheduled {
			continue
		}
		owner := ownerOf[m.DealID]
		attendees = append(attendees, domain.MeetingAttendee{MeetingID: m.ID, UserID: owner}, domain.MeetingAttendee{MeetingID: m.ID, UserID: dev})
		switch rng.IntN(6) {
		case 0, 1:
		case 2:
			syncs = append(syncs, domain.Sync{MeetingID: m.ID, Notes: "Agreed the demo", SalesConfirmedAt: &m.CreatedAt, SalesConfirmedBy: &owner,
				Version: 1, CreatedAt: m.CreatedAt, UpdatedAt: m.CreatedAt})
		default:
			at := now.Add(-time.Duration(rng.IntN(72)) * time.Hour)
			syncs = append(syncs, domain.Sync{MeetingID: m.ID, Notes: "Agreed the demo", SalesConfirmedAt: &at, SalesConfirmedBy: &owner,
				DevRelConfirmedAt: &at, DevRelConfirmedBy: &dev, Version: 1, CreatedAt: at, UpdatedAt: at})
		}
	}
	for _, rows := range []any{&attendees, &syncs} {
		if err := tx.CreateInBatches(rows, batch).Error; err != nil {
			return err
		}
	}
	return nil
}
