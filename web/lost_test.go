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

// A deal moved to Closed lost from the board or its page's "Move to…"
// first asks why (422, the move kept in a small form); the move then lands
// with the reason, which the deal page and its timeline show by label.
// Reopening keeps it; losing the deal again asks again.
func TestClosedLostAsksWhyOnAMove(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		a := newApp(t, d, web.Config{})
		acc, _ := a.account("Northwind")
		sales := a.users[domain.RoleSales]
		fleet := a.deal(sales, acc.ID, "Fleet")
		c := a.signedIn(domain.RoleSales)
		path := fmt.Sprint("/deals/", fleet.ID, "/stage")

		resp, page := c.submit(path, url.Values{"stage": {"closed_lost"}, "version": {"1"}, "next": {"/deals/board?devrel=without"}})
		form := page.Find(`[data-testid="lost-form"]`)
		if resp.StatusCode != http.StatusUnprocessableEntity || form.Length() != 1 {
			t.Fatalf("a move to Closed lost without a reason: %d, form %d", resp.StatusCode, form.Length())
		}
		for name, want := range map[string]string{"stage": "closed_lost", "version": "1", "next": "/deals/board?devrel=without"} {
			if got := form.Find(`input[name="`+name+`"]`).AttrOr("value", ""); got != want {
				t.Errorf("the form keeps %s %q, want %q", name, got, want)
			}
		}
		var offered []string
		form.Find(`select[name="lost_reason"] option`).Each(func(_ int, o *goquery.Selection) { offered = append(offered, o.Text()) })
		if strings.Join(offered, ",") != "Choose a reason,Price,Missing capability,Competitor,Timing,No decision" {
			t.Fatalf("reasons offered: %q", offered)
		}
		if fieldError(page, "lost_reason") != "" {
			t.Fatal("asked first, the form already scolds")
		}
		if _, deal := c.get(fmt.Sprint("/deals/", fleet.ID)); strings.TrimSpace(deal.Find(`[data-testid="deal-stage"]`).Text()) != "Discovery" {
			t.Fatal("the deal moved before saying why")
		}

		// Sent from the form without choosing: 422, the note kept.
		resp, page = c.submit(path, url.Values{"stage": {"closed_lost"}, "version": {"1"}, "lost_reason": {""}, "lost_note": {"Went with Contoso"}})
		if resp.StatusCode != http.StatusUnprocessableEntity || fieldError(page, "lost_reason") != "Choose why the deal was lost." || value(page, "lost_note") != "Went with Contoso" {
			t.Fatalf("no reason chosen: %d, %q, note %q", resp.StatusCode, fieldError(page, "lost_reason"), value(page, "lost_note"))
		}
		if resp, page = c.submit(path, url.Values{"stage": {"closed_lost"}, "version": {"1"}, "lost_reason": {"bribery"}}); resp.StatusCode != http.StatusUnprocessableEntity || fieldError(page, "lost_reason") != "Choose one from the list." {
			t.Fatalf("an unknown reason: %d, %q", resp.StatusCode, fieldError(page, "lost_reason"))
		}

		loc := location(t, mustResp(c.submit(path, url.Values{"stage": {"closed_lost"}, "version": {"1"}, "lost_reason": {"competitor"},
			"lost_note": {"Went with Contoso"}, "next": {"/deals/board?devrel=without"}})), http.StatusSeeOther)
		if loc != fmt.Sprint("/deals/board?devrel=without#card-", fleet.ID) {
			t.Fatalf("after giving the reason, back to %q", loc)
		}
		_, deal := c.get(fmt.Sprint("/deals/", fleet.ID))
		lost := deal.Find(`[data-testid="deal-lost"]`)
		if got := strings.Join(strings.Fields(lost.Find("dd").Text()), " "); lost.Find("dt").Text() != "Lost for" || got != "Competitor · Went with Contoso" {
			t.Fatalf("the deal page says %q", got)
		}
		change := deal.Find(`[data-action="updated"] [data-field="lost_reason"]`)
		if !strings.Contains(change.Text(), "Competitor") || strings.Contains(change.Text(), "competitor") {
			t.Fatalf("the timeline: %q", change.Text())
		}

		// Reopened from the deal page: the reason stays, as history.
		location(t, mustResp(c.submit(path, url.Values{"stage": {"negotiation"}, "version": {"2"}, "next": {fmt.Sprint("/deals/", fleet.ID)}})), http.StatusSeeOther)
		_, deal = c.get(fmt.Sprint("/deals/", fleet.ID))
		if got := deal.Find(`[data-testid="deal-lost"]`).Text(); !strings.Contains(got, "Lost before for") || !strings.Contains(got, "Competitor") {
			t.Fatalf("reopened, the deal page says %q", got)
		}
		// Lost again: asked again, and the new reason replaces it.
		if resp, _ := c.submit(path, url.Values{"stage": {"closed_lost"}, "version": {"3"}}); resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("lost again without a reason: %d", resp.StatusCode)
		}
		location(t, mustResp(c.submit(path, url.Values{"stage": {"closed_lost"}, "version": {"3"}, "lost_reason": {"timing"}})), http.StatusSeeOther)
		if got, _, _ := a.svc().Deals.Deal(t.Context(), fleet.ID); got.LostReason != "timing" || got.LostNote != "" || got.Stage != domain.StageClosedLost {
			t.Fatalf("lost again: %s %q %q", got.Stage, got.LostReason, got.LostNote)
		}

		// Someone who may not edit the deal is refused before being asked.
		if resp, _ := a.signInAs(a.user("Other Sales", domain.RoleSales)).submit(path, url.Values{"stage": {"closed_lost"}, "version": {"4"}}); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("another salesperson: %d", resp.StatusCode)
		}
	})
}

// The deal form asks why when its stage is Closed lost (422 keeping what
// was typed without one); a bulk change to Closed lost asks once for all;
// the API's PATCH needs lost_reason as the pages do; an import brings
// deals already lost without one.
func TestClosedLostAsksWhyEverywhere(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		a := newApp(t, d, web.Config{})
		acc, _ := a.account("Northwind")
		sales := a.users[domain.RoleSales]
		fleet := a.deal(sales, acc.ID, "Fleet")
		c := a.signedIn(domain.RoleSales)

		form := url.Values{"title": {"Fleet renamed"}, "account_id": {fmt.Sprint(acc.ID)}, "stage": {"closed_lost"}, "amount": {"1000"},
			"currency": {"USD"}, "technical_status": {"not_started"}, "version": {"1"}, "lost_note": {"Budget frozen"}}
		resp, page := c.submit(fmt.Sprint("/deals/", fleet.ID), form)
		if resp.StatusCode != http.StatusUnprocessableEntity || fieldError(page, "lost_reason") != "Choose why the deal was lost." ||
			value(page, "title") != "Fleet renamed" || value(page, "lost_note") != "Budget frozen" {
			t.Fatalf("the deal form without a reason: %d, %q, title %q", resp.StatusCode, fieldError(page, "lost_reason"), value(page, "title"))
		}
		form.Set("lost_reason", "price")
		location(t, mustResp(c.submit(fmt.Sprint("/deals/", fleet.ID), form)), http.StatusSeeOther)
		_, edit := c.get(fmt.Sprint("/deals/", fleet.ID, "/edit"))
		if value(edit, "lost_reason") != "price" || value(edit, "lost_note") != "Budget frozen" {
			t.Fatalf("editing a lost deal shows %q %q", value(edit, "lost_reason"), value(edit, "lost_note"))
		}
		if _, edit = c.get(fmt.Sprint("/deals/", a.deal(sales, acc.ID, "Open one").ID, "/edit")); edit.Find(`[data-testid="lost-fields"]`).Length() != 0 {
			t.Fatal("an open deal's form asks why it was lost")
		}

		// Bulk: a manager moves two deals; the confirmation asks why.
		depot, yard := a.deal(sales, acc.ID, "Depot"), a.deal(sales, acc.ID, "Yard")
		m := a.signedIn(domain.RoleManager)
		ids := []string{fmt.Sprint(depot.ID), fmt.Sprint(yard.ID)}
		if _, page = m.submit("/deals/bulk", url.Values{"deal_ids": ids, "stage": {"closed_lost"}}); page.Find(`[data-testid="bulk-confirm"] select[name="lost_reason"]`).Length() != 1 {
			t.Fatal("the bulk confirmation does not ask why")
		}
		resp, page = m.submit("/deals/bulk", url.Values{"deal_ids": ids, "stage": {"closed_lost"}, "confirm": {"1"}, "lost_note": {"Merged into one"}})
		if resp.StatusCode != http.StatusUnprocessableEntity || fieldError(page, "lost_reason") != "Choose why the deal was lost." || value(page, "lost_note") != "Merged into one" {
			t.Fatalf("bulk without a reason: %d %q", resp.StatusCode, fieldError(page, "lost_reason"))
		}
		if got, _, _ := a.svc().Deals.Deal(t.Context(), depot.ID); got.Stage == domain.StageClosedLost {
			t.Fatal("a refused bulk change moved a deal")
		}
		location(t, mustResp(m.submit("/deals/bulk", url.Values{"deal_ids": ids, "stage": {"closed_lost"}, "confirm": {"1"}, "lost_reason": {"no_decision"}})), http.StatusSeeOther)
		for _, id := range []int64{depot.ID, yard.ID} {
			if got, _, _ := a.svc().Deals.Deal(t.Context(), id); got.Stage != domain.StageClosedLost || got.LostReason != "no_decision" {
				t.Fatalf("after the bulk change: %s %q", got.Stage, got.LostReason)
			}
		}

		// The API.
		spec := a.spec()
		api := a.api(sales, domain.ScopeReadWrite, spec)
		open := a.deal(sales, acc.ID, "Harbour")
		res := api.do(http.MethodPatch, fmt.Sprint("/deals/", open.ID), map[string]any{"stage": "closed_lost"}, "If-Match", `"1"`)
		if res.Status != http.StatusUnprocessableEntity || !strings.Contains(string(res.Body), "Choose why the deal was lost.") {
			t.Fatalf("API PATCH without lost_reason: %d %s", res.Status, res.Body)
		}
		res = api.do(http.MethodPatch, fmt.Sprint("/deals/", open.ID), map[string]any{"stage": "closed_lost", "lost_reason": "missing_capability", "lost_note": "No SCIM"}, "If-Match", `"1"`)
		if res.Status != http.StatusOK || res.JSON["lost_reason"] != "missing_capability" || res.JSON["lost_note"] != "No SCIM" {
			t.Fatalf("API PATCH with lost_reason: %d %s", res.Status, res.Body)
		}
		if res = api.do(http.MethodPost, "/deals", map[string]any{"title": "Lost at once", "account_id": acc.ID, "stage": "closed_lost"}); res.Status != http.StatusUnprocessableEntity {
			t.Fatalf("API create lost without a reason: %d", res.Status)
		}

		// A deal imported lost, without a reason, is edited without one.
		old := a.deal(sales, acc.ID, "Old loss", func(in *domain.DealInput) { in.Stage, in.Imported = "closed_lost", true })
		if _, edit = c.get(fmt.Sprint("/deals/", old.ID, "/edit")); edit.Find(`select[name="lost_reason"]`).Length() != 1 || edit.Find(`select[name="lost_reason"][required]`).Length() != 0 {
			t.Fatal("the form of a deal imported lost insists on a reason")
		}
		location(t, mustResp(c.submit(fmt.Sprint("/deals/", old.ID), url.Values{"title": {"Old loss, renamed"}, "account_id": {fmt.Sprint(acc.ID)},
			"stage": {"closed_lost"}, "amount": {"1000"}, "currency": {"USD"}, "technical_status": {"not_started"}, "version": {"1"}})), http.StatusSeeOther)

		// Imported lost: no reason needed.
		imported := domain.DealInput{Title: "Old loss", AccountID: fmt.Sprint(acc.ID), Stage: "closed_lost", Currency: "USD", Imported: true}
		var lost domain.Deal
		if err := imported.Apply(&lost, a.svc().Now()); err != nil || lost.Stage != domain.StageClosedLost || lost.LostReason != "" {
			t.Fatalf("an imported lost deal: %v %s", err, lost.Stage)
		}
	})
}

// Only an administrator edits the lists: adds an entry (a key made from
// its label), renames it (the key, on records, stays; the records read
// the new label) and retires it (kept where it is, no longer offered).
func TestAdministratorEditsTheLists(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		a := newApp(t, d, web.Config{})
		acc, _ := a.account("Northwind")
		sales := a.users[domain.RoleSales]
		fleet := a.deal(sales, acc.ID, "Fleet")
		admin := a.signInAs(a.admin())
		for _, c := range []*client{a.signedIn(domain.RoleSales), a.signedIn(domain.RoleManager)} {
			if resp, _ := c.get("/admin/lists"); resp.StatusCode != http.StatusForbidden {
				t.Fatalf("a non-administrator opens the lists: %d", resp.StatusCode)
			}
			if resp, _ := c.submit("/admin/lists/product_area", url.Values{"label": {"Billing"}}); resp.StatusCode != http.StatusForbidden {
				t.Fatalf("a non-administrator adds an area: %d", resp.StatusCode)
			}
		}

		_, page := admin.get("/admin/lists")
		if n := page.Find(`[data-testid="list-lost_reason"] [data-testid="choice"]`).Length(); n != 5 {
			t.Fatalf("%d lost reasons, want the 5 defaults", n)
		}
		location(t, mustResp(admin.submit("/admin/lists/product_area", url.Values{"label": {"Single sign-on & SCIM"}})), http.StatusSeeOther)
		resp, page := admin.submit("/admin/lists/product_area", url.Values{"label": {"single SIGN-ON & scim"}})
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page.Find(`[data-testid="list-product_area"]`).Text(), "already in the list") ||
			page.Find("#new-product_area").AttrOr("value", "") != "single SIGN-ON & scim" {
			t.Fatalf("a duplicate area: %d", resp.StatusCode)
		}
		if resp, _ = admin.submit("/admin/lists/product_area", url.Values{"label": {"  "}}); resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("an empty area: %d", resp.StatusCode)
		}
		if resp, _ = admin.submit("/admin/lists/colours", url.Values{"label": {"Red"}}); resp.StatusCode != http.StatusNotFound {
			t.Fatalf("an unknown list: %d", resp.StatusCode)
		}
		areas, _ := a.svc().Organisation.Choices(t.Context(), domain.ListProductAreas)
		if len(areas) != 1 || areas[0].Key != "single_sign_on_scim" {
			t.Fatalf("areas: %+v", areas)
		}

		// Rename "Price" on a deal lost for it: the deal reads the new label.
		reasons, _ := a.svc().Organisation.Choices(t.Context(), domain.ListLostReasons)
		price, _ := reasons.Find("price")
		c := a.signedIn(domain.RoleSales)
		location(t, mustResp(c.submit(fmt.Sprint("/deals/", fleet.ID, "/stage"), url.Values{"stage": {"closed_lost"}, "version": {"1"}, "lost_reason": {"price"}})), http.StatusSeeOther)
		resp, page = admin.submit(fmt.Sprint("/admin/choices/", price.ID), url.Values{"label": {"Timing"}})
		if resp.StatusCode != http.StatusUnprocessableEntity || page.Find(fmt.Sprint("#choice-", price.ID)).AttrOr("value", "") != "Timing" ||
			!strings.Contains(page.Find(`[data-key="price"]`).Text(), "already in the list") {
			t.Fatalf("renaming to another's label: %d", resp.StatusCode)
		}
		location(t, mustResp(admin.submit(fmt.Sprint("/admin/choices/", price.ID), url.Values{"label": {"Price or budget"}})), http.StatusSeeOther)
		if _, deal := c.get(fmt.Sprint("/deals/", fleet.ID)); !strings.Contains(deal.Find(`[data-testid="deal-lost"]`).Text(), "Price or budget") {
			t.Fatalf("after the rename the deal says %q", deal.Find(`[data-testid="deal-lost"]`).Text())
		}

		// Retired: kept on the deal, not offered for another.
		location(t, mustResp(admin.submit(fmt.Sprint("/admin/choices/", price.ID, "/retire"), nil)), http.StatusSeeOther)
		if _, deal := c.get(fmt.Sprint("/deals/", fleet.ID)); !strings.Contains(deal.Find(`[data-testid="deal-lost"]`).Text(), "Price or budget") {
			t.Fatal("a retired reason left the deal")
		}
		other := a.deal(sales, acc.ID, "Depot")
		resp, page = c.submit(fmt.Sprint("/deals/", other.ID, "/stage"), url.Values{"stage": {"closed_lost"}, "version": {"1"}})
		if resp.StatusCode != http.StatusUnprocessableEntity || page.Find(`option[value="price"]`).Length() != 0 {
			t.Fatal("a retired reason is offered")
		}
		if resp, _ = c.submit(fmt.Sprint("/deals/", other.ID, "/stage"), url.Values{"stage": {"closed_lost"}, "version": {"1"}, "lost_reason": {"price"}}); resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("a retired reason taken: %d", resp.StatusCode)
		}
		if _, edit := c.get(fmt.Sprint("/deals/", fleet.ID, "/edit")); edit.Find(`option[value="price"][selected]`).Length() != 1 {
			t.Fatal("the lost deal's form drops its retired reason")
		}
		location(t, mustResp(admin.submit(fmt.Sprint("/admin/choices/", price.ID, "/restore"), nil)), http.StatusSeeOther)
		if _, page = admin.get("/admin/lists"); strings.Contains(page.Find(`[data-key="price"]`).Text(), "retired") {
			t.Fatal("restored, still marked retired")
		}
	})
}
