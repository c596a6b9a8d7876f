package service_test

import (
	"context"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/presale/presale/db"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
	"github.com/presale/presale/internal/service"
	"github.com/presale/presale/internal/store"
	"github.com/presale/presale/internal/testenv"
)

// clock is a now that a test moves.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Set(t time.Time)     { c.mu.Lock(); defer c.mu.Unlock(); c.now = t }
func (c *clock) Add(d time.Duration) { c.Set(c.Now().Add(d)) }

// The deal page an instance keeps is the page the database holds, and so
// are the meeting's page, its sync panel, its brief, each viewer's desk,
// the agenda, the pipeline, the support board and the coverage review:
// after
// every kind of change the page shows, made on the other instance, and
// after time passes a meeting's start, each viewer's kept page equals one
// read afresh by an instance that keeps nothing.
func TestKeptPagesAreWhatTheDatabaseHolds(t *testing.T) {
	testenv.ForEachEngineTwice(t, func(t *testing.T, a, b *db.DB) {
		ctx := context.Background()
		o := newOrg(t, a, 2)
		dev, other := o.devrel[0], o.devrel[1]
		now := &clock{now: time.Now().UTC()}
		viewing := service.New(store.New(b.Write, b.Read), service.WithClock(now.Now))
		fresh := func() *service.Service { return service.New(store.New(b.Write, b.Read), service.WithClock(now.Now)) }
		seller2, err := o.svc.People.CreateUser(ctx, nil, service.NewUser{Name: "Sid Seller", Email: "sid@example.test", Role: domain.RoleSales, Password: "a long enough password"})
		if err != nil {
			t.Fatal(err)
		}
		admin, err := o.svc.People.CreateUser(ctx, nil, service.NewUser{Name: "Ada Admin", Email: "ada@example.test", Role: domain.RoleManager, Admin: true, Password: "a long enough password"})
		if err != nil {
			t.Fatal(err)
		}
		deal, m := o.meetingWithDevRel("Kept", dev)
		later := m.StartsAt.Add(24 * time.Hour) // a second meeting, so the first's start reorders them
		if _, err := o.svc.Meetings.ScheduleMeeting(ctx, o.sales, deal.ID, domain.MeetingInput{Title: "Kept review", Type: "demo",
			StartsAt: later.Format(domain.DateTimeLayout), EndsAt: later.Add(time.Hour).Format(domain.DateTimeLayout)}, time.UTC); err != nil {
			t.Fatal(err)
		}
		now.Set(m.StartsAt.Add(-2 * time.Hour))
		contact, err := o.svc.Accounts.CreateContact(ctx, o.sales, o.account.ID, domain.ContactInput{Name: "Cleo Customer"})
		if err != nil {
			t.Fatal(err)
		}
		viewers := []domain.User{o.sales, o.manager, dev, other, seller2}
		var offer domain.Offer
		stale := 0      // sync panels compared while the sync was stale
		fullBriefs := 0 // briefs compared with a reserve and a last outcome
		var noteID int64
		steps := []struct {
			name   string
			change func() error
		}{
			{"nothing", func() error { return nil }},
			{"an offer proposed", func() error {
				offer, err = o.svc.Offers.ProposeOffer(ctx, dev, deal.ID, domain.OfferProposal{Title: "Bulk export", Kind: "idea"}, true)
				return err
			}},
			{"the offer held in reserve", func() error {
				_, _, err := o.svc.Offers.MoveOffer(ctx, o.sales, offer.ID, domain.OfferHold, domain.OfferInput{Trigger: "if they push on price"})
				return err
			}},
			{"a note", func() error { return o.svc.Deals.AddNote(ctx, o.sales, deal.ID, "They fear lock-in") }},
			{"a reply to the note", func() error {
				notes, err := fresh().Deals.DealDetail(ctx, o.sales, deal.ID)
				if err != nil || len(notes.Notes) == 0 {
					return fmt.Errorf("no note to reply to: %v", err)
				}
				noteID = notes.Notes[0].ID
				_, err = o.svc.Deals.CommentOnNote(ctx, dev, noteID, "Show them the export")
				return err
			}},
			{"a question", func() error {
				_, err := o.svc.Meetings.RaiseQuestion(ctx, o.sales, m.ID, domain.QuestionInput{Category: "security", Text: "SSO?", RaisedByID: fmt.Sprint(contact.ID)})
				return err
			}},
			{"a promise", func() error {
				_, err := o.svc.Offers.RecordPromise(ctx, o.sales, deal.ID, domain.PromiseInput{Text: "SAML by Q3", Kind: "roadmap"})
				return err
			}},
			{"a next step", func() error {
				_, err := o.svc.Deals.AddTask(ctx, o.sales, deal.ID, domain.TaskInput{Title: "Send the SOC 2 report", DueOn: now.Now().Add(48 * time.Hour).Format(domain.DateLayout), AssigneeID: fmt.Sprint(o.sales.ID)})
				return err
			}},
			{"the sync confirmed", func() error { _, err := o.svc.Meetings.ConfirmSync(ctx, dev, m.ID); return err }},
			{"the sync confirmed by both", func() error { _, err := o.svc.Meetings.ConfirmSync(ctx, o.sales, m.ID); return err }},
			{"an idea after the sync (stale)", func() error {
				_, err := o.svc.Offers.ProposeOffer(ctx, dev, deal.ID, domain.OfferProposal{Title: "Private link", Kind: "idea"}, true)
				return err
			}},
			{"the deal edited", func() error {
				d, err := o.st.Deals().DealByID(ctx, deal.ID)
				if err != nil {
					return err
				}
				_, err = o.svc.Deals.UpdateDeal(ctx, o.sales, d.ID, d.Version, domain.DealInput{Title: "Kept, renamed", AccountID: fmt.Sprint(o.account.ID),
					OwnerID: fmt.Sprint(o.sales.ID), Stage: "evaluation", TechnicalStatus: "in_progress", Amount: "5000", Currency: "EUR"})
				return err
			}},
			{"the account renamed", func() error {
				acc, err := o.st.Accounts().AccountByID(ctx, o.account.ID)
				if err != nil {
					return err
				}
				_, err = o.svc.Accounts.UpdateAccount(ctx, o.manager, acc.ID, acc.Version, domain.AccountInput{Name: "Northwind Traders"})
				return err
			}},
			{"the contact renamed", func() error {
				c, err := o.st.Accounts().ContactByID(ctx, contact.ID)
				if err != nil {
					return err
				}
				_, err = o.svc.Accounts.UpdateContact(ctx, o.sales, c.ID, c.Version, domain.ContactInput{Name: "Cleo Client"})
				return err
			}},
			{"an earlier meeting recorded as held", func() error {
				before := m.StartsAt.Add(-72 * time.Hour)
				_, err := o.svc.Meetings.ScheduleMeeting(ctx, o.sales, deal.ID, domain.MeetingInput{Title: "Kept discovery", Type: "discovery",
					StartsAt: before.Format(domain.DateTimeLayout), EndsAt: before.Add(time.Hour).Format(domain.DateTimeLayout),
					AlreadyHeld: true, OutcomeNotes: "They want SSO"}, time.UTC)
				return err
			}},
			{"a contact added to the account", func() error {
				_, err := o.svc.Accounts.CreateContact(ctx, o.sales, o.account.ID, domain.ContactInput{Name: "Nia New"})
				return err
			}},
			{"the meeting's attendees changed", func() error {
				cur, err := o.st.Meetings().MeetingByID(ctx, m.ID)
				if err != nil {
					return err
				}
				_, err = o.svc.Meetings.UpdateMeeting(ctx, o.sales, cur.ID, cur.Version, domain.MeetingInput{Title: cur.Title, Type: string(cur.Type),
					StartsAt: cur.StartsAt.Format(domain.DateTimeLayout), EndsAt: cur.EndsAt.Format(domain.DateTimeLayout), Goal: "Win the security review",
					ContactIDs: []string{fmt.Sprint(contact.ID)}, InternalAttendeeIDs: []string{fmt.Sprint(o.sales.ID), fmt.Sprint(dev.ID)}}, time.UTC)
				return err
			}},
			{"a salesperson deactivated", func() error {
				_, err := o.svc.People.UpdateUser(ctx, admin, seller2.ID, domain.UserUpdate{Role: "sales", Active: false})
				return err
			}},
			{"time passes the meeting's start", func() error { now.Set(m.StartsAt.Add(time.Minute)); return nil }},
			{"a day passes", func() error { now.Add(25 * time.Hour); return nil }},
		}
		for _, step := range steps {
			for _, v := range viewers { // keep each viewer's page first
				_, _ = viewing.Deals.DealDetail(ctx, v, deal.ID)
			}
			_, _ = viewing.Meetings.MeetingDetail(ctx, m.ID)
			_, _ = viewing.Desk.Coverage(ctx, o.manager, read.CoverageFilter{})
			for _, v := range viewers {
				_, _ = viewing.Desk.Desk(ctx, v, time.UTC)
			}
			_, _, _ = viewing.Meetings.Agenda(ctx, read.AgendaFilter{UserID: o.sales.ID, Page: read.Page{Number: 1, Size: 25}})
			_, _ = viewing.Deals.DealsPage(ctx, read.DealFilter{OwnerID: o.sales.ID, Page: read.Page{Number: 1, Size: 25}})
			_, _ = viewing.Deals.Board(ctx, read.DealFilter{OwnerID: o.sales.ID})
			_, _, _ = viewing.Support.SupportBoard(ctx, read.SupportFilter{Status: domain.SupportClaimed, Page: read.Page{Number: 1, Size: 25}})
			for _, v := range viewers {
				_, _ = viewing.Meetings.Brief(ctx, v, m.ID)
			}
			if err := step.change(); err != nil {
				t.Fatalf("%s: %v", step.name, err)
			}
			keptM, keptErr := viewing.Meetings.MeetingDetail(ctx, m.ID)
			readM, readErr := fresh().Meetings.MeetingDetail(ctx, m.ID)
			if fmt.Sprint(keptErr) != fmt.Sprint(readErr) || !reflect.DeepEqual(keptM, readM) {
				t.Fatalf("after %s, the kept meeting page is not the meeting's (%v, %v):\nkept %+v\nread %+v", step.name, keptErr, readErr, keptM, readM)
			}
			for _, v := range viewers {
				keptS := viewing.Meetings.SyncDetailOf(v, keptM)
				readS, _ := fresh().Meetings.SyncDetail(ctx, v, m.ID)
				if !reflect.DeepEqual(keptS, readS) {
					t.Fatalf("after %s, %s sees a kept sync panel that is not the meeting's:\nkept %+v\nread %+v", step.name, v.Name, keptS, readS)
				}
				if keptS.State == domain.SyncStale {
					stale++
				}
			}
			// Reads across the organisation may lag others' changes for
			// OrganisationLag (docs/PRODUCT.md), no longer.
			now.Add(service.OrganisationLag)
			for _, v := range viewers {
				keptD, keptErr := viewing.Desk.Desk(ctx, v, time.UTC)
				readD, readErr := fresh().Desk.Desk(ctx, v, time.UTC)
				if fmt.Sprint(keptErr) != fmt.Sprint(readErr) || !reflect.DeepEqual(keptD, readD) {
					t.Fatalf("after %s, %s's kept desk is not theirs (%v, %v):\nkept %+v\nread %+v", step.name, v.Name, keptErr, readErr, keptD, readD)
				}
			}
			lists := func(svc *service.Service) (any, error) {
				agenda, more, err := svc.Meetings.Agenda(ctx, read.AgendaFilter{UserID: o.sales.ID, Page: read.Page{Number: 1, Size: 25}})
				if err != nil {
					return nil, err
				}
				pipeline, err := svc.Deals.DealsPage(ctx, read.DealFilter{OwnerID: o.sales.ID, Page: read.Page{Number: 1, Size: 25}})
				if err != nil {
					return nil, err
				}
				cards, err := svc.Deals.Board(ctx, read.DealFilter{OwnerID: o.sales.ID})
				if err != nil {
					return nil, err
				}
				board, total, err := svc.Support.SupportBoard(ctx, read.SupportFilter{Status: domain.SupportClaimed, Page: read.Page{Number: 1, Size: 25}})
				return []any{agenda, more, pipeline, cards, board, total}, err
			}
			keptL, keptErr := lists(viewing)
			readL, readErr := lists(fresh())
			if fmt.Sprint(keptErr) != fmt.Sprint(readErr) || !reflect.DeepEqual(keptL, readL) {
				t.Fatalf("after %s, the kept agenda, pipeline, deal board or support board is not the organisation's (%v, %v):\nkept %+v\nread %+v", step.name, keptErr, readErr, keptL, readL)
			}
			keptC, keptErr := viewing.Desk.Coverage(ctx, o.manager, read.CoverageFilter{})
			readC, readErr := fresh().Desk.Coverage(ctx, o.manager, read.CoverageFilter{})
			if fmt.Sprint(keptErr) != fmt.Sprint(readErr) || !reflect.DeepEqual(keptC, readC) {
				t.Fatalf("after %s, the kept coverage review is not the organisation's (%v, %v):\nkept %+v\nread %+v", step.name, keptErr, readErr, keptC, readC)
			}
			for _, v := range viewers {
				keptB, keptErr := viewing.Meetings.Brief(ctx, v, m.ID)
				readB, readErr := fresh().Meetings.Brief(ctx, v, m.ID)
				if fmt.Sprint(keptErr) != fmt.Sprint(readErr) || !reflect.DeepEqual(keptB, readB) {
					t.Fatalf("after %s, %s sees a kept brief that is not the meeting's (%v, %v):\nkept %+v\nread %+v", step.name, v.Name, keptErr, readErr, keptB, readB)
				}
				if keptB.LastOutcome != nil && len(keptB.Reserved) > 0 {
					fullBriefs++
				}
			}
			for _, v := range viewers {
				kept, keptErr := viewing.Deals.DealDetail(ctx, v, deal.ID)
				read, readErr := fresh().Deals.DealDetail(ctx, v, deal.ID)
				if fmt.Sprint(keptErr) != fmt.Sprint(readErr) {
					t.Fatalf("after %s, %s: kept says %v, the database %v", step.name, v.Name, keptErr, readErr)
				}
				if !reflect.DeepEqual(kept, read) {
					t.Fatalf("after %s, %s sees a kept page that is not the deal's:\nkept %+v\nread %+v", step.name, v.Name, kept, read)
				}
			}
		}
		if fullBriefs == 0 {
			t.Fatal("no brief had both a reserve and a last outcome to compare")
		}
		if stale == 0 {
			t.Fatal("the sync never went stale: the panels' changes since were not compared")
		}
		t.Logf("%s: %d changes, %d viewers: every kept deal page, meeting page, sync panel and brief was the page (%d panels stale, %d full briefs)", a.Dialect, len(steps), len(viewers), stale, fullBriefs)
	})
}

// A read across the organisation half its lag old is read again in the
// background as it is asked for: the asker is given the kept one, and
// soon after everyone the new one, before the lag runs out, so nobody
// waits for the read when it does.
func TestReadsAcrossTheOrganisationAreRenewedAhead(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		o := newOrg(t, d, 0)
		// Early in a minute: a read is kept no longer than its minute.
		now := &clock{now: time.Now().UTC().Truncate(time.Minute).Add(10 * time.Second)}
		viewing := service.New(store.New(d.Write, d.Read), service.WithClock(now.Now))
		total := func() int64 {
			cols, err := viewing.Deals.Board(ctx, read.DealFilter{})
			if err != nil {
				t.Fatal(err)
			}
			var n int64
			for _, c := range cols {
				n += c.Total
			}
			return n
		}
		before := total()
		o.request("Renewed ahead")
		now.Add(service.OrganisationLag * 3 / 4)
		if n := total(); n != before {
			t.Fatalf("the board was read again at once: %d deals, kept %d", n, before)
		}
		deadline := time.Now().Add(5 * time.Second)
		for total() == before {
			if time.Now().After(deadline) {
				t.Fatal("the board kept was never renewed in the background")
			}
			time.Sleep(10 * time.Millisecond)
		}
	})
}
