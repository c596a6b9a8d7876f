package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// In the review queue a cleared card leaves a status line with Undo, and
// Undo brings the card back.
func TestClearingInTheReviewQueueCanBeUndone(t *testing.T) {
	base := demoServer(t)
	ctx := browser(t)
	signIn(t, ctx, base, "sales@demo.test")
	do(t, ctx, chromedp.Navigate(base+"/offers/review"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="review-item"]`)))
	before, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('[data-testid="review-item"]').length`))
	if err != nil {
		t.Fatal(err)
	}
	title := text(t, ctx, `[data-testid="review-item"] a strong`)
	do(t, ctx,
		chromedp.Click(chromedp.CSS(`[data-testid="review-item"] [data-testid="offer-clear"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`#flash-region [data-testid="undo"]`)),
	)
	if got := text(t, ctx, `#flash-region [data-testid="flash"]`); !strings.Contains(got, title) || !strings.Contains(got, "cleared") {
		t.Fatalf("status line after clearing says %q", got)
	}
	after, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('[data-testid="review-item"]').length`))
	if after != before-1 {
		t.Fatalf("%d cards after clearing one of %d", after, before)
	}
	screenshot(t, ctx, "review-cleared-undo")
	do(t, ctx,
		chromedp.Click(chromedp.CSS(`#flash-region [data-testid="undo"]`)),
		hasText(`#flash-region`, "Undone."),
		hasText(`main`, title),
	)
	if again, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('[data-testid="review-item"]').length`)); again != before {
		t.Fatalf("%d cards after Undo, want %d", again, before)
	}
}

// When the browser's zone is not the saved one, the app offers to switch,
// and switching shows times in the browser's zone.
func TestTheAppOffersTheBrowsersTimeZone(t *testing.T) {
	base := demoServer(t)
	ctx := browser(t)
	do(t, ctx, inZone("America/New_York"))
	signIn(t, ctx, base, "sales@demo.test")
	do(t, ctx, chromedp.Navigate(base+"/meetings"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="tz-offer"] .tz-text`)))
	if got := text(t, ctx, `[data-testid="tz-offer"]`); !strings.Contains(got, "America/New_York") || !strings.Contains(got, "Europe/London") {
		t.Fatalf("the offer says %q", got)
	}
	do(t, ctx,
		chromedp.Click(chromedp.CSS(`[data-testid="tz-offer"] button[type="submit"]`)),
		hasText(`#flash-region`, "America/New_York"),
	)
	if loc, _ := chromedp.Run(ctx, chromedp.Location()); !strings.HasSuffix(loc, "/meetings") {
		t.Fatalf("switching left the page for %s", loc)
	}
	if gone, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector('[data-testid="tz-offer"]') === null`)); !gone {
		t.Fatal("the offer stays in the page after switching")
	}
}

// A held meeting marked by mistake is reopened from its page.
func TestAHeldMeetingReopens(t *testing.T) {
	base, d := demoServerDB(t)
	var held struct{ ID int64 }
	if err := d.Read.Raw(`SELECT id FROM meetings WHERE status = 'held' ORDER BY starts_at DESC LIMIT 1`).Scan(&held).Error; err != nil || held.ID == 0 {
		t.Fatalf("no held meeting in the demo: %v", err)
	}
	ctx := browser(t)
	signIn(t, ctx, base, "manager@demo.test")
	do(t, ctx,
		chromedp.Navigate(fmt.Sprint(base, "/meetings/", held.ID)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="meeting-result"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid="reopen-meeting"]`)),
		hasText(`[data-testid="meeting-status"]`, "scheduled"),
	)
	if got := text(t, ctx, `#flash-region`); !strings.Contains(got, "reopened") {
		t.Fatalf("flash after reopening: %q", got)
	}
}
