package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// TestDemoPagesRender walks the main pages of the demo as each role and
// keeps screenshots when asked to, so a person can look at them.
func TestDemoPagesRender(t *testing.T) {
	base := demoServer(t)
	ctx := browser(t)
	signIn(t, ctx, base, "sales@demo.test")
	for _, p := range []struct{ name, path, ready string }{
		{"deals", "/deals", `[data-testid="deals"]`},
		{"deal", "/deals/1", `[data-testid="timeline"]`},
		{"deal-edit", "/deals/1/edit", `[data-testid="deal-form"]`},
		{"meetings", "/meetings", `[data-testid="agenda-day"]`},
		{"meeting", "/meetings/2", `[data-testid="meeting-title"]`},
		{"meeting-new", "/meetings/new?deal=1", `[data-testid="meeting-form"]`},
		{"accounts", "/accounts", `[data-testid="accounts"]`},
		{"account", "/accounts/1", `[data-testid="account-deals"]`},
	} {
		do(t, ctx, chromedp.Navigate(base+p.path), chromedp.WaitVisible(chromedp.CSS(p.ready)))
		screenshot(t, ctx, "page-"+p.name)
	}
}
