package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/presale/presale/db"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/testenv"
	"github.com/presale/presale/web"
)

func dealForm(accountID int64) url.Values {
	return url.Values{"title": {"Fleet streaming"}, "account_id": {fmt.Sprint(accountID)}, "stage": {"discovery"},
		"technical_status": {"not_started"}, "amount": {"125000.50"}, "currency": {"EUR"}, "expected_close_date": {"2027-03-31"},
		"description": {"Real-time depot events."}}
}

func TestCreateDealAndSeeItsPage(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		a := newApp(t, d, web.Config{})
		acc, _ := a.account("Northwind")
		c := a.signedIn(domain.RoleSales)
		loc := location(t, mustResp(c.submit("/deals", dealForm(acc.ID))), http.StatusSeeOther)
		if !strings.HasPrefix(loc, "/deals/") {
			t.Fatalf("created deal → %s", loc)
		}
		_, page := c.get(loc)
		if got := page.Find(`[data-testid="deal-title"]`).Text(); got != "Fleet streaming" {
			t.Fatalf("title %q", got)
		}
		if got := page.Find(`[data-testid="deal-amount"]`).Text(); got != "125,000.50 EUR" {
			t.Fatalf("amount %q", got)
		}
		if !strings.Contains(page.Find(`[data-testid="flash"]`).Text(), "created") {
			t.Fatal("no confirmation")
		}
		entry := page.Find(`[data-testid="timeline-entry"][data-entity="deal"][data-action="created"]`)
		if entry.Length() != 1 || !strings.Contains(entry.Text(), "Test Sales") {
			t.Fatalf("timeline lacks the creation: %q", page.Find(`[data-testid="timeline"]`).Text())
		}
	})
}

// Each invalid field is refused with 422, its message beside it, and
// everything typed kept.
func TestDealValidationKeepsWhatWasTyped(t *testing.T) {
	a := newApp(t, testenv.Open(t, db.SQLite), web.Config{})
	acc, _ := a.account("Northwind")
	c := a.signedIn(domain.RoleSales)
	cases := []struct {
		field, value string
	}{
		{"title", "  "},
		{"account_id", ""},
		{"account_id", "99999"},
		{"stage", "won-ish"},
		{"technical_status", "great"},
		{"amount", "-5"},
		{"amount", "12.345"},
		{"amount", "lots"},
		{"currency", "XYZ"},
		{"expected_close_date", "2027-02-30"},
		{"expected_close_date", "next week"},
	}
	for _, tc := range cases {
		t.Run(tc.field+"="+tc.value, func(t *testing.T) {
			form := dealForm(acc.ID)
			form.Set(tc.field, tc.value)
			resp, page := c.submit("/deals", form)
			if resp.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("status %d", resp.StatusCode)
			}
			if fieldError(page, tc.field) == "" {
				t.Fatalf("no message beside %s", tc.field)
			}
			for _, kept := range []string{"title", "description", "amount"} {
				if kept != tc.field && strings.TrimSpace(value(page, kept)) != strings.TrimSpace(form.Get(kept)) {
					t.Errorf("%s not kept: %q", kept, value(page, kept))
				}
			}
			if tc.field == "amount" && value(page, "amount") != tc.value {
				t.Errorf("the invalid amount was not kept: %q", value(page, "amount"))
			}
		})
	}
	var n int64
	a.db.Read.Table("deals").Count(&n)
	if n != 0 {
		t.Fatalf("%d deals saved from invalid forms", n)
	}
}

func TestEditDealRecordsEachFieldOnTheTimeline(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		a := newApp(t, d, web.Config{})
		acc, _ := a.account("Northwind")
		sales := a.users[domain.RoleSales]
		deal := a.deal(sales, acc.ID, "Fleet streaming")
		c := a.signedIn(domain.RoleSales)
		path := fmt.Sprint("/deals/", deal.ID)

		_, edit := c.get(path + "/edit")
		if value(edit, "version") != "1" || value(edit, "amount") != "1000" {
			t.Fatalf("edit form: version %q amount %q", value(edit, "version"), value(edit, "amount"))
		}
		form := dealForm(acc.ID)
		form.Set("version", "1")
		form.Set("stage", "closed_won")
		form.Set("amount", "2500")
		form.Set("currency", "USD")
		if loc := location(t, mustResp(c.submit(path, form)), http.StatusSeeOther); loc != path {
			t.Fatalf("update → %s", loc)
		}
		_, page := c.get(path)
		update := page.Find(`[data-testid="timeline-entry"][data-action="updated"]`)
		changes := map[string]string{}
		update.Find(`[data-testid="change"]`).Each(func(_ int, s *goquery.Selection) {
			changes[s.AttrOr("data-field", "")] = strings.Join(strings.Fields(s.Text()), " ")
		})
		if !strings.Contains(changes["stage"], "Discovery → Closed won") {
			t.Errorf("stage change: %q", changes["stage"])
		}
		if !strings.Contains(changes["amount"], "1,000 USD → 2,500 USD") {
			t.Errorf("amount change: %q", changes["amount"])
		}
		if _, ok := changes["account"]; ok {
			t.Error("an unchanged field is on the timeline")
		}
		var closed struct{ ClosedAt *string }
		a.db.Read.Table("deals").Select("closed_at").Where("id = ?", deal.ID).Scan(&closed)
		if closed.ClosedAt == nil {
			t.Fatal("closing did not stamp closed_at")
		}
		// Reopen: closed_at is cleared, and the stage change is recorded.
		form.Set("version", "2")
		form.Set("stage", "negotiation")
		location(t, mustResp(c.submit(path, form)), http.StatusSeeOther)
		closed.ClosedAt = nil
		a.db.Read.Table("deals").Select("closed_at").Where("id = ?", deal.ID).Scan(&closed)
		if closed.ClosedAt != nil {
			t.Fatal("reopening kept closed_at")
		}
		_, page = c.get(path)
		if n := page.Find(`[data-action="updated"] [data-testid="change"][data-field="stage"]`).Length(); n != 2 {
			t.Fatalf("%d stage changes on the timeline, want 2", n)
		}
	})
}

// Two people edit the same deal: the second save is refused with 409,
// shows what the first changed, and keeps the second person's input; saving
// again applies it.
func TestConcurrentEditsNeverOverwriteSilently(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		a := newApp(t, d, web.Config{})
		acc, _ := a.account("Northwind")
		sales := a.users[domain.RoleSales]
		deal := a.deal(sales, acc.ID, "Fleet streaming")
		path := fmt.Sprint("/deals/", deal.ID)
		first, second := a.signedIn(domain.RoleSales), a.signedIn(domain.RoleManager)
		_, firstForm := first.get(path + "/edit")
		_, secondForm := second.get(path + "/edit")

		mine := dealForm(acc.ID)
		mine.Set("version", value(firstForm, "version"))
		mine.Set("stage", "proposal")
		location(t, mustResp(first.submit(path, mine)), http.StatusSeeOther)

		theirs := dealForm(acc.ID)
		theirs.Set("version", value(secondForm, "version"))
		theirs.Set("title", "Fleet streaming — enterprise")
		theirs.Set("owner_id", fmt.Sprint(sales.ID))
		resp, page := second.submit(path, theirs)
		if resp.StatusCode != http.StatusConflict {
			t.Fatalf("second save: %d", resp.StatusCode)
		}
		conflict := page.Find(`[data-testid="conflict"]`)
		if !strings.Contains(conflict.Text(), "Proposal") || !strings.Contains(conflict.Text(), "Test Sales") {
			t.Fatalf("the conflict does not say what changed: %q", conflict.Text())
		}
		if value(page, "title") != "Fleet streaming — enterprise" {
			t.Fatalf("the second person's input was lost: %q", value(page, "title"))
		}
		if value(page, "version") != "2" {
			t.Fatalf("version in the form %q, want the current 2", value(page, "version"))
		}
		current, _, _ := a.svc().Deals.Deal(t.Context(), deal.ID)
		if current.Title != "Fleet streaming" || current.Stage != domain.StageProposal {
			t.Fatalf("the refused save changed the deal: %+v", current)
		}
		// Saving again, knowingly, applies the second version.
		theirs.Set("version", value(page, "version"))
		location(t, mustResp(second.submit(path, theirs)), http.StatusSeeOther)
		current, _, _ = a.svc().Deals.Deal(t.Context(), deal.ID)
		if current.Title != "Fleet streaming — enterprise" || current.Version != 3 {
			t.Fatalf("after the knowing save: %+v", current)
		}
	})
}

func TestOnlyTheOwnerOrAManagerEditsADeal(t *testing.T) {
	a := newApp(t, testenv.Open(t, db.SQLite), web.Config{})
	acc, _ := a.account("Northwind")
	deal := a.deal(a.users[domain.RoleSales], acc.ID, "Fleet")
	path := fmt.Sprint("/deals/", deal.ID)
	other := a.signInAs(a.user("Other Sales", domain.RoleSales))
	devrel := a.signedIn(domain.RoleDevRel)
	for _, c := range []*client{other, devrel} {
		if resp, _ := c.get(path); resp.StatusCode != http.StatusOK {
			t.Fatalf("reading a deal: %d", resp.StatusCode)
		}
		if resp, _ := c.get(path + "/edit"); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("edit form: %d", resp.StatusCode)
		}
		form := dealForm(acc.ID)
		form.Set("version", "1")
		if resp, _ := c.submit(path, form); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("edit: %d", resp.StatusCode)
		}
	}
	if resp, _ := devrel.submit("/deals", dealForm(acc.ID)); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("a DevRel opened a deal: %d", resp.StatusCode)
	}
	manager := a.signedIn(domain.RoleManager)
	form := dealForm(acc.ID)
	form.Set("version", "1")
	location(t, mustResp(manager.submit(path, form)), http.StatusSeeOther)
	if resp, _ := manager.get("/deals/99999"); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("missing deal: %d", resp.StatusCode)
	}
}

func TestPipelineFiltersSortsAndPages(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		a := newApp(t, d, web.Config{})
		north, _ := a.account("Northwind Logistics")
		helios, _ := a.account("Helios Energy")
		sales := a.users[domain.RoleSales]
		other := a.user("Other Sales", domain.RoleSales)
		for i := range 60 {
			owner, acc := sales, north.ID
			if i%3 == 0 {
				owner, acc = other, helios.ID
			}
			a.deal(owner, acc, fmt.Sprintf("Deal %02d", i), func(in *domain.DealInput) {
				in.Amount = fmt.Sprint(1000 + i)
				in.Stage = string(domain.Stages[i%5])
			})
		}
		covered := a.deal(sales, north.ID, "Covered deal")
		a.assign(covered.ID, a.users[domain.RoleDevRel])
		c := a.signedIn(domain.RoleManager)

		titles := func(path string) []string {
			_, page := c.get(path)
			var out []string
			page.Find(`[data-testid="deal-row"] td.title`).Each(func(_ int, s *goquery.Selection) { out = append(out, s.Text()) })
			return out
		}
		// Pages are disjoint and together hold every deal exactly once.
		seen := map[string]int{}
		for p := 1; p <= 3; p++ {
			for _, title := range titles(fmt.Sprintf("/deals?sort=amount&page=%d", p)) {
				seen[title]++
			}
		}
		if len(seen) != 61 {
			t.Fatalf("pages hold %d distinct deals, want 61", len(seen))
		}
		for title, n := range seen {
			if n != 1 {
				t.Fatalf("%s on %d pages", title, n)
			}
		}
		if got := titles("/deals?sort=amount"); got[0] != "Deal 59" {
			t.Fatalf("largest first: %v", got[:3])
		}
		if got := titles("/deals?q=helios"); len(got) != 20 {
			t.Fatalf("account search found %d, want 20", len(got))
		}
		if got := titles("/deals?q=deal+0"); len(got) != 10 {
			t.Fatalf("title search found %d, want 10", len(got))
		}
		if got := titles(fmt.Sprintf("/deals?owner=%d", other.ID)); len(got) != 20 {
			t.Fatalf("owner filter found %d", len(got))
		}
		if got := titles("/deals?stage=proposal&q=helios"); len(got) != 4 {
			t.Fatalf("stage and search found %d, want 4", len(got))
		}
		if got := titles("/deals?devrel=with"); len(got) != 1 || got[0] != "Covered deal" {
			t.Fatalf("with DevRel: %v", got)
		}
		_, page := c.get("/deals?devrel=without")
		if !strings.Contains(page.Find(`[data-testid="pager"]`).Text(), "60 deals") {
			t.Fatalf("without DevRel: %q", page.Find(`[data-testid="pager"]`).Text())
		}
		// The next-page link keeps the filters.
		next := page.Find(`[data-testid="next-page"]`).AttrOr("href", "")
		if !strings.Contains(next, "devrel=without") || !strings.Contains(next, "page=2") {
			t.Fatalf("next page link %q", next)
		}
	})
}

func mustResp(resp *http.Response, _ *goquery.Document) *http.Response { return resp }

// The timeline reads newest first and folds everything after the tenth
// entry under a summary.
func TestTimelineIsNewestFirstAndFolds(t *testing.T) {
	a := newApp(t, testenv.Open(t, db.SQLite), web.Config{})
	acc, _ := a.account("Northwind")
	sales := a.users[domain.RoleSales]
	deal := a.deal(sales, acc.ID, "Fleet")
	for i := range 12 {
		in := domain.DealInput{Title: "Fleet", AccountID: fmt.Sprint(acc.ID), Stage: "discovery", Amount: "1000", Currency: "USD",
			Description: fmt.Sprint("Note ", i+1), TechnicalStatus: "not_started"}
		if _, err := a.svc().Deals.UpdateDeal(t.Context(), sales, deal.ID, int64(i+1), in); err != nil {
			t.Fatal(err)
		}
	}
	_, page := a.signedIn(domain.RoleSales).get(fmt.Sprint("/deals/", deal.ID))
	visible := page.Find(`[data-testid="timeline"] > ol.timeline > li`)
	if visible.Length() != 10 {
		t.Fatalf("%d entries before the fold, want 10", visible.Length())
	}
	if got := visible.First().Find(`[data-field="description"] ins`).Text(); got != "Note 12" {
		t.Fatalf("first entry shows %q, want the latest change (Note 12)", got)
	}
	more := page.Find(`[data-testid="timeline-more"]`)
	if n := more.Find(`li[data-testid="timeline-entry"]`).Length(); n != 3 || !strings.Contains(more.Find("summary").Text(), "3 earlier entries") {
		t.Fatalf("folded %d entries under %q, want 3", n, more.Find("summary").Text())
	}
	if more.Find(`li[data-action="created"]`).Length() != 1 {
		t.Fatal("the creation is not the oldest, folded entry")
	}
}
