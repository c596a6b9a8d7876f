package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// wrappedWords finds table cells, buttons and navigation links whose text is one
// word (a stage, a name) but is drawn on more than one line: the fault of
// the first release, where "Prospecting" stood one letter per line; and
// any word of the page drawn in pieces on two lines ("Flagg/ed"), or a
// label's compound at its hyphen ("needed-/by").
const wrappedWords = `(() => {
	const out = [];
	document.querySelectorAll("th, td, nav a, .badge, button").forEach(e => {
		const text = e.textContent.trim();
		if (!text || /\s/.test(text) || e.offsetParent === null) return;
		const range = document.createRange();
		range.selectNodeContents(e);
		const style = getComputedStyle(e);
		const line = parseFloat(style.lineHeight) || 1.2 * parseFloat(style.fontSize);
		if (range.getBoundingClientRect().height > 1.6 * line) out.push(text);
	});
	const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
	for (let n = walker.nextNode(); n; n = walker.nextNode()) {
		const e = n.parentElement;
		if (!e || e.closest("script, style, select, textarea, .sr-only") || !e.checkVisibility()) continue;
		// A compound breaks at its hyphen in prose, not in a label.
		const word = e.closest(".kpi, th, .badge, button, nav, td > strong, label") ? /\p{L}{2,}(?:-\p{L}+)*/gu : /\p{L}{2,}/gu;
		for (const m of n.textContent.matchAll(word)) {
			const range = document.createRange();
			range.setStart(n, m.index);
			range.setEnd(n, m.index + m[0].length);
			const rects = [...range.getClientRects()].filter(r => r.width > 0);
			if (rects.length > 1 && new Set(rects.map(r => Math.round(r.top))).size > 1) out.push(m[0] + " (in " + e.tagName.toLowerCase() + ")");
		}
	}
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
		for _, p := range []struct{ path, ready string }{{"/coverage", `[data-testid="trend-chart"]`}, {"/deals", `[data-testid="deals"]`}, {"/support", "main"}, {"/offers/review", "main"}, {"/deals/board", `[data-testid="board"]`}, {"/meetings", "main"}, {"/meetings/2", `[data-testid="meeting-facts"]`}, {"/admin/settings", "main"}, {"/admin/lists", `[data-testid="list-product_area"]`}, {"/deals/1", `[data-testid="deal-tasks"]`}, {"/search?q=north", `[data-testid="search-results"]`}, {"/accounts/1", `[data-testid="account-deals"]`}, {"/admin/webhooks", `[data-testid="webhook-form"]`}, {"/docs/api", `[data-testid="api-operation"]`}, {"/import", `[data-testid="kept-mappings"]`}, {"/import/1", `[data-testid="import-preview"]`}} {
			do(t, ctx, chromedp.Navigate(base+p.path), chromedp.WaitVisible(chromedp.CSS(p.ready)))
			fits(t, ctx, p.path, width)
			// At 1280 px and wider the manager's navigation is one row.
			if width >= 1280 {
				rows, err := chromedp.Run(ctx, chromedp.Evaluate[int](`new Set([...document.querySelectorAll('[data-testid="nav"] a')].map(a => Math.round(a.getBoundingClientRect().top))).size`))
				if err != nil || rows != 1 {
					t.Errorf("%s at %d px: the navigation takes %d rows (%v)", p.path, width, rows, err)
				}
			}
			// On a phone the deals list is a card per deal, each within
			// the screen, with its labelled values.
			if p.path == "/deals" && width == 390 {
				cards, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](dealCards))
				if err != nil {
					t.Fatal(err)
				}
				if len(cards) == 0 || cards[0] != "block" {
					t.Errorf("deal rows at 390 px are not cards: %v", cards)
				}
				for _, c := range cards[1:] {
					t.Errorf("deal card at 390 px: %s", c)
				}
				if png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot()); err == nil {
					keep(t, "deals-390", png)
				}
			}
			if p.path == "/meetings/2" || p.path == "/offers/review" || p.path == "/support" || strings.HasPrefix(p.path, "/import") {
				if png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
					keep(t, fmt.Sprintf("%s-%d", strings.ReplaceAll(strings.Trim(p.path, "/"), "/", "-"), width), png)
				}
			}
			if p.path == "/coverage" {
				if png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
					keep(t, fmt.Sprintf("coverage-%d", width), png)
				}
			}
		}
	}
}

// fits fails the test when the page is wider than the screen or breaks a
// one-word label over lines.
func fits(t *testing.T, ctx context.Context, what string, width int64) {
	t.Helper()
	overflow, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth - window.innerWidth`))
	if err != nil {
		t.Fatal(err)
	}
	if overflow > 0 {
		wide, _ := chromedp.Run(ctx, chromedp.Evaluate[[]string](widest))
		t.Errorf("%s at %d px is %d px wider than the screen: %v", what, width, overflow, wide)
	}
	if broken, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](wrappedWords)); err != nil || len(broken) > 0 {
		t.Errorf("%s at %d px breaks one-word labels over lines: %v %v", what, width, broken, err)
	}
}

// widest lists the elements that reach past the right edge of the screen.
const widest = `(() => {
	const scrolls = e => { for (let p = e.parentElement; p; p = p.parentElement) { const o = getComputedStyle(p).overflowX; if (o === "auto" || o === "scroll") return true; } return false; };
	return [...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !scrolls(e))
		.slice(0, 8).map(e => e.tagName + "." + e.className + " " + Math.round(e.getBoundingClientRect().right));
})()`

// dealCards reports the first deal row's display and any card that is
// wider than the screen or lacks the labelled values a card shows.
const dealCards = `(() => {
	const rows = [...document.querySelectorAll('[data-testid="deal-row"]')];
	if (!rows.length) return [];
	const out = [getComputedStyle(rows[0]).display];
	rows.forEach((r, i) => {
		const box = r.getBoundingClientRect();
		if (box.right > window.innerWidth + 1 || box.left < -1) out.push("row " + i + " spans " + Math.round(box.left) + "-" + Math.round(box.right));
		const shown = [...r.querySelectorAll("td[data-label]")].filter(td => td.offsetParent !== null).map(td => td.dataset.label);
		for (const want of ["Account", "Stage", "Amount", "Close", "DevRel"]) if (!shown.includes(want)) out.push("row " + i + " lacks " + want);
	});
	return out;
})()`
