package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/presale/presale/internal/domain"
)

// Moving a deal to Closed lost, from the board's "Move to…" and from the
// deal page's, leads to a small form asking why; the move lands with the
// reason chosen, and the deal page says it. At 390 and 1366 px (fits,
// axe clean).
func TestClosedLostAsksWhyInTheBrowser(t *testing.T) {
	w := newActsWorld(t)
	b := browser(t)
	ctx := context.Background()
	signIn(t, b, w.base, "sales@demo.test")
	card := fmt.Sprintf(`#card-%d`, w.deal.ID)
	lostForm := func(where string, width int64) {
		t.Helper()
		do(t, b, chromedp.WaitVisible(chromedp.CSS(`[data-testid="lost-form"]`)))
		fits(t, b, "the lost reason form from "+where, width)
		for _, v := range axeViolations(t, b) {
			t.Errorf("the lost reason form from %s at %d px: %s (%s) %s at %s", where, width, v.ID, v.Impact, v.Help, strings.Join(v.Targets, ", "))
		}
		screenshot(t, b, fmt.Sprint("lost-form-", where, "-", width))
	}
	for _, width := range []int64{390, 1366} {
		do(t, b, chromedp.EmulateViewport(width, 900), chromedp.Navigate(w.base+"/deals/board"), chromedp.WaitVisible(chromedp.CSS(card)),
			chromedp.Click(chromedp.CSS(card+` [data-testid="move-to"] summary`)),
			chromedp.Click(chromedp.CSS(card+` [data-testid="move-to"] button[value="closed_lost"]`)))
		lostForm("board", width)
		do(t, b, chromedp.SetValue(chromedp.CSS(`#lost_reason`), "competitor"),
			chromedp.SendKeys(chromedp.CSS(`#lost_note`), "Went with Contoso"),
			chromedp.Click(chromedp.CSS(`[data-testid="lost-submit"]`)),
			hasText(`[data-testid="flash"]`, "moved to Closed lost"))
		if n, _ := chromedp.Run(b, chromedp.Evaluate[int](`document.querySelectorAll('`+card+`').length`)); n != 0 {
			t.Fatalf("at %d px the lost deal is still on the board", width)
		}
		d, _, err := w.svc.Deals.Deal(ctx, w.deal.ID)
		if err != nil || d.LostReason != "competitor" || d.LostNote != "Went with Contoso" {
			t.Fatalf("at %d px lost from the board with %q %q (%v)", width, d.LostReason, d.LostNote, err)
		}

		// Reopened, then lost again from the deal page: asked again.
		if _, _, _, err := w.svc.Deals.MoveDeal(ctx, w.sales, d.ID, d.Version, domain.StageNegotiation, domain.DealLoss{}); err != nil {
			t.Fatal(err)
		}
		do(t, b, chromedp.Navigate(fmt.Sprint(w.base, "/deals/", w.deal.ID)),
			chromedp.Click(chromedp.CSS(`[data-testid="deal-summary"] [data-testid="move-to"] summary`)),
			chromedp.Click(chromedp.CSS(`[data-testid="deal-summary"] [data-testid="move-to"] button[value="closed_lost"]`)))
		lostForm("deal", width)
		do(t, b, chromedp.SetValue(chromedp.CSS(`#lost_reason`), "price"),
			chromedp.Click(chromedp.CSS(`[data-testid="lost-submit"]`)),
			hasText(`[data-testid="flash"]`, "moved to Closed lost"),
			hasText(`[data-testid="deal-lost"]`, "Price"))
		fits(t, b, "the lost deal's page", width)
		screenshot(t, b, fmt.Sprint("deal-lost-", width))

		d, _, _ = w.svc.Deals.Deal(ctx, w.deal.ID)
		if _, _, _, err := w.svc.Deals.MoveDeal(ctx, w.sales, d.ID, d.Version, domain.StageDiscovery, domain.DealLoss{}); err != nil {
			t.Fatal(err)
		}
	}
}

// An administrator adds a product area in the organisation's lists; a
// question raised at a meeting names it, and its page says so. At 390,
// 1366 and 1920 px (fits, axe clean).
func TestAProductAreaIsAddedAndNamedOnAQuestion(t *testing.T) {
	w := newActsWorld(t)
	m := w.meetingIn(t, "Invoice deep dive", 48)
	b := browser(t)
	signIn(t, b, w.base, "manager@demo.test")
	for i, width := range widths {
		area := []string{"Billing", "Mobile apps", "Reporting"}[i] // the demo has others
		do(t, b, chromedp.EmulateViewport(width, 900), chromedp.Navigate(w.base+"/admin/lists"),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid="list-product_area"]`)),
			chromedp.SendKeys(chromedp.CSS(`#new-product_area`), area),
			chromedp.Click(chromedp.CSS(`[data-testid="list-product_area"] button[type="submit"]:not(.small)`)),
			hasText(`[data-testid="flash"]`, "added to product areas"),
			hasText(`[data-testid="list-product_area"]`, area))
		fits(t, b, "the lists page", width)
		for _, v := range axeViolations(t, b) {
			t.Errorf("the lists page at %d px: %s (%s) %s at %s", width, v.ID, v.Impact, v.Help, strings.Join(v.Targets, ", "))
		}
		screenshot(t, b, fmt.Sprint("lists-", width))

		key := strings.ReplaceAll(strings.ToLower(area), " ", "_")
		do(t, b, chromedp.Navigate(fmt.Sprint(w.base, "/meetings/", m.ID)),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid="question-form"]`)),
			chromedp.SetValue(chromedp.CSS(`[data-testid="question-form"] textarea[name="text"]`), "Where are invoices kept? "+area),
			chromedp.SetValue(chromedp.CSS(`#question-product_area`), key))
		fits(t, b, "the meeting page's question form", width)
		do(t, b, chromedp.Submit(chromedp.CSS(`[data-testid="question-form"] textarea[name="text"]`)),
			hasText(`[data-testid="flash"]`, "Question recorded"))
		var id int64
		if err := w.db.Read.Table("questions").Select("MAX(id)").Scan(&id).Error; err != nil {
			t.Fatal(err)
		}
		do(t, b, chromedp.Navigate(fmt.Sprint(w.base, "/questions/", id)), hasText(`[data-testid="question-area"]`, area))
		if q, err := w.st.Meetings().QuestionByID(context.Background(), id); err != nil || q.ProductArea != key {
			t.Fatalf("at %d px the question's area is %q (%v)", width, q.ProductArea, err)
		}
	}
}
