package e2e

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// From the pipeline's Views menu a saved view is renamed, and takes the
// filters the salesperson was looking at; the menu lists it by its new
// name; deleted, Undo puts it back. At 390, 1366 and 1920 px.
func TestASavedViewIsRenamedFromTheMenu(t *testing.T) {
	w := newActsWorld(t)
	v, err := w.svc.Deals.SaveView(context.Background(), w.sales, "Early ones", url.Values{"stage": {"discovery"}})
	if err != nil {
		t.Fatal(err)
	}
	b := browser(t)
	signIn(t, b, w.base, "sales@demo.test")
	for width, stage := range map[int64]string{390: "proposal", 1366: "negotiation", 1920: "evaluation"} {
		name := fmt.Sprint("Late ones at ", width)
		rename := fmt.Sprintf(`[data-testid="rename-view"][href^="/deals/views/%d/edit"]`, v.ID)
		do(t, b, chromedp.EmulateViewport(width, 900), chromedp.Navigate(w.base+"/deals?stage="+stage),
			chromedp.Click(chromedp.CSS(`[data-testid="views-menu"] summary`)), chromedp.WaitVisible(chromedp.CSS(rename)))
		fits(t, b, "the Views menu", width)
		screenshot(t, b, fmt.Sprint("views-menu-", width))
		do(t, b, chromedp.Click(chromedp.CSS(rename)), chromedp.WaitVisible(chromedp.CSS(`[data-testid="view-form"]`)))
		fits(t, b, "the rename form of a view", width)
		screenshot(t, b, fmt.Sprint("view-rename-", width))
		for _, v := range axeViolations(t, b) {
			t.Errorf("the rename form at %d px: %s (%s) %s at %s", width, v.ID, v.Impact, v.Help, strings.Join(v.Targets, ", "))
		}
		do(t, b, chromedp.Evaluate[chromedp.Void](`document.querySelector("#name").value = ""`), chromedp.SendKeys(chromedp.CSS(`#name`), name),
			chromedp.Click(chromedp.CSS(`[data-testid="update-filters"]`)),
			chromedp.Click(chromedp.CSS(`[data-testid="view-form"] button[type="submit"]`)),
			hasText(`[data-testid="flash"]`, "View renamed to “"+name+"”"))
		got, err := chromedp.Run(b, chromedp.Evaluate[[]string](`[...document.querySelectorAll('[data-testid="saved-view"]')].map(a => a.textContent + " " + a.getAttribute("href"))`))
		if err != nil || len(got) != 1 || got[0] != name+" /deals?stage="+stage {
			t.Fatalf("at %d px the menu lists %q (%v)", width, got, err)
		}
	}
	// Deleted from the menu, it comes back with Undo.
	do(t, b, chromedp.Click(chromedp.CSS(`[data-testid="views-menu"] summary`)),
		chromedp.Click(chromedp.CSS(`[data-testid="views-menu"] form.inline button`)),
		hasText(`[data-testid="flash"]`, "deleted"), chromedp.Click(chromedp.CSS(`[data-testid="undo"]`)),
		hasText(`[data-testid="flash"]`, "Undone"))
	if n, _ := chromedp.Run(b, chromedp.Evaluate[int](`document.querySelectorAll('[data-testid="saved-view"]').length`)); n != 1 {
		t.Fatalf("after Undo the menu lists %d views", n)
	}
}
