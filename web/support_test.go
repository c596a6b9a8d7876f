package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/presale/presale/db"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/service"
	"github.com/presale/presale/internal/store"
	"github.com/presale/presale/internal/testenv"
	"github.com/presale/presale/web"
)

func TestSupportBoardRequestAndClaim(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		a := newApp(t, d, web.Config{})
		acc, _ := a.account("Northwind")
		sales := a.users[domain.RoleSales]
		fleet := a.deal(sales, acc.ID, "Fleet", func(in *domain.DealInput) { in.Amount = "240000" })
		depot := a.deal(sales, acc.ID, "Depot")
		a.meeting(sales, fleet.ID, "Pricing call", 30, sales)
		c := a.signedIn(domain.RoleSales)

		// Validation keeps what was typed, on the deal page.
		resp, page := c.submit(fmt.Sprint("/deals/", fleet.ID, "/support-requests"), url.Values{"kind": {"poc"}, "needed_by": {"2001-01-01"}, "details": {"POC on their data"}})
		if resp.StatusCode != http.StatusUnprocessableEntity || fieldError(page, "needed_by") == "" || strings.TrimSpace(value(page, "details")) != "POC on their data" {
			t.Fatalf("past needed-by: %d %q", resp.StatusCode, fieldError(page, "needed_by"))
		}
		soon := time.Now().UTC().Add(48 * time.Hour).Format(domain.DateLayout)
		later := time.Now().UTC().Add(240 * time.Hour).Format(domain.DateLayout)
		loc := location(t, mustResp(c.submit(fmt.Sprint("/deals/", depot.ID, "/support-requests"), url.Values{"kind": {"security_review"}, "needed_by": {later}, "details": {"180 questions"}})), http.StatusSeeOther)
		location(t, mustResp(c.submit(fmt.Sprint("/deals/", fleet.ID, "/support-requests"), url.Values{"kind": {"demo"}, "needed_by": {soon}, "details": {"Demo for the CTO"}})), http.StatusSeeOther)
		if !strings.HasPrefix(loc, "/support-requests/") {
			t.Fatalf("request → %s", loc)
		}
		// A DevRel may not ask; another salesperson may not ask on my deal.
		if resp, _ := a.signedIn(domain.RoleDevRel).submit(fmt.Sprint("/deals/", fleet.ID, "/support-requests"), url.Values{"kind": {"demo"}, "details": {"x"}}); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("a DevRel asked: %d", resp.StatusCode)
		}

		dev := a.signedIn(domain.RoleDevRel)
		_, board := dev.get("/support")
		var titles []string
		board.Find(`[data-testid="support-request"]`).Each(func(_ int, s *goquery.Selection) { titles = append(titles, s.Find("a").First().Text()) })
		if len(titles) != 2 || !strings.Contains(titles[0], "Fleet") {
			t.Fatalf("board order (soonest needed first): %v", titles)
		}
		first := board.Find(`[data-testid="support-request"]`).First().Text()
		for _, want := range []string{"240,000 USD", "Discovery", "Pricing call"} {
			if !strings.Contains(first, want) {
				t.Errorf("board entry lacks %q: %s", want, first)
			}
		}
		_, filtered := dev.get("/support?kind=security_review")
		if n := filtered.Find(`[data-testid="support-request"]`).Length(); n != 1 {
			t.Fatalf("kind filter: %d", n)
		}

		claim := board.Find(`[data-testid="support-request"]`).First().Find(`form`).AttrOr("action", "")
		if got := location(t, mustResp(dev.submit(claim, nil)), http.StatusSeeOther); got != fmt.Sprint("/deals/", fleet.ID) {
			t.Fatalf("claim → %s", got)
		}
		_, deal := c.get(fmt.Sprint("/deals/", fleet.ID))
		if team := deal.Find(`[data-testid="deal-team"]`).Text(); !strings.Contains(team, "Test DevRel") || !strings.Contains(team, "lead") {
			t.Fatalf("team after claim: %q", team)
		}
		// The second claim is told who won.
		resp, page = a.signInAs(a.user("Late DevRel", domain.RoleDevRel)).submit(claim, nil)
		if resp.StatusCode != http.StatusConflict || !strings.Contains(page.Find(`[data-testid="error"]`).Text(), "Test DevRel already claimed this request.") {
			t.Fatalf("late claim: %d %q", resp.StatusCode, page.Find(`[data-testid="error"]`).Text())
		}
		// The owner heard of the claim.
		_, inbox := c.get("/notifications")
		if !strings.Contains(inbox.Find(`[data-testid="notification"]`).Text(), "Test DevRel is on \"Fleet\"") {
			t.Fatalf("owner inbox: %q", inbox.Find("main").Text())
		}
		if got := inbox.Find(`[data-testid="unread"]`).Text(); got != "1" {
			t.Fatalf("unread count %q", got)
		}
	})
}

func TestClaimOverCapacityIsRefusedWithTheLoad(t *testing.T) {
	a := newApp(t, testenv.Open(t, db.SQLite), web.Config{})
	acc, _ := a.account("Northwind")
	sales := a.users[domain.RoleSales]
	devrel := a.users[domain.RoleDevRel]
	for i := range domain.DefaultCapacity {
		a.assign(a.deal(sales, acc.ID, fmt.Sprint("Carried ", i)).ID, devrel)
	}
	deal := a.deal(sales, acc.ID, "One too many")
	r, err := a.svc().Support.RequestSupport(t.Context(), sales, deal.ID, domain.SupportInput{Kind: "demo", Details: "Demo"})
	if err != nil {
		t.Fatal(err)
	}
	path := fmt.Sprint("/support-requests/", r.ID)
	resp, page := a.signedIn(domain.RoleDevRel).submit(path+"/claim", nil)
	if resp.StatusCode != http.StatusConflict || !strings.Contains(page.Find(`[data-testid="error"]`).Text(), "already carries 5 of 5 active deals") {
		t.Fatalf("over capacity: %d %q", resp.StatusCode, page.Find(`[data-testid="error"]`).Text())
	}
	manager := a.signedIn(domain.RoleManager)
	_, form := manager.get(path)
	if !strings.Contains(form.Find(`[data-testid="assign"]`).Text(), "at capacity") {
		t.Fatal("the manager is not shown who is at capacity")
	}
	// From the board: beyond capacity the manager is shown the load and
	// asked; nothing changes until they confirm.
	_, board := manager.get("/support")
	if board.Find(`[data-testid="assign-form"]`).Length() == 0 {
		t.Fatal("no assign form on the manager's support board")
	}
	resp, page = manager.submit(path+"/assign", url.Values{"devrel_id": {fmt.Sprint(devrel.ID)}})
	if ask := page.Find(`[data-testid="confirm-over-capacity"]`).Text(); resp.StatusCode != http.StatusConflict || !strings.Contains(ask, "would carry 6 of 5 active deals") {
		t.Fatalf("assigning over capacity: %d, asked %q", resp.StatusCode, ask)
	}
	if got, _ := a.svc().Support.SupportDetail(t.Context(), r.ID); got.Request.Status != domain.SupportOpen {
		t.Fatalf("asking changed the request: %s", got.Request.Status)
	}
	location(t, mustResp(manager.submit(path+"/assign", url.Values{"devrel_id": {fmt.Sprint(devrel.ID)}, "over_capacity": {"1"}})), http.StatusSeeOther)
	_, history := manager.get(path)
	if got := history.Find(`ol.timeline`).Text(); !strings.Contains(got, "assigned by Test Manager over capacity (6 of 5)") || strings.Contains(got, "claimed") {
		t.Fatalf("the history does not say who assigned over capacity: %q", got)
	}
	_, page = manager.get(fmt.Sprint("/deals/", deal.ID))
	if !strings.Contains(page.Find(`[data-testid="deal-team"]`).Text(), "assigned over capacity") {
		t.Fatal("the override is not shown on the deal")
	}
	if !strings.Contains(page.Find(`[data-testid="timeline"]`).Text(), "over a capacity of 5") {
		t.Fatal("the override is not on the timeline")
	}
	if resp, _ := a.signedIn(domain.RoleSales).submit(path+"/assign", url.Values{"devrel_id": {fmt.Sprint(devrel.ID)}}); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("a salesperson assigned: %d", resp.StatusCode)
	}
}

// The sync rule end to end through the router: confirm both → in sync;
// the deal changes → stale, and the panel says what; re-confirm → in sync.
func TestSyncGateThroughTheRouter(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		a := newApp(t, d, web.Config{})
		acc, _ := a.account("Northwind")
		sales := a.users[domain.RoleSales]
		devrel := a.users[domain.RoleDevRel]
		deal := a.deal(sales, acc.ID, "Fleet")
		a.assign(deal.ID, devrel)
		m := a.meeting(sales, deal.ID, "Negotiation", 20, sales, devrel)
		path := fmt.Sprint("/meetings/", m.ID)
		owner, dev := a.signedIn(domain.RoleSales), a.signedIn(domain.RoleDevRel)
		state := func(c *client) (string, *goquery.Document) {
			_, page := c.get(path)
			return page.Find(`[data-testid="sync-panel"]`).AttrOr("data-state", ""), page
		}
		if st, page := state(owner); st != "unsynced" || !strings.Contains(page.Find(`[data-testid="sync-panel"]`).Text(), "within 48 h") {
			t.Fatalf("before: %s", st)
		}
		location(t, mustResp(owner.submit(path+"/sync", url.Values{"notes": {"Sam leads"}, "may_raise": {"Replay"}, "avoid": {"Free POC"}})), http.StatusSeeOther)
		location(t, mustResp(owner.submit(path+"/sync/confirm", nil)), http.StatusSeeOther)
		if st, _ := state(owner); st != "unsynced" {
			t.Fatalf("one side: %s", st)
		}
		location(t, mustResp(dev.submit(path+"/sync/confirm", nil)), http.StatusSeeOther)
		if st, _ := state(owner); st != "in_sync" {
			t.Fatalf("both: %s", st)
		}
		_, agenda := owner.get("/meetings")
		if !strings.Contains(agenda.Find(`[data-testid="agenda-meeting"]`).Text(), "in sync") {
			t.Fatal("the agenda does not show the sync state")
		}
		location(t, mustResp(dev.submit(path+"/questions", url.Values{"category": {"pricing"}, "text": {"Is there a volume discount?"}})), http.StatusSeeOther)
		st, page := state(owner)
		if st != "stale" || !strings.Contains(page.Find(`[data-testid="sync-stale"]`).Text(), "Is there a volume discount?") {
			t.Fatalf("after a change: %s %q", st, page.Find(`[data-testid="sync-stale"]`).Text())
		}
		_, desk := owner.get("/")
		if !strings.Contains(desk.Find(`[data-testid="desk-meetings"]`).Text(), "stale") {
			t.Fatalf("the desk does not show the stale sync: %q", desk.Find(`[data-testid="desk-meetings"]`).Text())
		}
		if !strings.Contains(desk.Find(`[data-testid="desk-syncs"]`).Text(), "Negotiation") {
			t.Fatalf("the salesperson's desk does not list the sync waiting for them: %q", desk.Find(`[data-testid="desk-syncs"]`).Text())
		}
		// The question was one change: the owner heard of it once.
		var told int64
		if err := a.db.Read.Model(&domain.Notification{}).Where("user_id = ? AND event_id = (SELECT MAX(id) FROM events WHERE entity = 'question')", sales.ID).Count(&told).Error; err != nil || told != 1 {
			t.Fatalf("one question made %d notifications for the owner (%v), want 1", told, err)
		}
		_, devDesk := dev.get("/")
		if !strings.Contains(devDesk.Find(`[data-testid="desk-deals"]`).Text(), "stale") || !strings.Contains(devDesk.Find(`[data-testid="desk-sync"]`).Text(), "Negotiation") {
			t.Fatal("the DevRel desk does not show the stale sync")
		}
		location(t, mustResp(owner.submit(path+"/sync/confirm", nil)), http.StatusSeeOther)
		if st, _ := state(owner); st != "in_sync" {
			t.Fatalf("re-confirmed: %s", st)
		}
		if _, desk := owner.get("/"); desk.Find(`[data-testid="desk-syncs"] li`).Length() != 0 {
			t.Fatal("a confirmed sync still waits on the salesperson's desk")
		}
		// Outside the meeting, no confirmation.
		if resp, _ := a.signInAs(a.user("Other DevRel", domain.RoleDevRel)).submit(path+"/sync/confirm", nil); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("outsider confirmed: %d", resp.StatusCode)
		}
		var before int64
		a.db.Read.Model(&domain.Notification{}).Where("read_at IS NULL AND link = ?", path+"#sync").Count(&before)
		// Once the meeting is held, its sync requests leave the inbox.
		location(t, mustResp(owner.submit(path+"/held", url.Values{"outcome": {"Good"}, "early": {"1"}})), http.StatusSeeOther)
		var waiting int64
		if err := a.db.Read.Model(&domain.Notification{}).Where("read_at IS NULL AND link = ?", path+"#sync").Count(&waiting).Error; err != nil || waiting != 0 {
			t.Fatalf("%d sync notifications still unread after the meeting was held (%v)", waiting, err)
		}
		if before == 0 {
			t.Fatal("no sync notification was waiting before the meeting was held: the check proves nothing")
		}
	})
}

// A DevRel who attends a meeting but is not on the deal team is told why
// the sync is not theirs and how to join; confirming is refused.
func TestAnAttendingOutsiderIsToldHowToJoin(t *testing.T) {
	a := newApp(t, testenv.Open(t, db.SQLite), web.Config{})
	sales, devrel := a.users[domain.RoleSales], a.users[domain.RoleDevRel]
	acc, _ := a.account("Northwind")
	deal := a.deal(sales, acc.ID, "Fleet")
	m := a.meeting(sales, deal.ID, "Demo", 30, sales, devrel)
	c := a.signedIn(domain.RoleDevRel)
	path := fmt.Sprint("/meetings/", m.ID)
	_, page := c.get(path)
	if note := page.Find(`[data-testid="sync-off-team"]`); note.Length() != 1 || note.Find(`a[href="/support"]`).Length() != 1 {
		t.Fatal("the attending DevRel off the team is not told how to join")
	}
	if page.Find(`[data-testid="confirm-sync"]`).Length() != 0 {
		t.Fatal("an outsider is offered to confirm the sync")
	}
	resp, page := c.submit(path+"/sync/confirm", nil)
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(page.Text(), "support board") {
		t.Fatalf("confirming from outside the team: %d", resp.StatusCode)
	}
	a.assign(deal.ID, devrel)
	if _, page := c.get(path); page.Find(`[data-testid="confirm-sync"]`).Length() != 1 {
		t.Fatal("on the team, the DevRel cannot confirm")
	}
}

// The salesperson confirms a sync on one instance while the DevRel
// confirms it on another, sharing one database: both confirmations are
// kept in every round, and no request fails.
func TestSyncConfirmationsAcrossTwoInstances(t *testing.T) {
	testenv.ForEachEngineTwice(t, func(t *testing.T, d1, d2 *db.DB) {
		a := newApp(t, d1, web.Config{})
		st2 := store.New(d2.Write, d2.Read)
		other := httptest.NewServer(web.New(web.Config{}, service.New(st2), st2.Sessions(), d2.Ready, nil))
		t.Cleanup(other.Close)
		sales, devrel := a.users[domain.RoleSales], a.users[domain.RoleDevRel]
		acc, _ := a.account("Northwind")
		seller := a.signedIn(domain.RoleSales)
		dev := a.signedIn(domain.RoleDevRel)
		seller.token()
		dev.token()
		dev.base = other.URL // the session lives in the database: the other instance knows it
		const rounds = 20
		for i := range rounds {
			deal := a.deal(sales, acc.ID, fmt.Sprint("Deal ", i))
			a.assign(deal.ID, devrel)
			m := a.meeting(sales, deal.ID, "Demo", 30, sales, devrel)
			path := fmt.Sprintf("/meetings/%d/sync/confirm", m.ID)
			codes := make([]int, 2)
			var wg sync.WaitGroup
			start := make(chan struct{})
			for j, c := range []*client{seller, dev} {
				wg.Go(func() {
					<-start
					resp, _ := c.submit(path, nil)
					codes[j] = resp.StatusCode
				})
			}
			close(start)
			wg.Wait()
			if codes[0] != http.StatusSeeOther || codes[1] != http.StatusSeeOther {
				t.Fatalf("round %d: answers %v", i, codes)
			}
			sy, _, err := st2.Meetings().SyncOf(context.Background(), m.ID)
			if err != nil || sy.SalesConfirmedAt == nil || sy.DevRelConfirmedAt == nil {
				t.Fatalf("round %d: a confirmation was lost: %+v %v", i, sy, err)
			}
		}
		t.Logf("%s: %d rounds on two instances, both confirmations kept in each", d1.Dialect, rounds)
	})
}

// A DevRel at capacity is offered no Claim button but "at capacity" and a
// way to ask the managers, who are told.
func TestAtCapacityAsksAManager(t *testing.T) {
	a := newApp(t, testenv.Open(t, db.SQLite), web.Config{})
	ctx := context.Background()
	sales, manager := a.users[domain.RoleSales], a.users[domain.RoleManager]
	full := a.world.User("Full Dev", domain.RoleDevRel, testenv.Capacity(1))
	acc, _ := a.account("Northwind")
	a.assign(a.deal(sales, acc.ID, "Already carried").ID, full)
	deal := a.deal(sales, acc.ID, "Wants help")
	r, err := a.svc().Support.RequestSupport(ctx, sales, deal.ID, domain.SupportInput{Kind: "demo", Details: "Show it"})
	if err != nil {
		t.Fatal(err)
	}
	c := a.signInAs(full)
	_, board := c.get("/support")
	if board.Find(`[data-testid="claim"]`).Length() != 0 || board.Find(`[data-testid="at-capacity"]`).Length() != 1 {
		t.Fatal("a DevRel at capacity is offered a Claim button instead of asking a manager")
	}
	before, _ := a.svc().Desk.UnreadCount(ctx, manager)
	resp, _ := c.submit(fmt.Sprintf("/support-requests/%d/ask-to-assign", r.ID), nil)
	location(t, resp, http.StatusSeeOther)
	if after, _ := a.svc().Desk.UnreadCount(ctx, manager); after != before+1 {
		t.Fatalf("the manager was not told (%d → %d)", before, after)
	}
	// With room, the button is back; a claim made by mistake is undone.
	dev := a.signedIn(domain.RoleDevRel)
	_, board = dev.get("/support")
	if board.Find(`[data-testid="claim"]`).Length() == 0 {
		t.Fatal("a DevRel with room has no Claim button")
	}
	location(t, mustResp(dev.submit(fmt.Sprintf("/support-requests/%d/claim", r.ID), nil)), http.StatusSeeOther)
	location(t, mustResp(dev.submit("/undo", nil)), http.StatusSeeOther)
	if got, _ := a.svc().Support.SupportDetail(ctx, r.ID); got.Request.Status != domain.SupportOpen {
		t.Fatalf("an undone claim left the request %s", got.Request.Status)
	}
}

// Two DevRel look at the board at once, one at capacity and one with room:
// each sees the buttons their own load allows, however their views
// interleave. The board's rows are kept for everyone; what one viewer may
// do is built per request and never written into them (run with -race).
func TestTwoDevRelSeeTheirOwnClaimButtons(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		a := newApp(t, d, web.Config{})
		ctx := context.Background()
		sales := a.users[domain.RoleSales]
		full := a.world.User("Full Dev", domain.RoleDevRel, testenv.Capacity(1))
		acc, _ := a.account("Northwind")
		a.assign(a.deal(sales, acc.ID, "Already carried").ID, full)
		for i := range 3 {
			deal := a.deal(sales, acc.ID, fmt.Sprint("Wants help ", i))
			if _, err := a.svc().Support.RequestSupport(ctx, sales, deal.ID, domain.SupportInput{Kind: "demo", Details: "Show it"}); err != nil {
				t.Fatal(err)
			}
		}
		fullC, roomC := a.signInAs(full), a.signedIn(domain.RoleDevRel)
		var wg sync.WaitGroup
		errs := make(chan string, 64)
		for range 8 {
			for who, c := range map[string]*client{"at capacity": fullC, "with room": roomC} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, board := c.get("/support")
					claims, asks := board.Find(`[data-testid="claim"]`).Length(), board.Find(`[data-testid="at-capacity"]`).Length()
					if who == "at capacity" && (claims != 0 || asks != 3) || who == "with room" && (claims != 3 || asks != 0) {
						errs <- fmt.Sprintf("the DevRel %s saw %d Claim buttons and %d 'at capacity'", who, claims, asks)
					}
				}()
			}
		}
		wg.Wait()
		close(errs)
		for e := range errs {
			t.Error(e)
		}
	})
}
