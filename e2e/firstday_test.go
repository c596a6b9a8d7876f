package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// contrastOf is the contrast ratio (WCAG) of an element's text against
// the first opaque background behind it.
const contrastOf = `(sel => {
	const e = document.querySelector(sel);
	if (!e) return 0;
	const rgb = s => s.match(/[\d.]+/g).map(Number);
	const lum = c => { const [r, g, b] = c.slice(0, 3).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
	let bg = null;
	for (let p = e; p && !bg; p = p.parentElement) { const c = rgb(getComputedStyle(p).backgroundColor); if (c.length < 4 || c[3] > 0.9) bg = c; }
	bg = bg || [255, 255, 255];
	const a = lum(rgb(getComputedStyle(e).color)), b = lum(bg);
	return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
})`

// The header search's results are readable over the page (dark on a
// light card, not the header's blue), and the keyboard moves through
// them: Down from the box to the first hit and on, Up back to the box,
// Escape closes them and returns to the box, Enter opens the hit. At a
// phone's and a laptop's width, axe clean with the results open.
func TestTheHeaderSearchIsReadableAndMovesByKeyboard(t *testing.T) {
	base := demoServer(t)
	ctx := browser(t)
	signIn(t, ctx, base, "sales@demo.test")
	for _, width := range []int64{390, 1366} {
		do(t, ctx, chromedp.EmulateViewport(width, 800), chromedp.Navigate(base+"/deals"), chromedp.WaitVisible(chromedp.CSS(`#site-search`)),
			chromedp.Click(chromedp.CSS(`#site-search`)), chromedp.KeyEvent("north"),
			chromedp.WaitVisible(chromedp.CSS(`#quick-results [data-testid="search-hit"] a`)))
		screenshot(t, ctx, fmt.Sprintf("search-open-%d", width))
		for _, sel := range []string{`#quick-results [data-testid="search-hit"] a`, `#quick-results [data-testid="search-hit"] .muted`, `#quick-results h2`} {
			if ratio, err := chromedp.Run(ctx, chromedp.Evaluate[float64](contrastOf+fmt.Sprintf("(%q)", sel))); err != nil || ratio < 4.5 {
				t.Errorf("at %d px %s has contrast %.2f against its background, want 4.5 or more (%v)", width, sel, ratio, err)
			}
		}
		if vs := axeViolations(t, ctx); len(vs) > 0 {
			t.Errorf("at %d px with the search open, axe finds %+v", width, vs)
		}
		focused := func() string {
			s, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement.id || document.activeElement.getAttribute("href") || document.activeElement.tagName`))
			return s
		}
		hits, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#quick-results a[href]')].map(a => a.getAttribute("href"))`))
		if err != nil || len(hits) < 2 {
			t.Fatalf("at %d px the search for north lists %v (%v), want two hits or more", width, hits, err)
		}
		do(t, ctx, chromedp.KeyEvent(kb.ArrowDown))
		if got := focused(); got != hits[0] {
			t.Fatalf("at %d px Down from the box focuses %q, want the first hit %q", width, got, hits[0])
		}
		do(t, ctx, chromedp.KeyEvent(kb.ArrowDown))
		if got := focused(); got != hits[1] {
			t.Errorf("at %d px Down again focuses %q, want the second hit %q", width, got, hits[1])
		}
		do(t, ctx, chromedp.KeyEvent(kb.ArrowUp), chromedp.KeyEvent(kb.ArrowUp))
		if got := focused(); got != "site-search" {
			t.Errorf("at %d px Up from the first hit focuses %q, want the box", width, got)
		}
		do(t, ctx, chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent(kb.Escape))
		if got := focused(); got != "site-search" {
			t.Errorf("at %d px Escape in the results focuses %q, want the box", width, got)
		}
		if shown, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("quick-results").getBoundingClientRect().height > 0`)); shown {
			t.Errorf("at %d px the results stay open after Escape", width)
		}
		// Down opens them again; Enter on a hit goes to its page.
		do(t, ctx, chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible(chromedp.CSS(`main h1`)))
		if loc, _ := chromedp.Run(ctx, chromedp.Location()); !strings.HasSuffix(loc, hits[0]) {
			t.Errorf("at %d px Enter on the first hit opens %s, want %s", width, loc, hits[0])
		}
	}
}

// The offer to show times in the browser's zone stands above the page,
// outside its content, and leaves the page once answered ("Keep"), also
// on the next page.
func TestTheTimeZoneOfferStandsOutsideThePageAndLeavesOnceAnswered(t *testing.T) {
	base := demoServer(t)
	ctx := browser(t)
	signIn(t, ctx, base, "manager@demo.test") // Europe/London; the browser is in UTC
	for _, width := range []int64{390, 1366} {
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`localStorage.clear(); true`)); err != nil {
			t.Fatal(err)
		}
		do(t, ctx, chromedp.EmulateViewport(width, 800), chromedp.Navigate(base+"/deals"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="tz-offer"] .tz-text`)))
		if inMain, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('main [data-testid="tz-offer"]').length`)); inMain != 0 {
			t.Errorf("at %d px the time-zone offer is inside the page's content", width)
		}
		if vs := axeViolations(t, ctx); len(vs) > 0 {
			t.Errorf("at %d px with the offer shown, axe finds %+v", width, vs)
		}
		do(t, ctx, chromedp.Click(chromedp.CSS(`[data-keep-zone]`)))
		for _, when := range []string{"answered", "on the next page"} {
			if left, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('[data-testid="tz-offer"]').length`)); left != 0 {
				t.Errorf("at %d px the answered offer is still in the page (%s)", width, when)
			}
			do(t, ctx, chromedp.Navigate(base+"/meetings"), chromedp.WaitVisible(chromedp.CSS(`main h1`)))
		}
	}
}
