package seed

import (
	"context"
	"crypto/rand"
	"fmt"
	mrand "math/rand/v2"
	"time"

	"github.com/presale/presale/internal/domain"
	"gorm.io/gorm"
)

// Synthetic fills an empty database with n deals spread over a large
// organisation (one account per ten deals, 30 sales, 15 DevRel, 3
// managers), each with a meeting and, for most, a DevRel and an offer. It
// is for benchmarks: the numbers are shaped like a real pipeline, the
// words are not. Users sign in with DemoPassword as syntheticN@bench.test.
func Synthetic(ctx context.Context, g *gorm.DB, hash Hasher, n int, now time.Time) error {
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
		add(domain.RoleSales, 30)
		add(domain.RoleDevRel, 15)
		add(domain.RoleManager, 3)
		if err := tx.CreateInBatches(&users, batch).Error; err != nil {
			return err
		}
		sales, devrel := users[:30], users[30:45]
		w := &writer{tx: tx}
		if money(w, users[45].ID, now); w.err != nil {
			return w.err
		}

		accounts := make([]domain.Account, max(1, n/10))
		for i := range accounts {
			accounts[i] = domain.Account{Name: fmt.Sprintf("Account %05d", i+1), Domain: fmt.Sprintf("acct%d.example", i+1), Industry: "Synthetic", CreatedAt: now, UpdatedAt: now}
		}
		if err := tx.CreateInBatches(&accounts, batch).Error; err != nil {
			return err
		}

		deals := make([]domain.Deal, n)
		for i := range deals {
			stage := domain.Stages[rng.IntN(len(domain.Stages))]
			created := now.Add(-time.Duration(rng.IntN(365*24)) * time.Hour)
			d := domain.Deal{AccountID: accounts[i%len(accounts)].ID, Title: fmt.Sprintf("Deal %06d", i+1), OwnerID: sales[rng.IntN(len(sales))].ID,
				AmountMinor: int64(rng.IntN(500000)) * 100, Currency: domain.Currencies[rng.IntN(4)], ExpectedCloseDate: day(now, rng.IntN(240)-60),
				TechnicalStatus: domain.TechnicalStatuses[rng.IntN(len(domain.TechnicalStatuses))], Version: 1, CreatedAt: created, UpdatedAt: created}
			d.SetStage(stage, created)
			deals[i] = d
		}
		if err := tx.CreateInBatches(&deals, batch).Error; err != nil {
			return err
		}

		var assignments []domain.Assignment
		var meetings []domain.Meeting
		var offers []domain.Offer
		var events []domain.Event
		for i := range deals {
			d := &deals[i]
			events = append(events, domain.Event{ActorID: &d.OwnerID, Action: "created", Entity: "deal", EntityID: d.ID, DealID: &d.ID, After: d.Title, At: d.CreatedAt})
			start := now.Add(time.Duration(rng.IntN(60*24)-30*24) * time.Hour)
			status := domain.MeetingScheduled
			if start.Before(now) {
				status = domain.MeetingHeld
			}
			meetings = append(meetings, domain.Meeting{DealID: d.ID, Title: "Meeting on " + d.Title, Type: domain.MeetingTypes[rng.IntN(len(domain.MeetingTypes))],
				StartsAt: start, EndsAt: start.Add(time.Hour), Status: status, CreatedAt: d.CreatedAt, UpdatedAt: d.CreatedAt})
			if rng.IntN(10) < 6 {
				dev := devrel[rng.IntN(len(devrel))]
				assignments = append(assignments, domain.Assignment{DealID: d.ID, UserID: dev.ID, Role: domain.AssignmentLead, Active: !d.Stage.Closed(), ClaimedAt: d.CreatedAt})
				offers = append(offers, domain.Offer{DealID: d.ID, ProposedByID: dev.ID, Title: "Idea for " + d.Title, Kind: domain.OfferKinds[rng.IntN(len(domain.OfferKinds))],
					Status: domain.OfferStatuses[rng.IntN(len(domain.OfferStatuses))], Version: 1, CreatedAt: d.CreatedAt, UpdatedAt: d.CreatedAt})
			}
		}
		for _, rows := range []any{&assignments, &meetings, &offers, &events} {
			if err := tx.CreateInBatches(rows, batch).Error; err != nil {
				return err
			}
		}
		return fillLastActivity(tx)
	})
	if err != nil || g.Dialector.Name() != "postgres" {
		return err
	}
	// PostgreSQL plans by its statistics, which autovacuum gathers some
	// time after a bulk load; gather them now, as an operator would.
	return g.WithContext(ctx).Exec("ANALYZE").Error
}
