package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestDemoPagesRender walks the main pages of the demo as each role and
// keeps screenshots when asked to, so a person can look at them.
func TestDemoPagesRender(t *testing.T) {
	base := demoServer(t)
	ctx := browser(t)
	signIn(t, ctx, base, "manager@demo.test")
	for _, p := range []struct{ name, path, ready string }{
		{"coverage", "/coverage", `[data-testid="trend-chart"]`},
		{"desk-manager", "/", `[data-testid="desk-risk"]`},
		{"deals", "/deals", `[data-testid="deals"]`},
		{"deal", "/deals/1", `[data-testid="timeline"]`},
		{"deal-edit", "/deals/1/edit", `[data-testid="deal-form"]`},
		{"meetings", "/meetings", `[data-testid="agenda-day"]`},
		{"meeting", "/meetings/2", `[data-testid="meeting-title"]`},
		{"meeting-new", "/meetings/new?deal=1", `[data-testid="meeting-form"]`},
		{"accounts", "/accounts", `[data-testid="accounts"]`},
		{"account", "/accounts/1", `[data-testid="account-deals"]`},
		{"brief", "/meetings/2/brief", `[data-testid="brief"]`},
		{"review", "/offers/review", `h1`},
		{"promises", "/promises", `[data-testid="promises"]`},
		{"support", "/support", `[data-testid="support-request"]`},
		{"offer", "/offers/2", `[data-testid="offer-title"]`},
		{"settings", "/settings", `[data-testid="password-form"]`},
		{"user-edit", "/admin/users/1", `[data-testid="one-time-password-form"]`},
	} {
		do(t, ctx, chromedp.Navigate(base+p.path), chromedp.WaitVisible(chromedp.CSS(p.ready)))
		screenshot(t, ctx, "page-"+p.name)
	}
}

// TestDesksRender keeps a picture of each role's desk on the demo.
func TestDesksRender(t *testing.T) {
	base := demoServer(t)
	ctx := browser(t)
	for _, who := range []string{"sales@demo.test", "devrel@demo.test"} {
		signIn(t, ctx, base, who)
		screenshot(t, ctx, "desk-"+strings.Split(who, "@")[0])
		if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("main section.card").length`)); err != nil || n < 4 {
			t.Fatalf("%s desk has %d panels, %v", who, n, err)
		}
		signOut(t, ctx)
	}
}

// Typing in the pipeline's search narrows the list in place (htmx) and
// keeps the filter in the address, so the view can be bookmarked.
func TestPipelineFiltersWithoutAReload(t *testing.T) {
	base := demoServer(t)
	ctx := browser(t)
	signIn(t, ctx, base, "manager@demo.test")
	do(t, ctx,
		chromedp.Navigate(base+"/deals"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="deal-row"]`)),
	)
	// A marker on the page proves it is not reloaded.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[int](`window.presaleMarker = 1`)); err != nil {
		t.Fatal(err)
	}
	do(t, ctx,
		chromedp.SendKeys(chromedp.CSS(`#q`), "Substation"),
		chromedp.Poll[chromedp.Void](`document.querySelectorAll('[data-testid="deal-row"]').length === 1`),
	)
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil || !strings.Contains(loc, "q=Substation") {
		t.Fatalf("address after filtering: %s %v", loc, err)
	}
	marker, err := chromedp.Run(ctx, chromedp.Evaluate[int](`window.presaleMarker || 0`))
	if err != nil || marker != 1 {
		t.Fatalf("the page was reloaded (marker %d, %v)", marker, err)
	}
}
