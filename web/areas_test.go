package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/presale/presale/db"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/testenv"
	"github.com/presale/presale/web"
)

// A question raised at a meeting and a promise recorded on a deal may
// name one of the organisation's product areas, by the forms and by the
// API: their pages and the timeline read its label, the register filters
// by it, and an area not offered (unknown or retired) is refused with 422
// keeping what was typed.
func TestQuestionsAndPromisesCarryAProductArea(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		a := newApp(t, d, web.Config{})
		acc, _ := a.account("Northwind")
		sales := a.users[domain.RoleSales]
		deal := a.deal(sales, acc.ID, "Fleet")
		m := a.meeting(sales, deal.ID, "Security review", 24)
		admin := a.admin()
		ctx := t.Context()
		billing, err := a.svc().Organisation.AddChoice(ctx, admin, domain.ListProductAreas, "Billing")
		if err != nil {
			t.Fatal(err)
		}
		old, _ := a.svc().Organisation.AddChoice(ctx, admin, domain.ListProductAreas, "Legacy export")
		if _, err := a.svc().Organisation.RetireChoice(ctx, admin, old.ID, true); err != nil {
			t.Fatal(err)
		}
		c := a.signedIn(domain.RoleSales)

		_, page := c.get(fmt.Sprint("/meetings/", m.ID))
		form := page.Find(`[data-testid="question-form"]`)
		if form.Find(`option[value="billing"]`).Length() != 1 || form.Find(`option[value="legacy_export"]`).Length() != 0 {
			t.Fatal("the question form does not offer exactly the areas in use")
		}
		path := fmt.Sprint("/meetings/", m.ID, "/questions")
		resp, page := c.submit(path, url.Values{"category": {"integration"}, "text": {"Can invoices sync to SAP?"}, "product_area": {"legacy_export"}})
		if resp.StatusCode != http.StatusUnprocessableEntity || fieldError(page, "product_area") != "Choose one from the list." || value(page, "text") != "Can invoices sync to SAP?" {
			t.Fatalf("a retired area: %d %q", resp.StatusCode, fieldError(page, "product_area"))
		}
		location(t, mustResp(c.submit(path, url.Values{"category": {"integration"}, "text": {"Can invoices sync to SAP?"}, "product_area": {"billing"}})), http.StatusSeeOther)
		var qID int64
		a.db.Read.Table("questions").Select("MAX(id)").Scan(&qID)
		if _, q := c.get(fmt.Sprint("/questions/", qID)); strings.TrimSpace(q.Find(`[data-testid="question-area"]`).Text()) != "Billing" {
			t.Fatalf("the question page names the area %q", q.Find(`[data-testid="question-area"]`).Text())
		}

		// A promise from the deal page.
		resp, page = c.submit(fmt.Sprint("/deals/", deal.ID, "/promises"), url.Values{"text": {"SAP sync by Q3"}, "kind": {"roadmap"}, "product_area": {"payroll"}})
		if resp.StatusCode != http.StatusUnprocessableEntity || fieldError(page, "product_area") != "Choose one from the list." || value(page, "text") != "SAP sync by Q3" {
			t.Fatalf("an unknown area: %d", resp.StatusCode)
		}
		loc := location(t, mustResp(c.submit(fmt.Sprint("/deals/", deal.ID, "/promises"), url.Values{"text": {"SAP sync by Q3"}, "kind": {"roadmap"}, "product_area": {"billing"}})), http.StatusSeeOther)
		if _, p := c.get(loc); strings.TrimSpace(p.Find(`dd[data-testid="promise-area"]`).Text()) != "Billing" {
			t.Fatalf("the promise page names the area %q", p.Find(`[data-testid="promise-area"]`).Text())
		}
		location(t, mustResp(c.submit(fmt.Sprint("/deals/", deal.ID, "/promises"), url.Values{"text": {"Training day"}, "kind": {"services"}})), http.StatusSeeOther)
		_, reg := c.get("/promises?product_area=billing")
		if rows := reg.Find(`[data-testid="promise-row"]`); rows.Length() != 1 || !strings.Contains(rows.Text(), "SAP sync") || strings.TrimSpace(rows.Find(`[data-testid="promise-area"]`).Text()) != "Billing" {
			t.Fatalf("the register by area: %d rows %q", rows.Length(), rows.Text())
		}
		if _, reg = c.get("/promises"); reg.Find(`[data-testid="promise-row"]`).Length() != 2 || reg.Find(`select[name="product_area"] option[value="billing"]`).Length() != 1 {
			t.Fatal("the register without the area filter")
		}
		// The timeline reads the label, renamed or not.
		if _, err := a.svc().Organisation.RenameChoice(ctx, admin, billing.ID, "Billing and invoicing"); err != nil {
			t.Fatal(err)
		}
		_, dp := c.get(fmt.Sprint("/deals/", deal.ID))
		if got := dp.Find(`[data-entity="promise"] [data-field="product_area"]`).Text(); !strings.Contains(got, "Billing") || strings.Contains(got, "billing") {
			t.Fatalf("the timeline's area: %q", got)
		}
		if got := dp.Find(`[data-testid="deal-promises"] [data-testid="promise-area"]`).Text(); !strings.Contains(got, "Billing and invoicing") {
			t.Fatalf("the deal's promises read the area %q", got)
		}
		if got := dp.Find(`[data-testid="deal-questions"] [data-testid="question-area"]`).Text(); !strings.Contains(got, "Billing and invoicing") {
			t.Fatalf("the deal's questions read the area %q", got)
		}
		if _, p := c.get(loc); strings.TrimSpace(p.Find(`dd[data-testid="promise-area"]`).Text()) != "Billing and invoicing" {
			t.Fatal("the promise page does not read the renamed area")
		}

		// The DevRel names or changes the area as they answer or rate.
		devrel := a.users[domain.RoleDevRel]
		a.assign(deal.ID, devrel)
		dc := a.signedIn(domain.RoleDevRel)
		location(t, mustResp(c.submit(path, url.Values{"category": {"security"}, "text": {"Who sees the invoices?"}})), http.StatusSeeOther)
		var q2 int64
		a.db.Read.Table("questions").Select("MAX(id)").Scan(&q2)
		if _, qp := dc.get(fmt.Sprint("/questions/", q2)); qp.Find(`[data-testid="answer-form"] select[name="product_area"] option[value="billing"]`).Length() != 1 {
			t.Fatal("the answer form offers no area")
		}
		resp, page = dc.submit(fmt.Sprint("/questions/", q2, "/answer"), url.Values{"answer": {"Only finance"}, "product_area": {"legacy_export"}})
		if resp.StatusCode != http.StatusUnprocessableEntity || fieldError(page, "product_area") != "Choose one from the list." || value(page, "answer") != "Only finance" {
			t.Fatalf("an answer with a retired area: %d %q", resp.StatusCode, fieldError(page, "product_area"))
		}
		location(t, mustResp(dc.submit(fmt.Sprint("/questions/", q2, "/answer"), url.Values{"answer": {"Only finance"}, "product_area": {"billing"}})), http.StatusSeeOther)
		if _, qp := dc.get(fmt.Sprint("/questions/", q2)); !strings.Contains(qp.Find(`[data-testid="question-area"]`).Text(), "Billing") {
			t.Fatal("the answer did not name the area")
		}
		review := strings.Replace(loc, "/promises/", "", 1)
		location(t, mustResp(dc.submit("/promises/"+review+"/review", url.Values{"feasibility": {"feasible"}, "product_area": {""}})), http.StatusSeeOther)
		if _, p := dc.get(loc); p.Find(`dd[data-testid="promise-area"]`).Length() != 0 || p.Find(`#review-product_area option[value=""][selected]`).Length() != 1 {
			t.Fatal("a rating that clears the area kept it")
		}

		// The API.
		api := a.api(sales, domain.ScopeReadWrite, a.spec())
		res := api.do(http.MethodPost, fmt.Sprint("/meetings/", m.ID, "/questions"), map[string]any{"category": "security", "text": "SSO for invoices?", "product_area": "billing"})
		if res.Status != http.StatusCreated || res.JSON["product_area"] != "billing" {
			t.Fatalf("API question with an area: %d %s", res.Status, res.Body)
		}
		if res = api.do(http.MethodPost, fmt.Sprint("/deals/", deal.ID, "/promises"), map[string]any{"text": "X", "kind": "roadmap", "product_area": "nope"}); res.Status != http.StatusUnprocessableEntity {
			t.Fatalf("API promise with an unknown area: %d", res.Status)
		}
		if res = api.do(http.MethodPost, fmt.Sprint("/deals/", deal.ID, "/promises"), map[string]any{"text": "Invoice API", "kind": "roadmap", "product_area": "billing"}); res.Status != http.StatusCreated || res.JSON["product_area"] != "billing" {
			t.Fatalf("API promise with an area: %d %s", res.Status, res.Body)
		}
		if res = api.get("/promises?product_area=billing"); res.Status != http.StatusOK || len(res.JSON["items"].([]any)) != 1 {
			t.Fatalf("API register by area: %d %s", res.Status, res.Body)
		}
		dapi := a.api(devrel, domain.ScopeReadWrite, a.spec())
		res = dapi.do(http.MethodPost, fmt.Sprint("/promises/", review, "/review"), map[string]any{"feasibility": "risky", "note": "Needs a partner", "product_area": "billing"})
		if res.Status != http.StatusOK || res.JSON["product_area"] != "billing" {
			t.Fatalf("API rating with an area: %d %s", res.Status, res.Body)
		}
	})
}
