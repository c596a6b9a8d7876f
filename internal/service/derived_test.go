package service_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/presale/presale/db"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
	"github.com/presale/presale/internal/service"
	"github.com/presale/presale/internal/store"
	"github.com/presale/presale/internal/testenv"
)

// Derived state is one Go rule kept in the writing transaction: after
// every change of a random sequence (fixed seeds, both engines, two
// instances sharing the database), what the changes kept is what a
// rebuild from the rows gives, and the pages the other instance kept are
// what it reads afresh: a deal's page at once, reads across the
// organisation after OrganisationLag.
func TestDerivedStateFollowsEveryChange(t *testing.T) {
	testenv.ForEachEngineTwice(t, func(t *testing.T, a, b *db.DB) {
		for _, seed := range []uint64{1, 2, 3} {
			t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) { randomChanges(t, a, b, seed, 40) })
		}
	})
}

func randomChanges(t *testing.T, a, b *db.DB, seed uint64, steps int) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(seed, 26))
	now := &clock{now: time.Now().UTC().Truncate(time.Second)}
	w := testenv.NewWorld(t, a, now.Now)
	svc := w.Svc
	sales := []domain.User{w.User(fmt.Sprint("Sam ", seed), domain.RoleSales), w.User(fmt.Sprint("Sue ", seed), domain.RoleSales)}
	manager := w.User(fmt.Sprint("Mia ", seed), domain.RoleManager, testenv.Admin)
	devrel := []domain.User{w.User(fmt.Sprint("Dev A ", seed), domain.RoleDevRel, testenv.Capacity(3)), w.User(fmt.Sprint("Dev B ", seed), domain.RoleDevRel, testenv.Capacity(3))}
	acc, _ := w.Account(sales[0], fmt.Sprint("Northwind ", seed))
	viewing := service.New(store.New(b.Write, b.Read), service.WithClock(now.Now))
	fresh := func() *service.Service { return service.New(store.New(b.Write, b.Read), service.WithClock(now.Now)) }

	var deals []int64
	var meetings, requests, offers, promises []int64
	pick := func(ids []int64) (int64, bool) {
		if len(ids) == 0 {
			return 0, false
		}
		return ids[rng.IntN(len(ids))], true
	}
	person := func(us []domain.User) domain.User { return us[rng.IntN(len(us))] }
	stages := []string{"prospecting", "discovery", "evaluation", "proposal", "negotiation", "closed_won", "closed_lost"}
	changes := []struct {
		name string
		do   func() error
	}{
		{"a deal created", func() error {
			d, err := svc.Deals.CreateDeal(ctx, sales[0], domain.DealInput{Title: fmt.Sprint("Deal ", len(deals)), AccountID: fmt.Sprint(acc.ID),
				Stage: stages[rng.IntN(5)], Amount: fmt.Sprint(1000 * (1 + rng.IntN(9))), Currency: []string{"USD", "EUR"}[rng.IntN(2)]})
			if err == nil {
				deals = append(deals, d.ID)
			}
			return err
		}},
		{"a deal moved, repriced or handed over", func() error {
			id, ok := pick(deals)
			if !ok {
				return nil
			}
			d, err := w.Store.Deals().DealByID(ctx, id)
			if err != nil {
				return err
			}
			_, err = svc.Deals.UpdateDeal(ctx, manager, id, d.Version, domain.DealInput{Title: d.Title, AccountID: fmt.Sprint(acc.ID), OwnerID: fmt.Sprint(person(sales).ID),
				Stage: stages[rng.IntN(len(stages))], Amount: fmt.Sprint(500 * (1 + rng.IntN(9))), Currency: d.Currency, LostReason: "price"})
			return err
		}},
		{"a deal archived or restored", func() error {
			id, ok := pick(deals)
			if !ok {
				return nil
			}
			_, err := svc.SetArchived(ctx, manager, domain.EntityDeal, id, rng.IntN(2) == 0)
			return err
		}},
		{"support requested and claimed", func() error {
			id, ok := pick(deals)
			if !ok {
				return nil
			}
			r, err := svc.Support.RequestSupport(ctx, sales[0], id, domain.SupportInput{Kind: "demo", Details: "A demo"})
			if err != nil {
				return err
			}
			requests = append(requests, r.ID)
			_, err = svc.Support.AssignSupport(ctx, manager, r.ID, person(devrel).ID, true)
			return err
		}},
		{"a DevRel released", func() error {
			id, ok := pick(requests)
			if !ok {
				return nil
			}
			_, _, err := svc.Support.ReleaseSupport(ctx, manager, id, rng.IntN(2) == 0)
			return err
		}},
		{"a meeting scheduled", func() error {
			id, ok := pick(deals)
			if !ok {
				return nil
			}
			start := now.Now().Add(time.Duration(1+rng.IntN(72)) * time.Hour)
			attendees := []string{fmt.Sprint(manager.ID)}
			if rng.IntN(3) > 0 {
				attendees = append(attendees, fmt.Sprint(person(devrel).ID))
			}
			m, err := svc.Meetings.ScheduleMeeting(ctx, manager, id, domain.MeetingInput{Title: "Demo", Type: "demo", StartsAt: start.Format(domain.DateTimeLayout),
				EndsAt: start.Add(time.Hour).Format(domain.DateTimeLayout), InternalAttendeeIDs: attendees}, time.UTC)
			if err == nil {
				meetings = append(meetings, m.ID)
			}
			return err
		}},
		{"a meeting moved or its attendees changed", func() error {
			id, ok := pick(meetings)
			if !ok {
				return nil
			}
			m, err := w.Store.Meetings().MeetingByID(ctx, id)
			if err != nil || m.Status != domain.MeetingScheduled {
				return err
			}
			start := m.StartsAt // half the time only the attendees change: no news, yet a new sync state
			if rng.IntN(2) == 0 {
				start = start.Add(time.Duration(rng.IntN(48)-24) * time.Hour)
			}
			if start.Before(now.Now()) {
				start = now.Now().Add(time.Hour)
			}
			attendees := []string{fmt.Sprint(manager.ID)}
			for _, d := range devrel {
				if rng.IntN(2) == 0 {
					attendees = append(attendees, fmt.Sprint(d.ID))
				}
			}
			_, err = svc.Meetings.UpdateMeeting(ctx, manager, id, m.Version, domain.MeetingInput{Title: m.Title, Type: string(m.Type), StartsAt: start.Format(domain.DateTimeLayout),
				EndsAt: start.Add(time.Hour).Format(domain.DateTimeLayout), InternalAttendeeIDs: attendees}, time.UTC)
			return err
		}},
		{"a meeting cancelled", func() error {
			id, ok := pick(meetings)
			if !ok {
				return nil
			}
			_, err := svc.Meetings.CancelMeeting(ctx, manager, id)
			return err
		}},
		{"a sync confirmed", func() error {
			id, ok := pick(meetings)
			if !ok {
				return nil
			}
			if _, err := svc.Meetings.ConfirmSync(ctx, manager, id); err != nil {
				return err
			}
			for _, d := range devrel {
				if _, err := svc.Meetings.ConfirmSync(ctx, d, id); err == nil {
					break
				}
			}
			return nil
		}},
		{"an idea proposed", func() error {
			id, ok := pick(deals)
			if !ok {
				return nil
			}
			o, err := svc.Offers.ProposeOffer(ctx, manager, id, domain.OfferProposal{Title: "An idea", Kind: "idea"}, true)
			if err == nil {
				offers = append(offers, o.ID)
			}
			return err
		}},
		{"an idea cleared, held, released or declined", func() error {
			id, ok := pick(offers)
			if !ok {
				return nil
			}
			action := []domain.OfferAction{domain.OfferClear, domain.OfferHold, domain.OfferRelease, domain.OfferDecline}[rng.IntN(4)]
			_, _, err := svc.Offers.MoveOffer(ctx, manager, id, action, domain.OfferInput{Trigger: "If they push on price", Reason: "Not now"})
			return err
		}},
		{"a promise recorded", func() error {
			id, ok := pick(deals)
			if !ok {
				return nil
			}
			due := ""
			if rng.IntN(2) == 0 {
				due = now.Now().Add(time.Duration(rng.IntN(20)-10) * 24 * time.Hour).Format(domain.DateLayout)
			}
			p, err := svc.Offers.RecordPromise(ctx, manager, id, domain.PromiseInput{Text: "SSO by March", Kind: "feature", DueDate: due})
			if err == nil {
				promises = append(promises, p.ID)
			}
			return err
		}},
		{"a promise reviewed, kept or dropped", func() error {
			id, ok := pick(promises)
			if !ok {
				return nil
			}
			if rng.IntN(2) == 0 {
				_, err := svc.Offers.ReviewPromise(ctx, person(devrel), id, []domain.Feasibility{"feasible", "risky", "infeasible"}[rng.IntN(3)], "Looked at it", nil)
				return err
			}
			_, _, err := svc.Offers.SetPromiseStatus(ctx, manager, id, []domain.PromiseStatus{domain.PromiseOpen, domain.PromiseKept, domain.PromiseDropped}[rng.IntN(3)])
			return err
		}},
		{"a DevRel's role changed", func() error {
			d := person(devrel)
			role := "devrel"
			if rng.IntN(2) == 0 {
				role = "sales"
			}
			_, err := svc.People.UpdateUser(ctx, manager, d.ID, domain.UserUpdate{Role: role, Active: true, Capacity: "3"})
			return err
		}},
		{"time passes", func() error { now.Add(time.Duration(rng.IntN(26)) * time.Hour); return nil }},
	}
	for step := range steps {
		c := changes[rng.IntN(len(changes))]
		// The other instance keeps each deal's page, and the organisation's
		// reads, before the change.
		for _, id := range deals {
			_, _ = viewing.Deals.DealDetail(ctx, manager, id)
		}
		_, _ = viewing.Desk.Coverage(ctx, manager, read.CoverageFilter{})
		_, _ = viewing.Deals.Board(ctx, read.DealFilter{})
		if err := c.do(); err != nil && !refused(err) {
			t.Fatalf("step %d, %s: %v", step, c.name, err)
		}
		drift, err := w.Store.Derived().Drift(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(drift) > 0 {
			t.Fatalf("step %d, after %s, the kept state is not the rows': %v", step, c.name, drift)
		}
		for _, id := range deals {
			kept, keptErr := viewing.Deals.DealDetail(ctx, manager, id)
			read, readErr := fresh().Deals.DealDetail(ctx, manager, id)
			if fmt.Sprint(keptErr) != fmt.Sprint(readErr) || !reflect.DeepEqual(kept, read) {
				t.Fatalf("step %d, after %s, deal %d's kept page is not the deal's: %s", step, c.name, id, differences(kept, read))
			}
		}
		now.Add(service.OrganisationLag)
		f := read.CoverageFilter{}
		keptC, err1 := viewing.Desk.Coverage(ctx, manager, f)
		readC, err2 := fresh().Desk.Coverage(ctx, manager, f)
		if err1 != nil || err2 != nil || !reflect.DeepEqual(keptC, readC) {
			t.Fatalf("step %d, after %s and %s, the kept coverage review is not the organisation's (%v, %v)", step, c.name, service.OrganisationLag, err1, err2)
		}
	}
	// The rebuild gives back what the changes kept.
	before, err := w.Store.Derived().Drift(ctx)
	if err != nil || len(before) > 0 {
		t.Fatalf("before the rebuild: %v %v", before, err)
	}
	keptC, err := fresh().Desk.Coverage(ctx, manager, read.CoverageFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Store.Derived().Rebuild(ctx); err != nil {
		t.Fatal(err)
	}
	rebuiltC, err := fresh().Desk.Coverage(ctx, manager, read.CoverageFilter{})
	if err != nil || !reflect.DeepEqual(keptC, rebuiltC) {
		t.Fatalf("the coverage review after a rebuild differs from the one the changes kept (%v)", err)
	}
}

// refused is a change the domain turned down (a stage it may not take, a
// claim over capacity, an offer that cannot move so): the sequence goes on.
func refused(err error) bool {
	var v domain.ValidationErrors
	return errors.As(err, &v) || errors.Is(err, domain.ErrConflict) || errors.Is(err, domain.ErrForbidden) || errors.Is(err, domain.ErrNotFound)
}

// differences names the fields of two page models that differ.
func differences[V any](a, b V) string {
	va, vb := reflect.ValueOf(a), reflect.ValueOf(b)
	out := ""
	for i := range va.NumField() {
		if !reflect.DeepEqual(va.Field(i).Interface(), vb.Field(i).Interface()) {
			out += fmt.Sprintf("%s: %+v, read afresh %+v; ", va.Type().Field(i).Name, va.Field(i).Interface(), vb.Field(i).Interface())
		}
	}
	return out
}

// A meeting's attendees are not on its timeline, yet they decide its sync
// state and their attendances' copies of its start: an edit of the
// attendees alone, and a save that changes nothing, keep both.
func TestAnAttendeesOnlyEditKeepsTheDerivedState(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		o := newOrg(t, d, 1)
		_, m := o.meetingWithDevRel("Attendees", o.devrel[0])
		save := func(attendees ...domain.User) domain.SyncState {
			t.Helper()
			cur, err := o.st.Meetings().MeetingByID(ctx, m.ID)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, u := range attendees {
				ids = append(ids, fmt.Sprint(u.ID))
			}
			if _, err := o.svc.Meetings.UpdateMeeting(ctx, o.sales, m.ID, cur.Version, domain.MeetingInput{Title: cur.Title, Type: string(cur.Type),
				StartsAt: cur.StartsAt.Format(domain.DateTimeLayout), EndsAt: cur.EndsAt.Format(domain.DateTimeLayout), InternalAttendeeIDs: ids}, time.UTC); err != nil {
				t.Fatal(err)
			}
			if drift, err := o.st.Derived().Drift(ctx); err != nil || len(drift) > 0 {
				t.Fatalf("after saving the attendees: %v %v", drift, err)
			}
			var st domain.SyncState
			if err := d.Read.Raw("SELECT sync_state FROM meetings WHERE id = ?", m.ID).Scan(&st).Error; err != nil {
				t.Fatal(err)
			}
			return st
		}
		if st := save(o.sales); st != domain.SyncNotNeeded {
			t.Errorf("without its DevRel the meeting is %s", st)
		}
		if st := save(o.sales, o.devrel[0]); st != domain.SyncUnsynced {
			t.Errorf("with its DevRel again the meeting is %s", st)
		}
		save(o.sales, o.devrel[0]) // nothing changed
	})
}
