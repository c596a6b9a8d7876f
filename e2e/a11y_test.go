package e2e

import (
	"context"
	_ "embed"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// axe is axe-core from npm (MPL-2.0, testdata/axe-LICENSE), the engine
// behind most accessibility checkers; it runs in the page under test.
//
//go:embed testdata/axe-4.14.1.min.js
var axe string

// violation is one axe rule a page breaks, with where.
type violation struct {
	ID      string   `json:"id"`
	Impact  string   `json:"impact"`
	Help    string   `json:"help"`
	Targets []string `json:"targets"`
}

// axeViolations runs axe-core on the page and lists what it finds.
func axeViolations(t *testing.T, ctx context.Context) []violation {
	t.Helper()
	c, cancel := within(ctx)
	defer cancel()
	if _, err := chromedp.Run(c, chromedp.Evaluate[bool](axe+";true")); err != nil {
		t.Fatalf("load axe: %v", err)
	}
	vs, err := chromedp.Run(c, chromedp.Evaluate[[]violation](`axe.run(document, {resultTypes: ["violations"]}).then(r =>
		r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map(n => n.target.join(" ")).slice(0, 5)})))`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("run axe: %v", err)
	}
	return vs
}

// rolePages are the pages each role uses, with an element that says the
// page is ready.
var rolePages = map[string][]struct{ path, ready string }{
	"sales@demo.test": {
		{"/", `[data-testid="desk"]`}, {"/deals", `[data-testid="deals"]`}, {"/deals/1", `[data-testid="timeline"]`},
		{"/deals/1/edit", `[data-testid="deal-form"]`}, {"/meetings", `main`}, {"/meetings/2", `[data-testid="meeting-title"]`},
		{"/meetings/2/brief", `[data-testid="brief"]`}, {"/offers/review", `h1`}, {"/promises", `main`},
		{"/accounts", `[data-testid="accounts"]`}, {"/accounts/1", `[data-testid="account-deals"]`}, {"/settings", `[data-testid="settings-form"]`},
		{"/notifications", `main`}, {"/accounts/new", `[data-testid="account-form"]`}, {"/meetings/new?deal=1", `[data-testid="meeting-form"]`},
		{"/search?q=north", `[data-testid="search-results"]`}, {"/deals/board", `[data-testid="board"]`}, {"/offers/1", `main`},
		{"/docs/api", `[data-testid="api-operation"]`},
	},
	"devrel@demo.test": {
		{"/", `[data-testid="desk"]`}, {"/support", `main`}, {"/deals", `[data-testid="deals"]`}, {"/meetings", `main`},
		{"/promises", `main`}, {"/offers/2", `main`},
	},
	"manager@demo.test": {
		{"/", `[data-testid="desk"]`}, {"/coverage", `[data-testid="trend-chart"]`}, {"/admin/users", `main`},
		{"/admin/users/1", `main`}, {"/admin/settings", `[data-testid="settings-form"]`}, {"/admin/lists", `[data-testid="list-lost_reason"]`}, {"/deals/board", `[data-testid="board"]`}, {"/contacts", `[data-testid="contacts"]`}, {"/support", `main`}, {"/deals/1", `[data-testid="timeline"]`},
		{"/deals?owner=", `[data-testid="bulk-form"]`}, {"/search?q=zz", `[data-testid="search-results"]`},
		{"/admin/tokens", `main`}, {"/admin/webhooks", `[data-testid="webhook-form"]`},
		{"/import", `[data-testid="kept-mappings"]`}, {"/import/1", `[data-testid="import-preview"]`},
	},
}

// Every page of every role passes axe-core with no violation, and no
// element id appears twice.
func TestPagesPassAxe(t *testing.T) {
	base := demoServer(t)
	ctx := browser(t)
	for who, pages := range rolePages {
		signIn(t, ctx, base, who)
		for _, p := range pages {
			do(t, ctx, chromedp.Navigate(base+p.path), chromedp.WaitVisible(chromedp.CSS(p.ready)))
			for _, v := range axeViolations(t, ctx) {
				t.Errorf("%s %s: %s (%s) %s at %s", who, p.path, v.ID, v.Impact, v.Help, strings.Join(v.Targets, ", "))
			}
			headless, err := chromedp.Run(ctx, chromedp.Evaluate[int](`[...document.querySelectorAll("table")].filter(t => !t.querySelector("th")).length`))
			if err != nil || headless > 0 {
				t.Errorf("%s %s: %d data tables without header cells %v", who, p.path, headless, err)
			}
			dups, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`(() => { const seen = {}, dup = [];
				document.querySelectorAll("[id]").forEach(e => { if (seen[e.id]) dup.push(e.id); seen[e.id] = true; }); return dup; })()`))
			if err != nil || len(dups) > 0 {
				t.Errorf("%s %s: duplicate ids %v %v", who, p.path, dups, err)
			}
		}
		signOut(t, ctx)
	}
}

// focusRing is, for the element with focus, its outline width and the
// contrast of the outline against the first opaque background behind it.
const focusRing = `(() => {
	const e = document.activeElement;
	if (!e || e === document.body) return null;
	const lum = c => { const m = c.match(/[\d.]+/g).map(Number); const [r, g, b] = m.slice(0, 3).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
	const alpha = c => { const m = c.match(/[\d.]+/g); return m.length > 3 ? Number(m[3]) : 1; };
	const s = getComputedStyle(e);
	let bg = "rgb(255, 255, 255)";
	for (let p = e.parentElement; p; p = p.parentElement) {
		const b = getComputedStyle(p).backgroundColor;
		if (alpha(b) > 0.5) { bg = b; break; }
	}
	const a = lum(s.outlineColor), b = lum(bg);
	return {tag: e.tagName + (e.id ? "#" + e.id : "") + " " + (e.textContent || "").trim().slice(0, 30), width: parseFloat(s.outlineWidth) || 0,
		style: s.outlineStyle, contrast: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)};
})()`

type ring struct {
	Tag      string  `json:"tag"`
	Width    float64 `json:"width"`
	Style    string  `json:"style"`
	Contrast float64 `json:"contrast"`
}

// Tabbing through a page, every focused element shows an outline of at
// least 2px with 3:1 contrast against the background it sits on, and the
// tables that scroll sideways are among the stops.
func TestKeyboardFocusIsVisible(t *testing.T) {
	base := demoServer(t)
	ctx := browser(t)
	signIn(t, ctx, base, "manager@demo.test")
	for _, p := range []struct{ path, ready string }{{"/coverage", `[data-testid="trend-chart"]`}, {"/deals/1", `[data-testid="timeline"]`}, {"/deals", `[data-testid="deals"]`}} {
		do(t, ctx, chromedp.Navigate(base+p.path), chromedp.WaitVisible(chromedp.CSS(p.ready)))
		stops, regions := 0, 0
		for range 60 {
			do(t, ctx, chromedp.KeyEvent("\t"))
			r, err := chromedp.Run(ctx, chromedp.Evaluate[*ring](focusRing))
			if err != nil {
				t.Fatal(err)
			}
			if r == nil {
				continue
			}
			stops++
			if strings.HasPrefix(r.Tag, "SECTION") {
				regions++ // a scrolling table region
			}
			if r.Style == "none" || r.Width < 2 || r.Contrast < 3 {
				t.Errorf("%s: focus on %q: outline %s %.0fpx at %.2f:1", p.path, r.Tag, r.Style, r.Width, r.Contrast)
			}
		}
		if stops < 20 {
			t.Fatalf("%s: only %d focus stops", p.path, stops)
		}
		if p.path == "/coverage" && regions == 0 {
			t.Errorf("no scrolling table on /coverage can be reached by keyboard")
		}
	}
}
