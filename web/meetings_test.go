package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/presale/presale/db"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/testenv"
	"github.com/presale/presale/web"
)

func meetingForm(start time.Time, contactIDs ...int64) url.Values {
	f := url.Values{"title": {"Security deep dive"}, "type": {"deep_dive"}, "starts_at": {start.Format(domain.DateTimeLayout)},
		"ends_at": {start.Add(90 * time.Minute).Format(domain.DateTimeLayout)}, "location": {"https://meet.example/abc"},
		"goal": {"Get the CISO to sign off."}, "agenda": {"1. Keys\n2. Audit"}}
	for _, id := range contactIDs {
		f.Add("contact_ids", fmt.Sprint(id))
	}
	return f
}

func TestScheduleAMeetingInTheViewersTimeZone(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		a := newApp(t, d, web.Config{})
		acc, contacts := a.account("Northwind", "Elena Marsh", "Raj Patel")
		sales := a.users[domain.RoleSales]
		devrel := a.users[domain.RoleDevRel]
		deal := a.deal(sales, acc.ID, "Fleet")
		a.assign(deal.ID, devrel)
		c := a.signedIn(domain.RoleSales)
		location(t, mustResp(c.submit("/settings", url.Values{"time_zone": {"America/New_York"}})), http.StatusSeeOther)

		// The form pre-selects the owner and the deal's DevRel.
		_, form := c.get(fmt.Sprint("/meetings/new?deal=", deal.ID))
		for _, u := range []domain.User{sales, devrel} {
			if form.Find(fmt.Sprintf(`input[name="internal_attendee_ids"][value="%d"][checked]`, u.ID)).Length() != 1 {
				t.Errorf("%s is not pre-selected", u.Name)
			}
		}
		start := time.Date(time.Now().Year()+1, 3, 10, 9, 0, 0, 0, time.UTC) // typed as New York wall time
		f := meetingForm(start, contacts[0].ID)
		f.Add("internal_attendee_ids", fmt.Sprint(sales.ID))
		f.Add("internal_attendee_ids", fmt.Sprint(devrel.ID))
		loc := location(t, mustResp(c.submit(fmt.Sprint("/deals/", deal.ID, "/meetings"), f)), http.StatusSeeOther)
		var m domain.Meeting
		if err := a.db.Read.Order("id DESC").First(&m).Error; err != nil {
			t.Fatal(err)
		}
		if loc != fmt.Sprint("/meetings/", m.ID) {
			t.Fatalf("created → %s", loc)
		}
		ny, _ := time.LoadLocation("America/New_York")
		want := time.Date(start.Year(), 3, 10, 9, 0, 0, 0, ny).UTC()
		if !m.StartsAt.Equal(want) {
			t.Fatalf("stored start %s, want %s (09:00 New York)", m.StartsAt.UTC(), want)
		}
		_, page := c.get(loc)
		if facts := page.Find(`[data-testid="meeting-facts"]`).Text(); !strings.Contains(facts, "09:00") {
			t.Fatalf("not shown in the viewer's zone: %q", facts)
		}
		attendees := page.Find(`[data-testid="meeting-attendees"]`).Text()
		if !strings.Contains(attendees, "Elena Marsh") || strings.Contains(attendees, "Raj Patel") || !strings.Contains(attendees, devrel.Name) {
			t.Fatalf("attendees: %q", attendees)
		}
		// Another viewer in UTC sees the same instant in UTC.
		_, page = a.signedIn(domain.RoleManager).get(loc)
		if facts := page.Find(`[data-testid="meeting-facts"]`).Text(); !strings.Contains(facts, want.Format("15:04")) {
			t.Fatalf("UTC viewer sees %q", facts)
		}
	})
}

func TestMeetingValidation(t *testing.T) {
	a := newApp(t, testenv.Open(t, db.SQLite), web.Config{})
	acc, _ := a.account("Northwind", "Elena Marsh")
	_, foreign := a.account("Helios", "Jonas Weber")
	deal := a.deal(a.users[domain.RoleSales], acc.ID, "Fleet")
	c := a.signedIn(domain.RoleSales)
	path := fmt.Sprint("/deals/", deal.ID, "/meetings")
	tomorrow := time.Now().UTC().Add(24 * time.Hour).Truncate(time.Minute)
	cases := []struct {
		name  string
		form  url.Values
		field string
	}{
		{"no title", func() url.Values { f := meetingForm(tomorrow); f.Set("title", ""); return f }(), "title"},
		{"unknown type", func() url.Values { f := meetingForm(tomorrow); f.Set("type", "party"); return f }(), "type"},
		{"end before start", func() url.Values {
			f := meetingForm(tomorrow)
			f.Set("ends_at", tomorrow.Add(-time.Hour).Format(domain.DateTimeLayout))
			return f
		}(), "ends_at"},
		{"start not a time", func() url.Values { f := meetingForm(tomorrow); f.Set("starts_at", "soon"); return f }(), "starts_at"},
		{"past as upcoming", meetingForm(tomorrow.Add(-72 * time.Hour)), "starts_at"},
		{"future as held", func() url.Values { f := meetingForm(tomorrow); f.Set("already_held", "1"); return f }(), "starts_at"},
		{"another account's contact", meetingForm(tomorrow, foreign[0].ID), "contact_ids"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, page := c.submit(path, tc.form)
			if resp.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("status %d", resp.StatusCode)
			}
			if fieldError(page, tc.field) == "" {
				t.Fatalf("no message beside %s", tc.field)
			}
			if tc.field != "title" && value(page, "title") != "Security deep dive" || strings.TrimSpace(value(page, "goal")) != "Get the CISO to sign off." {
				t.Fatalf("typed values lost: title %q goal %q", value(page, "title"), value(page, "goal"))
			}
		})
	}
	var n int64
	a.db.Read.Table("meetings").Count(&n)
	if n != 0 {
		t.Fatalf("%d meetings saved from invalid forms", n)
	}
	// A past meeting can be logged as held, with its outcome.
	f := meetingForm(tomorrow.Add(-72 * time.Hour))
	f.Set("already_held", "1")
	f.Set("outcome_notes", "They want a POC.")
	loc := location(t, mustResp(c.submit(path, f)), http.StatusSeeOther)
	_, page := c.get(loc)
	if !strings.Contains(page.Find(`[data-testid="meeting-status"]`).Text(), "held") || page.Find(`[data-testid="meeting-outcome"]`).Text() != "They want a POC." {
		t.Fatalf("logged meeting: %q", page.Find(`[data-testid="meeting-facts"]`).Text())
	}
}

func TestMarkHeldCancelAndTheAgenda(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		a := newApp(t, d, web.Config{})
		acc, _ := a.account("Northwind")
		sales := a.users[domain.RoleSales]
		other := a.user("Other Sales", domain.RoleSales)
		deal := a.deal(sales, acc.ID, "Fleet")
		otherDeal := a.deal(other, acc.ID, "Depot")
		held := a.meeting(sales, deal.ID, "Demo", 2, sales)
		cancelled := a.meeting(sales, deal.ID, "Pricing call", 50, sales)
		a.meeting(other, otherDeal.ID, "Someone else's call", 100, other)
		c := a.signedIn(domain.RoleSales)

		_, agenda := c.get("/meetings")
		if n := agenda.Find(`[data-testid="agenda-meeting"]`).Length(); n != 3 {
			t.Fatalf("agenda shows %d meetings, want 3", n)
		}
		_, mine := c.get("/meetings?mine=1")
		if n := mine.Find(`[data-testid="agenda-meeting"]`).Length(); n != 2 || strings.Contains(mine.Text(), "Someone else's call") {
			t.Fatalf("mine shows %d", n)
		}
		if days := agenda.Find(`[data-testid="agenda-day"]`).Length(); days != 3 {
			t.Fatalf("%d day groups, want 3", days)
		}

		// Another salesperson may not mark my meeting.
		if resp, _ := a.signInAs(other).submit(fmt.Sprint("/meetings/", held.ID, "/held"), url.Values{"outcome": {"x"}}); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("outsider marked held: %d", resp.StatusCode)
		}
		// The demo starts in two hours: marking it held asks first and
		// keeps the notes typed.
		resp, early := c.submit(fmt.Sprint("/meetings/", held.ID, "/held"), url.Values{"outcome": {"Demo landed; POC next."}})
		if resp.StatusCode != http.StatusUnprocessableEntity || early.Find(`[data-testid="confirm-early"]`).Length() != 1 ||
			early.Find(`textarea[name="outcome"]`).Text() != "Demo landed; POC next." || value(early, "early") != "1" {
			t.Fatalf("marking held before the start: %d, not asked first with the notes kept", resp.StatusCode)
		}
		if _, page := c.get(fmt.Sprint("/meetings/", held.ID)); page.Find(`[data-testid="meeting-status"]`).Text() != "scheduled" {
			t.Fatal("asking first changed the meeting")
		}
		loc := location(t, mustResp(c.submit(fmt.Sprint("/meetings/", held.ID, "/held"), url.Values{"outcome": {"Demo landed; POC next."}, "early": {"1"}})), http.StatusSeeOther)
		if loc != fmt.Sprint("/meetings/", held.ID) {
			t.Fatalf("held → %s", loc)
		}
		location(t, mustResp(c.submit(fmt.Sprint("/meetings/", cancelled.ID, "/cancel"), nil)), http.StatusSeeOther)
		if resp, page := c.submit(fmt.Sprint("/meetings/", cancelled.ID, "/cancel"), nil); resp.StatusCode != http.StatusConflict ||
			!strings.Contains(page.Find(`[data-testid="error"]`).Text(), "already cancelled") {
			t.Fatalf("cancelling twice: %d", resp.StatusCode)
		}

		_, page := c.get(fmt.Sprint("/deals/", deal.ID))
		if got := page.Find(`[data-testid="meeting-outcome"]`).Text(); got != "Demo landed; POC next." {
			t.Fatalf("deal page outcome %q", got)
		}
		for _, action := range []string{"held", "cancelled"} {
			entry := page.Find(`[data-entity="meeting"][data-action="` + action + `"]`)
			if entry.Find(`[data-field="status"]`).Length() != 1 || !strings.Contains(entry.Text(), action+" the meeting") {
				t.Fatalf("the timeline has %d meetings %s, want one with its status: %q", entry.Length(), action, entry.Text())
			}
		}
		_, upcoming := c.get("/meetings?mine=1")
		if n := upcoming.Find(`[data-testid="agenda-meeting"]`).Length(); n != 0 {
			t.Fatalf("held and cancelled meetings still upcoming: %d", n)
		}
		_, past := c.get("/meetings?past=1&mine=1")
		if n := past.Find(`[data-testid="agenda-meeting"]`).Length(); n != 2 {
			t.Fatalf("past shows %d, want 2", n)
		}

		// The owner reopens the cancelled call; an outsider may not; the
		// history says who did.
		if resp, _ := a.signInAs(other).submit(fmt.Sprint("/meetings/", cancelled.ID, "/reopen"), nil); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("outsider reopened: %d", resp.StatusCode)
		}
		location(t, mustResp(c.submit(fmt.Sprint("/meetings/", cancelled.ID, "/reopen"), nil)), http.StatusSeeOther)
		_, reopened := c.get(fmt.Sprint("/meetings/", cancelled.ID))
		if got := reopened.Find(`[data-testid="meeting-status"]`).Text(); got != "scheduled" {
			t.Fatalf("reopened meeting is %q", got)
		}
		if resp, _ := c.submit(fmt.Sprint("/meetings/", cancelled.ID, "/reopen"), nil); resp.StatusCode != http.StatusConflict {
			t.Fatalf("reopening a scheduled meeting: %d, want 409", resp.StatusCode)
		}
		_, page = c.get(fmt.Sprint("/deals/", deal.ID))
		if n := page.Find(`[data-entity="meeting"]:not([data-action="created"]) [data-field="status"]`).Length(); n != 3 {
			t.Fatalf("%d meeting status changes on the timeline after reopening, want 3", n)
		}
	})
}

// Before a meeting starts its page leads with the sync, then the plan, and
// has no outcome form; a held one leads with its outcome.
func TestMeetingPageFollowsTheWork(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		a := newApp(t, d, web.Config{})
		acc, _ := a.account("Acme")
		sales := a.users[domain.RoleSales]
		deal := a.deal(sales, acc.ID, "Fleet")
		ahead := a.meeting(sales, deal.ID, "Demo", 30, sales)
		done := a.meeting(sales, deal.ID, "Kick-off", -30, sales)
		c := a.signedIn(domain.RoleSales)
		order := func(page *goquery.Document, ids ...string) []int {
			html, _ := page.Html()
			var at []int
			for _, id := range ids {
				at = append(at, strings.Index(html, `data-testid="`+id+`"`))
			}
			return at
		}
		_, page := c.get(fmt.Sprint("/meetings/", ahead.ID))
		at := order(page, "sync-panel", "meeting-attendees", "meeting-actions")
		if at[0] < 0 || at[1] < at[0] || at[2] < at[1] {
			t.Errorf("before the start: sync at %d, plan at %d, actions at %d; want in that order", at[0], at[1], at[2])
		}
		if page.Find(`textarea[name="outcome"]`).Length() != 0 {
			t.Error("an outcome form before the meeting has started")
		}
		_, page = c.get(fmt.Sprint("/meetings/", done.ID))
		at = order(page, "meeting-result", "meeting-attendees")
		if at[0] < 0 || at[1] < at[0] {
			t.Errorf("after the meeting: outcome at %d, plan at %d; want the outcome first", at[0], at[1])
		}
		if page.Find(`[data-testid="reopen-meeting"]`).Length() != 1 {
			t.Error("the owner has no Reopen on a held meeting")
		}
	})
}

func TestQuestionsAndNotesByTheDealTeam(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		a := newApp(t, d, web.Config{})
		acc, contacts := a.account("Northwind", "Elena Marsh")
		sales := a.users[domain.RoleSales]
		devrel := a.users[domain.RoleDevRel]
		deal := a.deal(sales, acc.ID, "Fleet")
		a.assign(deal.ID, devrel)
		m := a.meeting(sales, deal.ID, "Demo", 2, sales, devrel)
		outsider := a.signInAs(a.user("Free DevRel", domain.RoleDevRel))
		team := a.signedIn(domain.RoleDevRel)
		path := fmt.Sprint("/meetings/", m.ID, "/questions")
		q := url.Values{"category": {"security"}, "text": {"Can we hold the keys?"}, "raised_by_id": {fmt.Sprint(contacts[0].ID)}}

		if resp, _ := outsider.submit(path, q); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("outsider raised a question: %d", resp.StatusCode)
		}
		resp, page := team.submit(path, url.Values{"category": {"security"}, "text": {" "}})
		if resp.StatusCode != http.StatusUnprocessableEntity || fieldError(page, "text") == "" || value(page, "category") != "security" {
			t.Fatalf("empty question: %d %q", resp.StatusCode, fieldError(page, "text"))
		}
		location(t, mustResp(team.submit(path, q)), http.StatusSeeOther)
		_, page = team.get(fmt.Sprint("/deals/", deal.ID))
		if got := page.Find(`[data-testid="deal-questions"]`).Text(); !strings.Contains(got, "Can we hold the keys?") || !strings.Contains(got, "Elena Marsh") {
			t.Fatalf("question not on the deal: %q", got)
		}

		notes := fmt.Sprint("/deals/", deal.ID, "/notes")
		if resp, _ := outsider.submit(notes, url.Values{"body": {"psst"}}); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("outsider added a note: %d", resp.StatusCode)
		}
		location(t, mustResp(team.submit(notes, url.Values{"body": {"CISO prefers BYOK."}})), http.StatusSeeOther)
		_, page = team.get(fmt.Sprint("/deals/", deal.ID))
		if !strings.Contains(page.Find(`[data-testid="deal-notes"]`).Text(), "CISO prefers BYOK.") {
			t.Fatal("note not shown to the team")
		}
		_, page = outsider.get(fmt.Sprint("/deals/", deal.ID))
		if page.Find(`[data-testid="deal-notes"]`).Length() != 0 || strings.Contains(page.Text(), "CISO prefers BYOK.") {
			t.Fatal("an outsider sees the internal notes")
		}
	})
}

func TestAccountsAndContacts(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		a := newApp(t, d, web.Config{})
		c := a.signedIn(domain.RoleSales)
		resp, page := c.submit("/accounts", url.Values{"name": {""}, "domain": {"northwind.example"}, "industry": {"Logistics"}})
		if resp.StatusCode != http.StatusUnprocessableEntity || fieldError(page, "name") == "" || value(page, "domain") != "northwind.example" {
			t.Fatalf("nameless account: %d", resp.StatusCode)
		}
		loc := location(t, mustResp(c.submit("/accounts", url.Values{"name": {"Northwind"}, "domain": {"northwind.example"}})), http.StatusSeeOther)
		id := strings.TrimPrefix(loc, "/accounts/")

		resp, page = c.submit("/contacts", url.Values{"account_id": {id}, "name": {"Elena"}, "email": {"not-an-address"}})
		if resp.StatusCode != http.StatusUnprocessableEntity || fieldError(page, "email") == "" || value(page, "name") != "Elena" {
			t.Fatalf("bad e-mail: %d", resp.StatusCode)
		}
		if got := location(t, mustResp(c.submit("/contacts", url.Values{"account_id": {id}, "name": {"Elena Marsh"}, "email": {"elena@northwind.example"}})), http.StatusSeeOther); got != loc {
			t.Fatalf("contact → %s", got)
		}
		_, edit := c.get(loc + "/edit")
		location(t, mustResp(c.submit(loc, url.Values{"name": {"Northwind Logistics"}, "domain": {"northwind.example"}, "version": {value(edit, "version")}})), http.StatusSeeOther)
		_, page = c.get(loc)
		if page.Find(`[data-testid="account-name"]`).Text() != "Northwind Logistics" || !strings.Contains(page.Find(`[data-testid="contacts"]`).Text(), "Elena Marsh") {
			t.Fatalf("account page: %q", page.Find("main").Text())
		}
		for i := range 30 {
			a.account(fmt.Sprintf("Zeta %02d", i))
		}
		_, list := c.get("/accounts?q=zeta")
		if n := list.Find(`[data-testid="accounts"] tbody tr`).Length(); n != 25 {
			t.Fatalf("first page of the search: %d rows", n)
		}
		_, list = c.get("/accounts?q=zeta&page=2")
		if n := list.Find(`[data-testid="accounts"] tbody tr`).Length(); n != 5 {
			t.Fatalf("second page of the search: %d rows", n)
		}
		_, list = c.get("/accounts?q=nobody")
		if list.Find(`[data-testid="empty"]`).Length() != 1 {
			t.Fatal("no empty state for a search without results")
		}
		if resp, _ := a.signedIn(domain.RoleDevRel).submit("/accounts", url.Values{"name": {"X"}}); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("a DevRel created an account: %d", resp.StatusCode)
		}
	})
}

// An inline action sent by htmx goes back to the page it came from, so
// htmx can swap the fresh piece of that page; without htmx, to the meeting.
func TestInlineMeetingActionsReturnToTheirPage(t *testing.T) {
	a := newApp(t, testenv.Open(t, db.SQLite), web.Config{})
	acc, _ := a.account("Northwind")
	sales := a.users[domain.RoleSales]
	deal := a.deal(sales, acc.ID, "Fleet")
	m := a.meeting(sales, deal.ID, "Demo", 2, sales)
	c := a.signedIn(domain.RoleSales)
	resp := c.htmxSubmit(fmt.Sprint("/meetings/", m.ID, "/held"), url.Values{"outcome": {"Went well."}, "early": {"1"}}, fmt.Sprint("/deals/", deal.ID, "?tab=meetings"))
	if got := location(t, resp, http.StatusSeeOther); got != fmt.Sprint("/deals/", deal.ID, "?tab=meetings") {
		t.Fatalf("htmx held → %s", got)
	}
}

// A meeting that has not started is marked held only confirmed and with
// its outcome, whichever page or the API asks: the deal page offers no
// one-click "Mark held" before the start, only the way to the meeting's
// own confirming form; from the start it offers the inline form.
func TestAFutureMeetingIsMarkedHeldByOneRuleEverywhere(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		clk := &testenv.MovingClock{}
		a := newApp(t, d, web.Config{}, clk.Now)
		acc, _ := a.account("Northwind")
		sales := a.users[domain.RoleSales]
		deal := a.deal(sales, acc.ID, "Fleet")
		m := a.meeting(sales, deal.ID, "Demo", 2, sales)
		c := a.signedIn(domain.RoleSales)
		api := a.api(sales, domain.ScopeReadWrite, a.spec())
		held := fmt.Sprint("/meetings/", m.ID, "/held")

		_, page := c.get(fmt.Sprint("/deals/", deal.ID, "?tab=meetings"))
		item := page.Find(`[data-testid="meeting-item"]`)
		if item.Find(`form[action="`+held+`"]`).Length() != 0 {
			t.Fatal("the deal page offers to mark a future meeting held in one click")
		}
		if href, _ := item.Find(`[data-testid="held-early"]`).Attr("href"); href != fmt.Sprint("/meetings/", m.ID, "?early=1#meeting-actions") {
			t.Fatalf("the deal page's way to mark it held already: %q", href)
		}
		// Confirmed but without an outcome: refused, from the page and the API.
		resp, form := c.submit(held, url.Values{"outcome": {"  "}, "early": {"1"}})
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(form.Find(`#meeting-actions`).Text(), "say what came of it") ||
			value(form, "early") != "1" {
			t.Fatalf("held early without an outcome: %d", resp.StatusCode)
		}
		if got := c.htmxSubmit(held, url.Values{"early": {"1"}}, fmt.Sprint("/deals/", deal.ID, "?tab=meetings")); got.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("held early without an outcome, by htmx from the deal page: %d", got.StatusCode)
		}
		if bad := api.post(held, map[string]any{"early": true}).want(t, http.StatusUnprocessableEntity); bad.field("outcome") == "" {
			t.Fatalf("the API's refusal names no outcome: %s", bad.Body)
		}
		if _, page := c.get(fmt.Sprint("/meetings/", m.ID)); page.Find(`[data-testid="meeting-status"]`).Text() != "scheduled" {
			t.Fatal("a refused early mark changed the meeting")
		}
		// With the outcome it is held.
		location(t, mustResp(c.submit(held, url.Values{"outcome": {"Moved up a day; went well."}, "early": {"1"}})), http.StatusSeeOther)
		if _, page := c.get(fmt.Sprint("/meetings/", m.ID)); page.Find(`[data-testid="meeting-status"]`).Text() != "held" {
			t.Fatal("confirmed with its outcome, the meeting is not held")
		}

		// A meeting under way is marked held from the deal page, outcome or not.
		now := a.meeting(sales, deal.ID, "Review", 1, sales)
		clk.Add(90 * time.Minute)
		_, page = c.get(fmt.Sprint("/deals/", deal.ID, "?tab=meetings"))
		if page.Find(`form[action="/meetings/`+fmt.Sprint(now.ID)+`/held"]`).Length() != 1 {
			t.Fatal("the deal page offers no Mark held for a meeting that has started")
		}
		location(t, mustResp(c.submit(fmt.Sprint("/meetings/", now.ID, "/held"), nil)), http.StatusSeeOther)
	})
}

// A new meeting asked for without its deal asks which one: the open deals
// of the salesperson (a manager's: everyone's), searched by name, each
// leading to the meeting form for that deal.
func TestANewMeetingWithoutADealAsksWhichDeal(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		a := newApp(t, d, web.Config{})
		acc, _ := a.account("Northwind")
		sales := a.users[domain.RoleSales]
		fleet := a.deal(sales, acc.ID, "Fleet telematics")
		a.deal(sales, acc.ID, "Depot sensors")
		a.deal(a.user("Other Sales", domain.RoleSales), acc.ID, "Someone else's deal")
		c := a.signedIn(domain.RoleSales)

		resp, page := c.get("/meetings/new")
		if resp.StatusCode != http.StatusOK || page.Find(`[data-testid="meeting-deal"]`).Length() != 2 || strings.Contains(page.Text(), "Someone else's") {
			t.Fatalf("/meetings/new without a deal: %d, %q", resp.StatusCode, page.Find(`[data-testid="meeting-deals"]`).Text())
		}
		_, page = c.get("/meetings/new?q=fleet")
		hits := page.Find(`[data-testid="meeting-deal"] a`)
		href, _ := hits.Attr("href")
		if hits.Length() != 1 || href != fmt.Sprint("/meetings/new?deal=", fleet.ID) {
			t.Fatalf("searching the deals for a meeting: %d hits, first %q", hits.Length(), href)
		}
		if resp, form := c.get(href); resp.StatusCode != http.StatusOK || form.Find(`form[action="/deals/`+fmt.Sprint(fleet.ID)+`/meetings"]`).Length() != 1 {
			t.Fatalf("the picked deal's meeting form: %d", resp.StatusCode)
		}
		if _, agenda := c.get("/meetings"); agenda.Find(`a[data-testid="new-meeting"][href="/meetings/new"]`).Length() != 1 {
			t.Fatal("the agenda has no way to a new meeting")
		}
		_, page = a.signedIn(domain.RoleManager).get("/meetings/new")
		if n := page.Find(`[data-testid="meeting-deal"]`).Length(); n != 3 {
			t.Fatalf("a manager picks among %d deals, want everyone's 3", n)
		}
	})
}

func TestEditAMeetingAndAContact(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		a := newApp(t, d, web.Config{})
		acc, contacts := a.account("Northwind", "Elena Marsh")
		sales := a.users[domain.RoleSales]
		deal := a.deal(sales, acc.ID, "Fleet")
		m := a.meeting(sales, deal.ID, "Demo", 30, sales)
		c := a.signedIn(domain.RoleSales)
		path := fmt.Sprint("/meetings/", m.ID)

		_, form := c.get(path + "/edit")
		if value(form, "title") != "Demo" || value(form, "starts_at") != m.StartsAt.Format(domain.DateTimeLayout) {
			t.Fatalf("edit form: %q %q", value(form, "title"), value(form, "starts_at"))
		}
		f := meetingForm(m.StartsAt.Add(2*time.Hour), contacts[0].ID)
		f.Set("version", value(form, "version"))
		f.Set("title", "Demo for the CTO")
		f.Set("ends_at", m.StartsAt.Format(domain.DateTimeLayout)) // before the new start
		if resp, page := c.submit(path, f); resp.StatusCode != http.StatusUnprocessableEntity || fieldError(page, "ends_at") == "" {
			t.Fatalf("bad edit: %d", resp.StatusCode)
		}
		f.Set("ends_at", m.StartsAt.Add(3*time.Hour).Format(domain.DateTimeLayout))
		if got := location(t, mustResp(c.submit(path, f)), http.StatusSeeOther); got != path {
			t.Fatalf("edit → %s", got)
		}
		if resp, _ := a.signedIn(domain.RoleDevRel).submit(path, f); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("a DevRel edited the meeting: %d", resp.StatusCode)
		}
		_, page := c.get(fmt.Sprint("/deals/", deal.ID))
		change := page.Find(`[data-entity="meeting"][data-action="updated"] [data-field="title"]`).Text()
		if !strings.Contains(change, "Demo") || !strings.Contains(change, "Demo for the CTO") {
			t.Fatalf("title change on the timeline: %q", change)
		}
		if page.Find(`[data-entity="meeting"][data-action="updated"] [data-field="starts_at"]`).Length() != 1 {
			t.Fatal("the new start is not on the timeline")
		}

		contactPath := fmt.Sprint("/contacts/", contacts[0].ID)
		_, edit := c.get(contactPath + "/edit")
		location(t, mustResp(c.submit(contactPath, url.Values{"name": {"Elena Marsh"}, "title": {"CTO"}, "version": {value(edit, "version")}})), http.StatusSeeOther)
		_, page = c.get(contactPath)
		if !strings.Contains(page.Find(".facts").Text(), "CTO") {
			t.Fatalf("contact page: %q", page.Find(".facts").Text())
		}
		_, page = c.get(fmt.Sprint("/accounts/", acc.ID))
		if !strings.Contains(page.Find(`[data-testid="account-deals"]`).Text(), "Fleet") ||
			!strings.Contains(page.Find(`[data-testid="account-meetings"]`).Text(), "Demo for the CTO") {
			t.Fatal("the account page lacks its deals or meetings")
		}
	})
}

// Two people edit one account from forms opened at the same time: the
// second is shown what the first changed, keeps what they typed, and can
// save again knowingly. The same holds for contacts and meetings.
func TestStaleEditsShowWhatChanged(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		a := newApp(t, d, web.Config{})
		acc, contacts := a.account("Northwind", "Elena Marsh")
		sales := a.users[domain.RoleSales]
		m := a.meeting(sales, a.deal(sales, acc.ID, "Fleet").ID, "Demo", 30, sales)
		first, second := a.signedIn(domain.RoleSales), a.signedIn(domain.RoleManager)
		cases := []struct {
			path         string
			mine, theirs url.Values
			field        string
		}{
			{fmt.Sprint("/accounts/", acc.ID), url.Values{"name": {"Northwind Logistics"}}, url.Values{"name": {"Northwind Freight"}}, "name"},
			{fmt.Sprint("/contacts/", contacts[0].ID), url.Values{"name": {"Elena Marsh"}, "title": {"CTO"}}, url.Values{"name": {"Elena Marsh"}, "title": {"VP Engineering"}}, "title"},
			{fmt.Sprint("/meetings/", m.ID), meetingForm(m.StartsAt, contacts[0].ID), meetingForm(m.StartsAt.Add(time.Hour), contacts[0].ID), "starts_at"},
		}
		for _, tc := range cases {
			_, f1 := first.get(tc.path + "/edit")
			_, f2 := second.get(tc.path + "/edit")
			tc.mine.Set("version", value(f1, "version"))
			tc.theirs.Set("version", value(f2, "version"))
			location(t, mustResp(first.submit(tc.path, tc.mine)), http.StatusSeeOther)
			resp, page := second.submit(tc.path, tc.theirs)
			if resp.StatusCode != http.StatusConflict || page.Find(`[data-testid="conflict"]`).Length() != 1 || value(page, tc.field) != tc.theirs.Get(tc.field) {
				t.Fatalf("%s: stale save answered %d; conflict shown: %d; %s kept as %q", tc.path, resp.StatusCode,
					page.Find(`[data-testid="conflict"]`).Length(), tc.field, value(page, tc.field))
			}
			if value(page, "version") == tc.theirs.Get("version") {
				t.Fatalf("%s: the re-shown form still carries the stale version", tc.path)
			}
			tc.theirs.Set("version", value(page, "version"))
			location(t, mustResp(second.submit(tc.path, tc.theirs)), http.StatusSeeOther)
		}
	})
}

// The agenda's filters say which one is active (aria-current="true",
// which the stylesheet also draws).
func TestAgendaFiltersShowWhichIsActive(t *testing.T) {
	a := newApp(t, testenv.Open(t, db.SQLite), web.Config{})
	c := a.signedIn(domain.RoleSales)
	for path, want := range map[string][]string{
		"/meetings":               {"Upcoming", "Everyone's"},
		"/meetings?past=1":        {"Past", "Everyone's"},
		"/meetings?past=1&mine=1": {"Past", "Mine"},
	} {
		_, page := c.get(path)
		var active []string
		page.Find(`.tabs a[aria-current="true"]`).Each(func(_ int, s *goquery.Selection) { active = append(active, s.Text()) })
		if strings.Join(active, ",") != strings.Join(want, ",") {
			t.Errorf("%s: active filters %v, want %v", path, active, want)
		}
	}
}
