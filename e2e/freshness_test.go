package e2e

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// A read across the organisation that is more than a second old says so
// in small print at the page's foot, in the reader's clock time, readable
// and within the screen at phone and desktop widths.
func TestAKeptReviewSaysHowOldItIs(t *testing.T) {
	base := demoServer(t)
	ctx := browser(t)
	signIn(t, ctx, base, "manager@demo.test")
	asOf := regexp.MustCompile(`^as of \d\d:\d\d:\d\d$`)
	for _, width := range []int64{390, 1366} {
		do(t, ctx, chromedp.EmulateViewport(width, 900))
		// Read the review, wait until what was kept of it is past a second
		// (not past two, nor into the next minute: then it is read afresh,
		// and the next try waits again), and look once more.
		for try := 1; ; try++ {
			do(t, ctx, chromedp.Navigate(base+"/coverage"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="trend-chart"]`)))
			time.Sleep(1200 * time.Millisecond)
			do(t, ctx, chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`[data-testid="trend-chart"]`)))
			if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('[data-testid="as-of"]').length`)); err == nil && n == 1 {
				break
			}
			if try == 5 {
				t.Fatalf("at %d px a review kept past a second never said how old it was", width)
			}
		}
		if got := text(t, ctx, `[data-testid="as-of"]`); !asOf.MatchString(got) {
			t.Errorf("at %d px the review says %q", width, got)
		}
		fits(t, ctx, "/coverage, as of", width)
		for _, v := range axeViolations(t, ctx) {
			t.Errorf("at %d px: %s (%s) %v", width, v.ID, v.Help, v.Targets)
		}
		screenshot(t, ctx, fmt.Sprintf("coverage-as-of-%d", width))
	}
}
