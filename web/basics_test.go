package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/presale/presale/db"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/service"
	"github.com/presale/presale/internal/testenv"
	"github.com/presale/presale/web"
)

// A deal's next steps: the team adds them for the owner or a DevRel on it;
// a wrong assignee is refused with what was typed kept; the desk lists
// what is due and flags deals without a next step, and so does the
// pipeline's filter; a held meeting asks for the next step.
func TestNextSteps(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		a := newApp(t, d, web.Config{})
		acc, _ := a.account("Northwind")
		sales, devrel := a.users[domain.RoleSales], a.users[domain.RoleDevRel]
		fleet := a.deal(sales, acc.ID, "Fleet")
		depot := a.deal(sales, acc.ID, "Depot")
		a.assign(fleet.ID, devrel)
		c := a.signedIn(domain.RoleSales)

		_, desk := c.get("/")
		if !strings.Contains(desk.Find(`[data-testid="desk-no-next-step"]`).Text(), "2 open deals have no next step") {
			t.Fatalf("desk flag: %q", desk.Find(`[data-testid="desk-no-next-step"]`).Text())
		}
		outsider := a.user("Olga Outsider", domain.RoleSales)
		resp, page := c.submit(fmt.Sprint("/deals/", fleet.ID, "/tasks"), url.Values{"title": {"Send the security questionnaire"}, "due_on": {"2020-01-01"}, "assignee_id": {fmt.Sprint(outsider.ID)}})
		if resp.StatusCode != http.StatusUnprocessableEntity || fieldError(page, "assignee_id") == "" || value(page, "title") != "Send the security questionnaire" {
			t.Fatalf("an assignee off the team: %d %q", resp.StatusCode, fieldError(page, "assignee_id"))
		}
		today := a.world.Clock().UTC().Format(domain.DateLayout)
		location(t, mustResp(c.submit(fmt.Sprint("/deals/", fleet.ID, "/tasks"), url.Values{"title": {"Send the security questionnaire"}, "due_on": {"2020-01-01"}, "assignee_id": {fmt.Sprint(devrel.ID)}})), http.StatusSeeOther)
		location(t, mustResp(c.submit(fmt.Sprint("/deals/", fleet.ID, "/tasks"), url.Values{"title": {"Book the demo room"}, "due_on": {today}})), http.StatusSeeOther)

		_, desk = c.get("/")
		if got := desk.Find(`[data-testid="desk-task"]`).Text(); !strings.Contains(got, "Book the demo room") || strings.Contains(got, "questionnaire") {
			t.Fatalf("the salesperson's due steps: %q", got)
		}
		if !strings.Contains(desk.Find(`[data-testid="desk-no-next-step"]`).Text(), "1 open deal has no next step") {
			t.Fatalf("desk flag after a step: %q", desk.Find(`[data-testid="desk-no-next-step"]`).Text())
		}
		_, devDesk := a.signedIn(domain.RoleDevRel).get("/")
		if got := devDesk.Find(`[data-testid="desk-task"]`).Text(); !strings.Contains(got, "questionnaire") || !strings.Contains(got, "overdue") {
			t.Fatalf("the DevRel's due steps: %q", got)
		}
		_, list := c.get("/deals?next=none")
		if rows := list.Find(`[data-testid="deal-row"]`); rows.Length() != 1 || !strings.Contains(rows.Text(), "Depot") {
			t.Fatalf("deals without a next step: %q", rows.Text())
		}
		// A held meeting on Depot asks for its next step.
		m := a.meeting(sales, depot.ID, "Kick-off", -2)
		_, mp := c.get(fmt.Sprint("/meetings/", m.ID))
		if mp.Find(`[data-testid="next-step-prompt"]`).Length() != 1 || value(mp, "title") != "Follow up on Kick-off" {
			t.Fatal("a held meeting does not ask for the next step")
		}
		// Ticking a step off records it.
		_, deal := c.get(fmt.Sprint("/deals/", fleet.ID))
		done := deal.Find(`[data-testid="task"] form`).First()
		action, _ := done.Attr("action")
		location(t, mustResp(c.submit(action, url.Values{"version": {"1"}, "done": {"1"}})), http.StatusSeeOther)
		if resp, _ := c.submit(action, url.Values{"version": {"1"}, "done": {"0"}}); resp.StatusCode != http.StatusConflict {
			t.Fatalf("reopening from a stale page: %d", resp.StatusCode)
		}
		if resp, _ := a.signInAs(outsider).submit(action, url.Values{"version": {"2"}, "done": {"0"}}); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("someone off the team ticked a step: %d", resp.StatusCode)
		}
	})
}

// Archived deals leave the pipeline, search, the desk and coverage and
// stay in the timeline; restoring brings them back; the archive offers
// undo. A second "Northwind Logistics Ltd" warns and links to the first.
// Merging moves contacts, deals and history, and the newest merge undoes.
func TestArchiveMergeAndDuplicates(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		clk := &testenv.MovingClock{}
		a := newApp(t, d, web.Config{}, clk.Now)
		sales := a.users[domain.RoleSales]
		acc, _ := a.account("Northwind Logistics", "Ana Buyer")
		fleet := a.deal(sales, acc.ID, "Fleet telemetry")
		c := a.signedIn(domain.RoleSales)
		m := a.signedIn(domain.RoleManager)

		_, cov := m.get("/coverage")
		before := cov.Find(`[data-testid="coverage-value"]`).Text()
		location(t, mustResp(c.submit(fmt.Sprint("/deals/", fleet.ID, "/archive"), nil)), http.StatusSeeOther)
		if _, list := c.get("/deals"); list.Find(`[data-testid="deal-row"]`).Length() != 0 {
			t.Fatal("an archived deal is still in the pipeline")
		}
		if _, found := c.get("/search?q=fleet"); found.Find(`[data-testid="search-hit"]`).Length() != 0 {
			t.Fatal("search finds an archived deal")
		}
		clk.Add(service.OrganisationLag) // the manager's review may lag the seller's change that long
		if _, cov = m.get("/coverage"); cov.Find(`[data-testid="coverage-value"]`).Text() == before {
			t.Fatalf("coverage still counts the archived deal: %q", before)
		}
		_, page := c.get(fmt.Sprint("/deals/", fleet.ID))
		if page.Find(`[data-testid="archived-banner"]`).Length() != 1 || page.Find(`[data-action="archived"]`).Length() != 1 {
			t.Fatal("the archived deal's page does not say so, or its timeline lost it")
		}
		if _, list := c.get("/deals?archived=1"); list.Find(`[data-testid="deal-row"]`).Length() != 1 {
			t.Fatal("the archived deals are not listed on request")
		}
		location(t, mustResp(c.submit(fmt.Sprint("/deals/", fleet.ID, "/restore"), nil)), http.StatusSeeOther)
		if _, list := c.get("/deals"); list.Find(`[data-testid="deal-row"]`).Length() != 1 {
			t.Fatal("the restored deal is not back")
		}
		// An archive offers Undo.
		location(t, mustResp(c.submit(fmt.Sprint("/deals/", fleet.ID, "/archive"), nil)), http.StatusSeeOther)
		location(t, mustResp(c.submit("/undo", url.Values{"next": {"/deals"}})), http.StatusSeeOther)
		if _, list := c.get("/deals"); list.Find(`[data-testid="deal-row"]`).Length() != 1 {
			t.Fatal("undoing the archive did not bring the deal back")
		}
		if resp, _ := a.signInAs(a.user("Other Sales", domain.RoleSales)).submit(fmt.Sprint("/deals/", fleet.ID, "/archive"), nil); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("another salesperson archived the deal: %d", resp.StatusCode)
		}

		// A look-alike account warns before it is saved.
		resp, form := c.submit("/accounts", url.Values{"name": {"northwind logistics, Ltd."}, "domain": {""}})
		if resp.StatusCode != http.StatusConflict || form.Find(`[data-testid="duplicate-link"]`).AttrOr("href", "") != fmt.Sprint("/accounts/", acc.ID) ||
			value(form, "name") != "northwind logistics, Ltd." {
			t.Fatalf("a look-alike account: %d", resp.StatusCode)
		}
		dup := location(t, mustResp(c.submit("/accounts", url.Values{"name": {"northwind logistics, Ltd."}, "different": {"1"}})), http.StatusSeeOther)
		var dupID int64
		fmt.Sscanf(dup, "/accounts/%d", &dupID)
		a.world.Account(sales, "unused") // an account between, so ids do not line up by chance
		a.deal(sales, dupID, "Depot sensors")
		if _, err := a.svc().Accounts.CreateContact(context.Background(), sales, dupID, domain.ContactInput{Name: "Bo Second"}); err != nil {
			t.Fatal(err)
		}
		location(t, mustResp(c.submit(dup, url.Values{"name": {"Northwind Logistics Ltd"}, "version": {"1"}})), http.StatusSeeOther)

		// Another salesperson may not move these deals by merging their
		// account; the owner may.
		if resp, page := a.signInAs(a.user("Olaf Otherseller", domain.RoleSales)).submit(fmt.Sprint(dup, "/merge"), url.Values{"into_id": {fmt.Sprint(acc.ID)}}); resp.StatusCode != http.StatusForbidden ||
			!strings.Contains(page.Text(), "other salespeople's") {
			t.Fatalf("another salesperson merged away the owner's deal: %d", resp.StatusCode)
		}
		// Merge the duplicate into the first.
		location(t, mustResp(c.submit(fmt.Sprint(dup, "/merge"), url.Values{"into_id": {fmt.Sprint(acc.ID)}})), http.StatusSeeOther)
		_, first := c.get(fmt.Sprint("/accounts/", acc.ID))
		if got := first.Find(`[data-testid="contacts"]`).Text(); !strings.Contains(got, "Bo Second") || !strings.Contains(got, "Ana Buyer") {
			t.Fatalf("contacts after the merge: %q", got)
		}
		if !strings.Contains(first.Find(`[data-testid="account-deals"]`).Text(), "Depot sensors") || first.Find(`[data-testid="undo-merge"]`).Length() != 1 {
			t.Fatal("the merged deal is not on the account, or the merge cannot be undone")
		}
		if _, list := c.get("/accounts"); strings.Count(list.Find(`[data-testid="accounts"]`).Text(), "Northwind") != 1 {
			t.Fatal("the merged account is still listed")
		}
		var history int64
		d.Read.Table("events").Where("entity = 'account' AND entity_id = ? AND action = 'updated'", acc.ID).Count(&history)
		if history != 1 {
			t.Fatalf("the merged account's history did not move: %d updates on the first account", history)
		}
		undo, _ := first.Find(`[data-testid="undo-merge"]`).Parent().Attr("action")
		location(t, mustResp(c.submit(undo, nil)), http.StatusSeeOther)
		_, back := c.get(dup)
		if !strings.Contains(back.Find(`[data-testid="contacts"]`).Text(), "Bo Second") || !strings.Contains(back.Find(`[data-testid="account-deals"]`).Text(), "Depot sensors") ||
			back.Find(`[data-testid="archived-banner"]`).Length() != 0 {
			t.Fatal("the undone merge did not give the account back what it held")
		}
		d.Read.Table("events").Where("entity = 'account' AND entity_id = ? AND action = 'updated'", acc.ID).Count(&history)
		if history != 0 {
			t.Fatalf("the history did not move back: %d", history)
		}
		if resp, _ := c.submit(undo, nil); resp.StatusCode != http.StatusConflict {
			t.Fatalf("undoing a merge twice: %d", resp.StatusCode)
		}
	})
}

// One search box finds deals, accounts, contacts, meetings and offers,
// grouped by kind, and never what the viewer may not see: an offer held
// in reserve is found by its deal team and managers only.
func TestSearchRespectsVisibility(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		a := newApp(t, d, web.Config{})
		ctx := context.Background()
		sales, devrel := a.users[domain.RoleSales], a.users[domain.RoleDevRel]
		acc, _ := a.account("Zephyr Freight", "Zoe Zephyrson")
		deal := a.deal(sales, acc.ID, "Zephyr rollout")
		a.assign(deal.ID, devrel)
		a.meeting(sales, deal.ID, "Zephyr kickoff", 24)
		reserved, err := a.svc().Offers.ProposeOffer(ctx, devrel, deal.ID, domain.OfferProposal{Title: "Zephyr discount lever", Kind: "idea"}, true)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := a.svc().Offers.MoveOffer(ctx, sales, reserved.ID, domain.OfferHold, domain.OfferInput{Trigger: "if they push on price"}); err != nil {
			t.Fatal(err)
		}
		if _, err := a.svc().Offers.ProposeOffer(ctx, devrel, deal.ID, domain.OfferProposal{Title: "Zephyr webhook bridge", Kind: "integration"}, true); err != nil {
			t.Fatal(err)
		}

		kinds := func(c *client, q string) (map[string]int, string) {
			_, page := c.get("/search?q=" + url.QueryEscape(q))
			got := map[string]int{}
			page.Find(`[data-testid="search-group"]`).Each(func(_ int, g *goquery.Selection) {
				got[g.AttrOr("data-kind", "")] = g.Find(`[data-testid="search-hit"]`).Length()
			})
			return got, page.Find(`[data-testid="search-results"]`).Text()
		}
		got, text := kinds(a.signedIn(domain.RoleSales), "zeph")
		want := map[string]int{"deals": 1, "accounts": 1, "contacts": 1, "meetings": 1, "offers": 2}
		if fmt.Sprint(got) != fmt.Sprint(want) || !strings.Contains(text, "Zephyr discount lever") {
			t.Fatalf("the owner finds %v, want %v", got, want)
		}
		if got, _ := kinds(a.signedIn(domain.RoleManager), "zephyr discount"); got["offers"] != 1 {
			t.Fatalf("a manager finds %v", got)
		}
		other := a.signInAs(a.user("Other Sales", domain.RoleSales))
		if got, text := kinds(other, "zephyr"); got["offers"] != 1 || strings.Contains(text, "discount") {
			t.Fatalf("another salesperson finds the reserve: %v %q", got, text)
		}
		otherDev := a.signInAs(a.user("Other Devrel", domain.RoleDevRel))
		if got, _ := kinds(otherDev, "discount lever"); len(got) != 0 {
			t.Fatalf("a DevRel off the deal finds %v", got)
		}
		// As the user types, htmx takes the results alone.
		req, _ := http.NewRequest(http.MethodGet, other.base+"/search?q=zeph", nil)
		req.Header.Set("HX-Request", "true")
		req.Header.Set("HX-Target", "quick-results")
		resp, err := other.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		frag := doc(t, resp)
		if frag.Find("header").Length() != 0 || frag.Find(`#quick-results [data-testid="search-hit"]`).Length() != 5 {
			t.Fatalf("the drop-down: %d hits", frag.Find(`[data-testid="search-hit"]`).Length())
		}
		if _, page := other.get("/search?q=%22%2A%29%28OR"); page.Find(`[data-testid="search-empty"]`).Length() != 1 {
			t.Fatal("search syntax typed in the box is not taken as words")
		}
		// The last word may be the start of one; the others are whole, and
		// finding nothing with several words says so.
		if got, _ := kinds(other, "zephyr rol"); got["deals"] != 1 {
			t.Fatalf("the last word's start finds %v", got)
		}
		if _, page := other.get("/search?q=zep+rollout"); page.Find(`[data-testid="search-empty"]`).Length() != 1 ||
			page.Find(`[data-testid="search-whole-words"]`).Length() != 1 {
			t.Fatal("a word before the last, unfinished, finds something or is not explained")
		}
		if _, page := other.get("/search?q=zzzz"); page.Find(`[data-testid="search-whole-words"]`).Length() != 0 {
			t.Fatal("one word found nothing and is told about whole words")
		}
	})
}

// A salesperson's pipeline opens on their own deals; the headers sort it;
// a named view is saved and listed in the menu. A manager changes many
// deals at once after confirming, and each timeline records it.
func TestViewsAndBulkChanges(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		a := newApp(t, d, web.Config{})
		sales := a.users[domain.RoleSales]
		other := a.user("Other Sales", domain.RoleSales)
		acc, _ := a.account("Northwind")
		mine1 := a.deal(sales, acc.ID, "Alpha", func(in *domain.DealInput) { in.Amount = "5000" })
		mine2 := a.deal(sales, acc.ID, "Bravo", func(in *domain.DealInput) { in.Amount = "9000" })
		a.deal(other, acc.ID, "Charlie")
		c := a.signedIn(domain.RoleSales)

		_, list := c.get("/deals")
		if list.Find(`[data-testid="deal-row"]`).Length() != 2 {
			t.Fatalf("a salesperson's pipeline opens on %d deals, want their 2", list.Find(`[data-testid="deal-row"]`).Length())
		}
		if _, all := c.get("/deals?owner="); all.Find(`[data-testid="deal-row"]`).Length() != 3 {
			t.Fatal("any owner does not show everyone's deals")
		}
		sortLink, _ := list.Find(`[data-testid="sort-amount"] a`).Attr("href")
		_, sorted := c.get(sortLink)
		if first := sorted.Find(`[data-testid="deal-row"] .title`).First().Text(); first != "Bravo" ||
			sorted.Find(`[data-testid="sort-amount"]`).AttrOr("aria-sort", "") != "descending" {
			t.Fatalf("sorted by amount: first %q", first)
		}
		location(t, mustResp(c.submit("/deals/views", url.Values{"name": {"Big ones"}, "query": {"sort=amount&stage=discovery&page=3&evil=1"}})), http.StatusSeeOther)
		if resp, _ := c.submit("/deals/views", url.Values{"name": {"big ONES"}, "query": {""}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("a duplicate view name: %d", resp.StatusCode)
		}
		_, list = c.get("/deals")
		views := list.Find(`[data-testid="saved-view"]`)
		if views.Length() != 1 || views.Text() != "Big ones" || views.AttrOr("href", "") != "/deals?sort=amount&stage=discovery" {
			t.Fatalf("saved views: %d %q", views.Length(), views.AttrOr("href", ""))
		}
		if _, others := a.signInAs(other).get("/deals"); others.Find(`[data-testid="saved-view"]`).Length() != 0 {
			t.Fatal("a view is seen by someone else")
		}

		// Bulk: only a manager; a confirmation first; then every deal.
		ids := url.Values{"deal_ids": {fmt.Sprint(mine1.ID), fmt.Sprint(mine2.ID)}, "owner_id": {fmt.Sprint(other.ID)}, "stage": {"proposal"}}
		if resp, _ := c.submit("/deals/bulk", ids); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("a salesperson changed deals in bulk: %d", resp.StatusCode)
		}
		m := a.signedIn(domain.RoleManager)
		_, mlist := m.get("/deals")
		if mlist.Find(`[data-testid="select-deal"]`).Length() != 3 || mlist.Find(`[data-testid="bulk-form"]`).Length() != 1 {
			t.Fatal("a manager cannot select deals")
		}
		resp, confirm := m.submit("/deals/bulk", ids)
		if resp.StatusCode != http.StatusOK || confirm.Find(`[data-testid="bulk-confirm"] li`).Length() != 2 {
			t.Fatalf("the confirmation: %d", resp.StatusCode)
		}
		if _, page := c.get(fmt.Sprint("/deals/", mine1.ID)); page.Find(`[data-testid="deal-stage"]`).Text() != "Discovery" {
			t.Fatal("asking to confirm changed the deal")
		}
		confirmed := url.Values{"confirm": {"1"}}
		for k, v := range ids {
			confirmed[k] = v
		}
		location(t, mustResp(m.submit("/deals/bulk", confirmed)), http.StatusSeeOther)
		for _, id := range []int64{mine1.ID, mine2.ID} {
			_, page := m.get(fmt.Sprint("/deals/", id))
			if page.Find(`[data-testid="deal-stage"]`).Text() != "Proposal" || page.Find(`[data-action="updated"] [data-field="owner"]`).Length() != 1 {
				t.Fatalf("deal %d after the bulk change", id)
			}
		}
		if resp, _ := m.submit("/deals/bulk", url.Values{"confirm": {"1"}}); resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("a bulk change of nothing: %d", resp.StatusCode)
		}
	})
}

// Sales and DevRel talk a proposed offer through on its page; the thread
// is the deal team's and managers' even while the offer is public; @name
// tells that person if they may read the thread, and nobody else.
func TestOfferConversationAndMentions(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		a := newApp(t, d, web.Config{})
		ctx := context.Background()
		sales, devrel := a.users[domain.RoleSales], a.users[domain.RoleDevRel]
		acc, _ := a.account("Northwind")
		deal := a.deal(sales, acc.ID, "Fleet")
		a.assign(deal.ID, devrel)
		o, err := a.svc().Offers.ProposeOffer(ctx, devrel, deal.ID, domain.OfferProposal{Title: "Free pilot", Kind: "poc"}, true)
		if err != nil {
			t.Fatal(err)
		}
		other := a.user("Olga Outsider", domain.RoleSales)
		path := fmt.Sprint("/offers/", o.ID, "/comments")
		dev := a.signedIn(domain.RoleDevRel)
		location(t, mustResp(dev.submit(path, url.Values{"body": {"Can we afford this, @sales? cc @olga"}})), http.StatusSeeOther)
		if resp, page := dev.submit(path, url.Values{"body": {"   "}}); resp.StatusCode != http.StatusUnprocessableEntity || fieldError(page, "body") == "" {
			t.Fatalf("an empty comment: %d", resp.StatusCode)
		}
		if resp, _ := a.signInAs(other).submit(path, url.Values{"body": {"me too"}}); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("someone off the team commented: %d", resp.StatusCode)
		}
		c := a.signedIn(domain.RoleSales)
		_, inbox := c.get("/notifications")
		if !strings.Contains(inbox.Text(), "commented on \"Free pilot\"") {
			t.Fatal("the owner was not told of the comment")
		}
		var told int64
		d.Read.Table("notifications").Where("user_id = ?", other.ID).Count(&told)
		if told != 0 {
			t.Fatalf("@olga, off the team, was told %d times", told)
		}
		resp, offPage := a.signInAs(other).get(fmt.Sprint("/offers/", o.ID))
		if resp.StatusCode != http.StatusOK || offPage.Find(`[data-testid="comment"]`).Length() != 0 || strings.Contains(offPage.Text(), "Can we afford this") {
			t.Fatalf("the proposed offer's thread is shown off the team: %d", resp.StatusCode)
		}
		// Held in reserve, the thread is the team's only.
		if _, _, err := a.svc().Offers.MoveOffer(ctx, sales, o.ID, domain.OfferHold, domain.OfferInput{Trigger: "if they push"}); err != nil {
			t.Fatal(err)
		}
		if resp, _ := a.signInAs(other).get(fmt.Sprint("/offers/", o.ID)); resp.StatusCode != http.StatusNotFound {
			t.Fatalf("the reserved offer's thread is shown off the team: %d", resp.StatusCode)
		}
		_, page := c.get(fmt.Sprint("/offers/", o.ID))
		if page.Find(`[data-testid="comment"]`).Length() != 1 || page.Find(`[data-testid="comment-form"]`).Length() != 0 {
			t.Fatal("a decided offer keeps its thread readable and takes no more comments")
		}
		if resp, _ := c.submit(path, url.Values{"body": {"late"}}); resp.StatusCode != http.StatusConflict {
			t.Fatalf("a comment on a decided offer: %d", resp.StatusCode)
		}
		// A note mentioning someone off the team tells nobody outside it.
		location(t, mustResp(c.submit(fmt.Sprint("/deals/", deal.ID, "/notes"), url.Values{"body": {"@olga @test please look"}})), http.StatusSeeOther)
		d.Read.Table("notifications").Where("user_id = ?", other.ID).Count(&told)
		if told != 0 {
			t.Fatal("a note's mention told someone who may not see notes")
		}
		_, dp := c.get(fmt.Sprint("/deals/", deal.ID))
		reply, _ := dp.Find(`[data-testid="note"] [data-testid="comment-form"]`).Attr("action")
		location(t, mustResp(dev.submit(reply, url.Values{"body": {"On it"}})), http.StatusSeeOther)
		if _, dp = c.get(fmt.Sprint("/deals/", deal.ID)); dp.Find(`[data-testid="note"] [data-testid="comment"]`).Length() != 1 {
			t.Fatal("the reply to the note is not shown")
		}
	})
}
