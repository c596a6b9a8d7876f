package e2e

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"
)

// wrappedWords finds table cells and navigation links whose text is one
// word (a stage, a name) but is drawn on more than one line: the fault of
// the first release, where "Prospecting" stood one letter per line.
const wrappedWords = `(() => {
	const out = [];
	document.querySelectorAll("th, td, nav a, .badge").forEach(e => {
		const text = e.textContent.trim();
		if (!text || /\s/.test(text) || e.offsetParent === null) return;
		const range = document.createRange();
		range.selectNodeContents(e);
		const style = getComputedStyle(e);
		const line = parseFloat(style.lineHeight) || 1.2 * parseFloat(style.fontSize);
		if (range.getBoundingClientRect().height > 1.6 * line) out.push(text);
	});
	return out;
})()`

// At phone, laptop and desktop widths the coverage review and the
// pipeline fit the screen and never break a one-word label over lines.
func TestCoverageLayoutAtEveryWidth(t *testing.T) {
	base := demoServer(t)
	ctx := browser(t)
	signIn(t, ctx, base, "manager@demo.test")
	for _, width := range []int64{390, 1280, 1366, 1920} {
		do(t, ctx, chromedp.EmulateViewport(width, 900))
		for _, p := range []struct{ path, ready string }{{"/coverage", `[data-testid="trend-chart"]`}, {"/deals", `[data-testid="deals"]`}, {"/support", "main"}, {"/offers/review", "main"}} {
			do(t, ctx, chromedp.Navigate(base+p.path), chromedp.WaitVisible(chromedp.CSS(p.ready)))
			overflow, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth - window.innerWidth`))
			if err != nil {
				t.Fatal(err)
			}
			if overflow > 0 {
				wide, _ := chromedp.Run(ctx, chromedp.Evaluate[[]string](widest))
				t.Errorf("%s at %d px is %d px wider than the screen: %v", p.path, width, overflow, wide)
			}
			broken, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](wrappedWords))
			if err != nil {
				t.Fatal(err)
			}
			if len(broken) > 0 {
				t.Errorf("%s at %d px breaks one-word labels over lines: %v", p.path, width, broken)
			}
			if p.path == "/coverage" {
				if png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
					keep(t, fmt.Sprintf("coverage-%d", width), png)
				}
			}
		}
	}
}

// widest lists the elements that reach past the right edge of the screen.
const widest = `(() => {
	const scrolls = e => { for (let p = e.parentElement; p; p = p.parentElement) { const o = getComputedStyle(p).overflowX; if (o === "auto" || o === "scroll") return true; } return false; };
	return [...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !scrolls(e))
		.slice(0, 8).map(e => e.tagName + "." + e.className + " " + Math.round(e.getBoundingClientRect().right));
})()`
