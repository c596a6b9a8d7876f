package web_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/presale/presale/db"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/testenv"
	"github.com/presale/presale/web"
)

// The evidence is the managers' and the DevRel's, on the page, in its
// CSV and in the API (the description's shape): a DevRel's without the
// reserve's comparison; a salesperson's not at all; a date that is not
// one is refused. Both engines.
func TestTheEvidenceOnThePageInItsCSVAndInTheAPI(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		a := newApp(t, d, web.Config{})
		ctx := context.Background()
		sales := a.users[domain.RoleSales]
		acc, _ := a.account("=HYPERLINK(\"x\")")
		deal := a.deal(sales, acc.ID, "=cmd|' /C calc'!A0")
		current, err := a.world.Store.Deals().DealByID(ctx, deal.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, _, err := a.svc().Deals.MoveDeal(ctx, sales, deal.ID, current.Version, domain.StageClosedWon, domain.DealLoss{}); err != nil {
			t.Fatal(err)
		}

		manager := a.signedIn(domain.RoleManager)
		resp, page := manager.get("/evidence")
		if resp.StatusCode != http.StatusOK || !strings.Contains(page.Find(`[data-testid="evidence-scope"]`).Text(), "1 deal closed") ||
			page.Find(`[data-testid="evidence-levers"]`).Length() != 1 {
			t.Fatalf("the manager's evidence: %d %q", resp.StatusCode, page.Find("main").Text())
		}
		link, _ := page.Find(`[data-testid="evidence-room"] [data-testid="group-row"]`).Eq(1).Find("a").Attr("href")
		if resp, list := manager.get(link); resp.StatusCode != http.StatusOK || list.Find(`[data-testid="deal-row"]`).Length() != 1 {
			t.Fatalf("the deals behind a count (%s): %d", link, resp.StatusCode)
		}
		for path, want := range map[string]int{"/evidence/deals?c=room&g=1&band=0": 1, "/evidence/deals?c=room&g=1&band=2": 0, "/evidence/deals?c=levers&g=2": 1} {
			if resp, list := manager.get(path); resp.StatusCode != http.StatusOK || list.Find(`[data-testid="deal-row"]`).Length() != want {
				t.Fatalf("the deals behind %s: %d, want %d rows", path, resp.StatusCode, want)
			}
		}
		if resp, _ := manager.get("/evidence/deals?c=room&g=7"); resp.StatusCode != http.StatusNotFound {
			t.Fatalf("a group the comparison lacks: %d", resp.StatusCode)
		}
		if resp, _ := manager.get("/evidence?from=2026-13-01"); resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("a month 13: %d", resp.StatusCode)
		}
		csvResp := manager.do(http.MethodGet, "/evidence.csv", nil)
		raw, _ := io.ReadAll(csvResp.Body)
		csvResp.Body.Close()
		if resp, body := csvResp, string(raw); resp.StatusCode != http.StatusOK || !strings.HasPrefix(body, "\uFEFFcomparison,deal_size,group,deals,won,win_rate") ||
			!strings.Contains(body, "DevRel in the room,all,No DevRel in the room,1,1,1.0000") {
			t.Fatalf("the CSV: %d\n%s", resp.StatusCode, body)
		}
		devrel := a.signedIn(domain.RoleDevRel)
		if resp, page := devrel.get("/evidence"); resp.StatusCode != http.StatusOK || page.Find(`[data-testid="evidence-levers"]`).Length() != 0 {
			t.Fatalf("a DevRel's evidence: %d", resp.StatusCode)
		}
		// Nor the deals behind the reserve's comparison, or another DevRel's row.
		for _, path := range []string{"/evidence/deals?c=levers&g=2", fmt.Sprintf("/evidence/deals?c=devrel&g=%d", a.users[domain.RoleManager].ID)} {
			if resp, _ := devrel.get(path); resp.StatusCode != http.StatusNotFound {
				t.Fatalf("a DevRel reads %s: %d", path, resp.StatusCode)
			}
		}
		if resp, _ := a.signedIn(domain.RoleSales).get("/evidence"); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("a salesperson's evidence: %d", resp.StatusCode)
		}

		spec := a.spec()
		out := a.api(a.users[domain.RoleManager], domain.ScopeRead, spec).get("/evidence").want(t, http.StatusOK)
		var keys []string
		for _, c := range out.JSON["comparisons"].([]any) {
			keys = append(keys, c.(map[string]any)["key"].(string))
		}
		if fmt.Sprint(keys) != "[room sync levers promises]" || out.JSON["deals"] != float64(1) || out.JSON["min_deals"] != float64(domain.MinDealsForRate) {
			t.Fatalf("the API's evidence: %s", out.Body)
		}
		if out := a.api(a.users[domain.RoleDevRel], domain.ScopeRead, spec).get("/evidence").want(t, http.StatusOK); strings.Contains(string(out.Body), `"levers"`) {
			t.Fatalf("a DevRel reads the reserve's comparison: %s", out.Body)
		}
		a.api(sales, domain.ScopeRead, spec).get("/evidence").want(t, http.StatusForbidden)
		a.api(a.users[domain.RoleManager], domain.ScopeRead, spec).get("/evidence?to=2026-02-30").want(t, http.StatusUnprocessableEntity)
	})
}

// A product area's line: its open question and risky promise on an open
// deal, that deal's pipeline at stake, and a deal lost to a missing
// capability whose question names it; each count leads to its deals.
func TestTheProductGaps(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		a := newApp(t, d, web.Config{})
		ctx := context.Background()
		sales, manager := a.users[domain.RoleSales], a.users[domain.RoleManager]
		sso, err := a.svc().Organisation.AddChoice(ctx, a.admin(), domain.ListProductAreas, "Single sign-on")
		if err != nil {
			t.Fatal(err)
		}
		acc, _ := a.account("Northwind")
		open := a.deal(sales, acc.ID, "Fleet", func(in *domain.DealInput) { in.Stage, in.Amount, in.Currency = "proposal", "100000", "USD" })
		lost := a.deal(sales, acc.ID, "Depots", func(in *domain.DealInput) { in.Amount, in.Currency = "40000", "USD" })
		for _, deal := range []domain.Deal{open, lost} {
			m := a.meeting(sales, deal.ID, "Demo", 24, sales)
			if _, err := a.svc().Meetings.RaiseQuestion(ctx, sales, m.ID, domain.QuestionInput{Category: "security", Text: "Does it speak SAML?", ProductArea: sso.Key}); err != nil {
				t.Fatal(err)
			}
		}
		p, err := a.svc().Offers.RecordPromise(ctx, sales, open.ID, domain.PromiseInput{Text: "SAML by Q3", Kind: "roadmap", ProductArea: sso.Key})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.svc().Offers.ReviewPromise(ctx, manager, p.ID, domain.FeasibilityRisky, "Needs the identity team", nil); err != nil {
			t.Fatal(err)
		}
		current, err := a.world.Store.Deals().DealByID(ctx, lost.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, _, err := a.svc().Deals.MoveDeal(ctx, sales, lost.ID, current.Version, domain.StageClosedLost, domain.DealLoss{Reason: domain.LostMissingCapability}); err != nil {
			t.Fatal(err)
		}

		c := a.signedIn(domain.RoleManager)
		_, page := c.get("/evidence")
		row := page.Find(`[data-testid="gap-row"]`)
		cells := row.Find("td").Map(func(_ int, s *goquery.Selection) string { return strings.Join(strings.Fields(s.Text()), " ") })
		if row.Length() != 1 || !strings.HasPrefix(cells[0], "Single sign-on") || cells[1] != "1" || cells[2] != "1" || cells[3] != "1" ||
			cells[4] != "100 k USD" || cells[5] != "60 k USD" || cells[6] != "40 k USD in 1" {
			t.Fatalf("the gap: %q", cells)
		}
		for i, want := range []string{"Fleet", "Depots"} {
			link, _ := row.Find("td a[href^='/evidence/deals']").Eq(i).Attr("href")
			if resp, list := c.get(link); resp.StatusCode != http.StatusOK || list.Find(`[data-testid="deal-row"]`).Length() != 1 ||
				!strings.Contains(list.Find(`[data-testid="deal-row"]`).Text(), want) {
				t.Fatalf("the deals behind %s: %d", link, resp.StatusCode)
			}
		}
	})
}
