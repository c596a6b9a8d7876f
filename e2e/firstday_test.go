package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/service"
	"github.com/presale/presale/internal/store"
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
	for _, width := range widths {
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
	for _, width := range widths {
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

// storedValues are the values presale stores for its codes (stages,
// statuses, kinds, sync states, roles...): what a page must show by its
// label.
func storedValues() []string {
	var out []string
	add := func(vs ...string) { out = append(out, vs...) }
	for _, v := range domain.Stages {
		add(string(v))
	}
	for _, v := range domain.TechnicalStatuses {
		add(string(v))
	}
	for _, v := range domain.MeetingTypes {
		add(string(v))
	}
	for _, v := range domain.SyncStates {
		add(string(v))
	}
	for _, v := range domain.OfferStatuses {
		add(string(v))
	}
	for _, v := range domain.OfferKinds {
		add(string(v))
	}
	for _, v := range domain.PromiseKinds {
		add(string(v))
	}
	for _, v := range domain.Feasibilities {
		add(string(v))
	}
	for _, v := range domain.QuestionCategories {
		add(string(v))
	}
	for _, v := range domain.SupportKinds {
		add(string(v))
	}
	for _, v := range domain.Roles {
		add(string(v))
	}
	add(string(domain.MeetingScheduled), string(domain.MeetingHeld), string(domain.MeetingCancelled),
		string(domain.PromiseKept), string(domain.PromiseDropped), string(domain.QuestionAnswered),
		string(domain.SupportOpen), string(domain.SupportClaimed), string(domain.SupportFulfilled), string(domain.SupportCancelled))
	return out
}

// rawValues lists what the page shows people that is a stored value
// rather than its words: a code of two words or more anywhere in the text
// (security_review; a one-word code such as "held" reads as the word),
// "UTC" where the reader's zone belongs, float noise (1.1254799999999998,
// 0.6547200000000001) and a date written for machines (2026-09-14) outside
// an imported file's cells. Form controls' values, the time-zone offer
// (which names the device's zone) and the API's reference are left out.
const rawValues = `(codes => {
	const out = new Set();
	const skip = e => e.closest("select, option, script, style, code, .tz-bar, [hidden]");
	const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
	for (let n = walker.nextNode(); n; n = walker.nextNode()) {
		const e = n.parentElement;
		if (!e || skip(e) || !e.checkVisibility()) continue;
		const text = n.textContent;
		for (const w of text.match(/\b[a-z]+(?:_[a-z]+)+\b/g) || []) if (codes.includes(w)) out.add(w + " in “" + text.trim().slice(0, 60) + "”");
		if (/\bUTC\b/.test(text)) out.add("UTC in “" + text.trim().slice(0, 80) + "”");
		for (const num of text.match(/\d+\.\d*(?:0{6,}[1-9]|9{6,})\d*|\d+\.\d{12,}/g) || []) out.add("float noise " + num);
		if (e.closest('[data-testid="preview-rows"], [data-testid="failing-rows"]')) continue; // an imported file's own cells
		for (const day of text.match(/\b\d{4}-\d{2}-\d{2}\b/g) || []) out.add("a machine's date " + day + " in “" + text.trim().slice(0, 80) + "”");
	}
	return [...out];
})`

// pagesOf lists the pages a signed-in person reaches: the navigation's,
// and from them the first two of each kind of thing they link to.
const pagesOf = `(() => [...document.querySelectorAll('[data-testid="nav"] a')].map(a => a.getAttribute("href")))()`
const thingsLinked = `(() => {
	const kinds = [/^\/deals\/\d+$/, /^\/meetings\/\d+$/, /^\/meetings\/\d+\/brief$/, /^\/offers\/\d+$/, /^\/promises\/\d+$/, /^\/support-requests\/\d+$/,
		/^\/accounts\/\d+$/, /^\/contacts\/\d+$/, /^\/questions\/\d+$/, /^\/admin\/users\/\d+$/, /^\/import\/\d+$/, /^\/admin\/[a-z]+$/,
		/^\/offers\/review\?from=/];
	const seen = new Map();
	for (const a of document.querySelectorAll("main a[href]")) {
		const href = a.getAttribute("href");
		const k = kinds.findIndex(re => re.test(href));
		if (k < 0) continue;
		const list = seen.get(k) || [];
		if (list.length < (k === 11 ? 8 : 2) && !list.includes(href)) list.push(href);
		seen.set(k, list);
	}
	return [...seen.values()].flat();
})()`

// No page any role reaches shows a stored value, UTC for the reader's
// zone or float noise, and none breaks a one-word label over lines, at a
// phone's, a laptop's and a wide screen's width (the demo organisation).
func TestNoPageShowsAStoredValue(t *testing.T) {
	base, d := demoServerDB(t)
	// Besides the demo's history, what the service writes today: a
	// meeting (its start recorded in UTC) and a security review.
	ctx := context.Background()
	st := store.New(d.Write, d.Read)
	svc := service.New(st)
	sales, err := st.People().UserByEmail(ctx, "sales@demo.test")
	if err != nil {
		t.Fatal(err)
	}
	london, _ := time.LoadLocation("Europe/London")
	start := time.Now().In(london).AddDate(0, 0, 9)
	if _, err := svc.Meetings.ScheduleMeeting(ctx, sales, 1, domain.MeetingInput{Title: "Rollout planning", Type: string(domain.MeetingDemo),
		StartsAt: start.Format("2006-01-02") + "T15:00", EndsAt: start.Format("2006-01-02") + "T16:00"}, london); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Support.RequestSupport(ctx, sales, 1, domain.SupportInput{Kind: string(domain.SupportSecurityReview),
		NeededBy: start.Format("2006-01-02"), Details: "Their CISO reviews the platform."}); err != nil {
		t.Fatal(err)
	}
	codes, err := json.Marshal(storedValues())
	if err != nil {
		t.Fatal(err)
	}
	for _, who := range []string{"sales@demo.test", "devrel@demo.test", "manager@demo.test"} {
		ctx := browser(t)
		do(t, ctx, inZone("Europe/London"))
		signIn(t, ctx, base, who)
		nav, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](pagesOf))
		if err != nil || len(nav) < 4 {
			t.Fatalf("%s's navigation: %v (%v)", who, nav, err)
		}
		pages := map[string]bool{}
		var order []string
		visit := func(p string) {
			if !pages[p] && p != "/docs/api" {
				pages[p] = true
				order = append(order, p)
			}
		}
		for _, p := range append([]string{"/", "/settings", "/notifications"}, nav...) {
			visit(p)
			do(t, ctx, chromedp.Navigate(base+p), chromedp.WaitVisible(chromedp.CSS("main h1")))
			linked, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](thingsLinked))
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range linked {
				visit(l)
			}
		}
		t.Logf("%s: %d pages", who, len(order))
		for _, width := range []int64{390, 1366, 1920} {
			do(t, ctx, chromedp.EmulateViewport(width, 900))
			for _, p := range order {
				do(t, ctx, chromedp.Navigate(base+p), chromedp.WaitVisible(chromedp.CSS("main h1")))
				if width == 1366 {
					raw, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](rawValues+"("+string(codes)+")"))
					if err != nil {
						t.Fatal(err)
					}
					for _, r := range raw {
						t.Errorf("%s on %s shows %s", who, p, r)
					}
				}
				if broken, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](wrappedWords)); err != nil || len(broken) > 0 {
					t.Errorf("%s on %s at %d px breaks one-word labels over lines: %v %v", who, p, width, broken, err)
				}
			}
		}
	}
}

// shownStatus lists, for each row the selector finds, the text of its
// cell or badge matching inner when it is drawn within the screen, or why not.
const shownStatus = `((rows, inner) => [...document.querySelectorAll(rows)].map(r => {
	const e = r.querySelector(inner);
	if (!e || !e.checkVisibility()) return "hidden";
	const box = e.getBoundingClientRect();
	if (box.right > window.innerWidth + 1 || box.left < -1 || box.width === 0) return "off the screen";
	return e.textContent.trim();
}))`

// At a phone's width, as on a laptop, every list keeps its status
// signals: the promise register its feasibility, the pipeline its
// technical status (as list and as board), each on the screen.
func TestListsKeepTheirStatusSignalsOnAPhone(t *testing.T) {
	base, d := demoServerDB(t)
	var atRisk struct{ ID int64 }
	if err := d.Read.Raw(`SELECT id FROM deals WHERE technical_status = 'at_risk' AND stage NOT IN ('closed_won', 'closed_lost') ORDER BY id LIMIT 1`).Scan(&atRisk).Error; err != nil || atRisk.ID == 0 {
		t.Fatalf("no open deal at risk in the demo: %v", err)
	}
	ctx := browser(t)
	signIn(t, ctx, base, "manager@demo.test")
	for _, width := range widths {
		do(t, ctx, chromedp.EmulateViewport(width, 844))
		for _, c := range []struct{ path, rows, status string }{
			{"/promises", `[data-testid="promise-row"]`, `td:nth-child(4) .badge`},
			{"/deals", `[data-testid="deal-row"]`, `td[data-label="Technical"] .badge`},
		} {
			do(t, ctx, chromedp.Navigate(base+c.path), chromedp.WaitVisible(chromedp.CSS(c.rows)))
			shown, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](fmt.Sprintf("%s(%q, %q)", shownStatus, c.rows, c.status)))
			if err != nil || len(shown) == 0 {
				t.Fatalf("%s at %d px: %v (%v)", c.path, width, shown, err)
			}
			for i, s := range shown {
				if s == "hidden" || s == "off the screen" || s == "" {
					t.Errorf("%s at %d px: row %d's status is %s", c.path, width, i+1, s)
				}
			}
			screenshot(t, ctx, fmt.Sprintf("status%s-%d", strings.ReplaceAll(c.path, "/", "-"), width))
		}
		do(t, ctx, chromedp.Navigate(base+"/deals/board"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="board"]`)))
		card := fmt.Sprintf(`[data-testid="board-card"][data-deal="%d"]`, atRisk.ID)
		if got := text(t, ctx, card); !strings.Contains(got, "At risk") {
			t.Errorf("at %d px the board's card of a deal at risk says %q, not At risk", width, got)
		}
	}
}

// inZone sets the browser's time zone: the demo's people live in London,
// so no offer to switch zones stands above their pages.
func inZone(zone string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, tg, emulation.SetTimezoneOverride, emulation.SetTimezoneOverrideParams{TimezoneID: zone})
		return chromedp.Void{}, err
	}
}

// boxOf is an element's box on the screen: left, top, right, bottom, width.
const boxOf = `(sel => { const e = document.querySelector(sel); if (!e) return []; const b = e.getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom, b.width]; })`

// On a laptop (1366 × 768) the manager sees the coverage figures, the
// stage chart and the trend without scrolling, the charts at a readable
// size; on a wide screen (1920 × 1080) the review uses the width; the
// board shows every open stage's column at 1366 without cutting the last
// one off; the agenda starts every meeting's title at one x, on a phone
// too.
func TestWideScreensShowCoverageTheBoardAndAnAlignedAgenda(t *testing.T) {
	base := demoServer(t)
	ctx := browser(t)
	do(t, ctx, inZone("Europe/London"))
	signIn(t, ctx, base, "manager@demo.test")
	box := func(sel string) []float64 {
		b, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](fmt.Sprintf("%s(%q)", boxOf, sel)))
		if err != nil || len(b) != 5 {
			t.Fatalf("no box for %s: %v", sel, err)
		}
		return b
	}
	for _, screen := range []struct{ width, height int64 }{{1366, 768}, {1920, 1080}} {
		do(t, ctx, chromedp.EmulateViewport(screen.width, screen.height), chromedp.Navigate(base+"/coverage"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="trend-chart"]`)))
		screenshot(t, ctx, fmt.Sprintf("coverage-fold-%d", screen.width))
		for _, sel := range []string{`[data-testid="coverage-summary"]`, `[data-testid="stage-chart"]`, `[data-testid="trend-chart"]`} {
			if b := box(sel); b[3] > float64(screen.height) {
				t.Errorf("at %d × %d %s ends at %.0f px, below the fold", screen.width, screen.height, sel, b[3])
			}
			if b := box(sel); b[4] < 0.4*float64(screen.width) {
				t.Errorf("at %d px %s is %.0f px wide, under 40%% of the screen", screen.width, sel, b[4])
			}
		}
		if b := box("main"); b[4] < 0.95*float64(screen.width) {
			t.Errorf("at %d px the coverage review is %.0f px wide: the screen's sides stay empty", screen.width, b[4])
		}
		do(t, ctx, chromedp.Navigate(base+"/deals/board"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="board"]`)))
		if cut, err := chromedp.Run(ctx, chromedp.Evaluate[int](`(b => b.scrollWidth - b.clientWidth)(document.querySelector('[data-testid="board"]'))`)); err != nil || cut > 0 {
			t.Errorf("at %d px the board cuts %d px of its columns off (%v)", screen.width, cut, err)
		}
	}
	for _, width := range []int64{390, 1366, 1920} {
		do(t, ctx, chromedp.EmulateViewport(width, 900), chromedp.Navigate(base+"/meetings"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="agenda-meeting"]`)))
		lefts, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`[...document.querySelectorAll('[data-testid="agenda-meeting"] a')].map(a => Math.round(a.getBoundingClientRect().left))`))
		if err != nil || len(lefts) < 3 {
			t.Fatalf("agenda titles at %d px: %v (%v)", width, lefts, err)
		}
		for i, l := range lefts {
			if l != lefts[0] {
				t.Errorf("at %d px the agenda's title %d starts at x %.0f, the first at %.0f", width, i+1, l, lefts[0])
			}
		}
	}
}
