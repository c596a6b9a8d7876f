package service_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/presale/presale/db"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/service"
	"github.com/presale/presale/internal/store"
	"github.com/presale/presale/internal/testenv"
)

// org is a small organisation on a real database.
type org struct {
	t       *testing.T
	svc     *service.Service
	st      *store.Store // for checking what the service wrote
	sales   domain.User
	manager domain.User
	devrel  []domain.User
	account domain.Account
}

func newOrg(t *testing.T, d *db.DB, devrel int) *org {
	t.Helper()
	w := testenv.NewWorld(t, d)
	o := &org{t: t, svc: w.Svc, st: w.Store}
	o.sales, o.manager = w.User("Sam Sales", domain.RoleSales), w.User("Mia Manager", domain.RoleManager)
	for i := range devrel {
		o.devrel = append(o.devrel, w.User(fmt.Sprintf("Dev %02d", i), domain.RoleDevRel, testenv.Capacity(2)))
	}
	o.account, _ = w.Account(o.sales, "Northwind")
	return o
}

func (o *org) request(title string) (domain.Deal, domain.SupportRequest) {
	o.t.Helper()
	ctx := context.Background()
	d, err := o.svc.Deals.CreateDeal(ctx, o.sales, domain.DealInput{Title: title, AccountID: fmt.Sprint(o.account.ID), Currency: "USD"})
	if err != nil {
		o.t.Fatal(err)
	}
	r, err := o.svc.Support.RequestSupport(ctx, o.sales, d.ID, domain.SupportInput{Kind: "demo", Details: "Demo on their data"})
	if err != nil {
		o.t.Fatal(err)
	}
	return d, r
}

// Many DevRel claim the same request at the same moment: exactly one
// wins, and every other is told who did.
func TestConcurrentClaimsHaveExactlyOneWinner(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		const claimers = 12
		o := newOrg(t, d, claimers)
		deal, r := o.request("Fleet")
		start := make(chan struct{})
		var wg sync.WaitGroup
		errs := make([]error, claimers)
		for i, dev := range o.devrel {
			wg.Go(func() {
				<-start
				_, errs[i] = o.svc.Support.ClaimSupport(context.Background(), dev, r.ID)
			})
		}
		close(start)
		wg.Wait()
		winners := 0
		var winner string
		for i, err := range errs {
			if err == nil {
				winners++
				winner = o.devrel[i].Name
			}
		}
		if winners != 1 {
			t.Fatalf("%d winners of %d claims: %v", winners, claimers, errs)
		}
		for _, err := range errs {
			var c *domain.ConflictError
			if err != nil && (!errors.As(err, &c) || c.Reason != winner+" already claimed this request.") {
				t.Fatalf("a losing claim said %v, want that %s won", err, winner)
			}
		}
		_, members, err := o.st.Deals().DealTeam(context.Background(), deal.ID)
		if err != nil || len(members) != 1 || members[0].Name != winner || members[0].Role != domain.AssignmentLead {
			t.Fatalf("team %+v, %v", members, err)
		}
		t.Logf("%s: %d concurrent claims, 1 winner (%s), %d told who won", d.Dialect, claimers, winner, claimers-1)
	})
}

func TestClaimAgainstCapacityAndManagerOverride(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		o := newOrg(t, d, 1)
		dev := o.devrel[0] // capacity 2
		for _, title := range []string{"One", "Two"} {
			_, r := o.request(title)
			if _, err := o.svc.Support.ClaimSupport(ctx, dev, r.ID); err != nil {
				t.Fatal(err)
			}
		}
		deal3, third := o.request("Three")
		_, err := o.svc.Support.ClaimSupport(ctx, dev, third.ID)
		var c *domain.ConflictError
		if !errors.As(err, &c) || !strings.Contains(c.Reason, "already carries 2 of 2") {
			t.Fatalf("over capacity: %v", err)
		}
		if got, _ := o.st.Support().SupportRequestByID(ctx, third.ID); got.Status != domain.SupportOpen {
			t.Fatalf("a refused claim changed the request: %s", got.Status)
		}
		// A second request on a deal the DevRel already carries adds no load.
		r, err := o.svc.Support.RequestSupport(ctx, o.sales, deal3.ID, domain.SupportInput{Kind: "poc", Details: "POC"})
		if err != nil {
			t.Fatal(err)
		}
		// Over capacity the manager is asked first, with the load.
		var over *domain.OverCapacity
		if _, err := o.svc.Support.AssignSupport(ctx, o.manager, third.ID, dev.ID, false); !errors.As(err, &over) || over.Error() != dev.Name+" would carry 3 of 2 active deals. Assign over capacity?" {
			t.Fatalf("assigning over capacity unasked: %v", err)
		}
		if _, err := o.svc.Support.AssignSupport(ctx, o.manager, third.ID, dev.ID, true); err != nil {
			t.Fatalf("manager override: %v", err)
		}
		if _, err := o.svc.Support.ClaimSupport(ctx, dev, r.ID); err != nil {
			t.Fatalf("second request on a carried deal: %v", err)
		}
		_, members, _ := o.st.Deals().DealTeam(ctx, deal3.ID)
		if len(members) != 1 || !members[0].Override {
			t.Fatalf("override not recorded: %+v", members)
		}
		if load, _ := o.svc.Support.DevRelLoad(ctx, dev); load != 3 {
			t.Fatalf("load %d, want 3", load)
		}
		// Only a manager assigns.
		if _, err := o.svc.Support.AssignSupport(ctx, o.sales, third.ID, dev.ID, false); !errors.Is(err, domain.ErrForbidden) {
			t.Fatalf("salesperson assigned: %v", err)
		}
	})
}

func TestReleaseAndReassign(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		o := newOrg(t, d, 2)
		deal, r := o.request("Fleet")
		a, b := o.devrel[0], o.devrel[1]
		if _, err := o.svc.Support.ClaimSupport(ctx, a, r.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := o.svc.Support.ReleaseSupport(ctx, b, r.ID, false); !errors.Is(err, domain.ErrForbidden) {
			t.Fatalf("another DevRel released: %v", err)
		}
		// The manager reassigns in one step: a leaves, b joins as lead.
		if _, err := o.svc.Support.AssignSupport(ctx, o.manager, r.ID, b.ID, false); err != nil {
			t.Fatal(err)
		}
		_, members, _ := o.st.Deals().DealTeam(ctx, deal.ID)
		if len(members) != 1 || members[0].UserID != b.ID || members[0].Role != domain.AssignmentLead {
			t.Fatalf("after reassignment: %+v", members)
		}
		// b steps off: the request opens again and the team is empty.
		got, _, err := o.svc.Support.ReleaseSupport(ctx, b, r.ID, false)
		if err != nil || got.Status != domain.SupportOpen || got.ClaimedByID != nil {
			t.Fatalf("release: %+v %v", got, err)
		}
		_, members, _ = o.st.Deals().DealTeam(ctx, deal.ID)
		if len(members) != 0 {
			t.Fatalf("team after release: %+v", members)
		}
		// a claims again and finishes: fulfilled.
		if _, err := o.svc.Support.ClaimSupport(ctx, a, r.ID); err != nil {
			t.Fatal(err)
		}
		if got, _, err := o.svc.Support.ReleaseSupport(ctx, a, r.ID, true); err != nil || got.Status != domain.SupportFulfilled {
			t.Fatalf("fulfil: %+v %v", got, err)
		}
		if _, err := o.svc.Support.ClaimSupport(ctx, b, r.ID); !errors.Is(err, domain.ErrConflict) {
			t.Fatalf("claiming a fulfilled request: %v", err)
		}
	})
}

func TestSupportNotifications(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		o := newOrg(t, d, 3)
		_, r := o.request("Fleet")
		for _, dev := range o.devrel {
			if n, _ := o.svc.Desk.UnreadCount(ctx, dev); n != 1 {
				t.Fatalf("%s has %d notifications of the new request", dev.Name, n)
			}
		}
		if n, _ := o.svc.Desk.UnreadCount(ctx, o.sales); n != 0 {
			t.Fatalf("the requester was notified of their own request")
		}
		if _, err := o.svc.Support.ClaimSupport(ctx, o.devrel[0], r.ID); err != nil {
			t.Fatal(err)
		}
		items, _, _ := o.svc.Desk.Notifications(ctx, o.sales, storePage())
		if len(items) != 1 || !strings.Contains(items[0].Message, "Dev 00 is on") || items[0].Link == "" {
			t.Fatalf("owner's notifications: %+v", items)
		}
		if err := o.svc.Desk.MarkRead(ctx, o.sales, items[0].ID); err != nil {
			t.Fatal(err)
		}
		if n, _ := o.svc.Desk.UnreadCount(ctx, o.sales); n != 0 {
			t.Fatalf("%d unread after marking read", n)
		}
		if err := o.svc.Desk.MarkRead(ctx, o.devrel[1], items[0].ID); !errors.Is(err, domain.ErrNotFound) {
			t.Fatalf("marking someone else's notification: %v", err)
		}
	})
}

func TestSyncGoesStaleAndBack(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		o := newOrg(t, d, 1)
		dev := o.devrel[0]
		clock := time.Now().UTC()
		svc := service.New(o.st, service.WithClock(func() time.Time { return clock }))
		tick := func() { clock = clock.Add(time.Minute) }
		deal, r := o.request("Fleet")
		if _, err := svc.Support.ClaimSupport(ctx, dev, r.ID); err != nil {
			t.Fatal(err)
		}
		start := clock.Add(30 * time.Hour)
		m, err := svc.Meetings.ScheduleMeeting(ctx, o.sales, deal.ID, domain.MeetingInput{Title: "Demo", Type: "demo",
			StartsAt: start.Format(domain.DateTimeLayout), EndsAt: start.Add(time.Hour).Format(domain.DateTimeLayout),
			InternalAttendeeIDs: []string{fmt.Sprint(o.sales.ID), fmt.Sprint(dev.ID)}}, time.UTC)
		if err != nil {
			t.Fatal(err)
		}
		state := func() domain.SyncState {
			detail, err := svc.Meetings.SyncDetail(ctx, o.sales, m.ID)
			if err != nil {
				t.Fatal(err)
			}
			return detail.State
		}
		if got := state(); got != domain.SyncUnsynced {
			t.Fatalf("new meeting: %s", got)
		}
		tick()
		if _, err := svc.Meetings.ConfirmSync(ctx, o.sales, m.ID); err != nil {
			t.Fatal(err)
		}
		if n, _ := svc.Desk.UnreadCount(ctx, dev); n < 1 {
			t.Fatal("the DevRel was not told the sync waits for them")
		}
		tick()
		if _, err := svc.Meetings.ConfirmSync(ctx, dev, m.ID); err != nil {
			t.Fatal(err)
		}
		if got := state(); got != domain.SyncInSync {
			t.Fatalf("both confirmed: %s", got)
		}
		before, _ := svc.Desk.UnreadCount(ctx, o.sales)
		tick()
		if _, err := svc.Meetings.RaiseQuestion(ctx, dev, m.ID, domain.QuestionInput{Category: "security", Text: "Who holds the keys?"}); err != nil {
			t.Fatal(err)
		}
		if got := state(); got != domain.SyncStale {
			t.Fatalf("after a question: %s", got)
		}
		detail, _ := svc.Meetings.SyncDetail(ctx, o.sales, m.ID)
		if len(detail.ChangedSince) != 1 || detail.ChangedSince[0].Entity != "question" {
			t.Fatalf("what changed: %+v", detail.ChangedSince)
		}
		if after, _ := svc.Desk.UnreadCount(ctx, o.sales); after != before+1 {
			t.Fatalf("owner not told the sync went stale: %d → %d", before, after)
		}
		tick()
		if _, err := svc.Meetings.ConfirmSync(ctx, o.sales, m.ID); err != nil {
			t.Fatal(err)
		}
		if got := state(); got != domain.SyncInSync {
			t.Fatalf("re-confirmed: %s", got)
		}
		// Editing what was agreed withdraws both confirmations.
		tick()
		sy, _, _ := o.st.Meetings().SyncOf(ctx, m.ID)
		if _, err := svc.Meetings.SaveSync(ctx, dev, m.ID, sy.Version, domain.SyncInput{Notes: "Lead with replay"}); err != nil {
			t.Fatal(err)
		}
		if got := state(); got != domain.SyncUnsynced {
			t.Fatalf("after editing the sync: %s", got)
		}
		// Someone outside the meeting cannot confirm.
		outsider := o.devrel[0]
		outsider.ID = o.manager.ID + 1000
		if _, err := svc.Meetings.ConfirmSync(ctx, outsider, m.ID); !errors.Is(err, domain.ErrForbidden) && !errors.Is(err, domain.ErrNotFound) {
			t.Fatalf("outsider confirmed: %v", err)
		}
	})
}
