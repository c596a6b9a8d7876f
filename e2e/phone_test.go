package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/device"
)

// On a phone every page fits the screen's width: nothing scrolls sideways
// but the tables that are meant to.
func TestPagesFitAPhone(t *testing.T) {
	base := demoServer(t)
	ctx := browser(t)
	do(t, ctx, chromedp.Emulate(device.IPhone12))
	signIn(t, ctx, base, "manager@demo.test")
	for _, path := range []string{"/", "/deals", "/deals/1", "/meetings", "/meetings/2", "/meetings/2/brief", "/support", "/offers/review", "/promises", "/coverage", "/accounts/1", "/settings", "/admin/users/1", "/admin/tokens", "/admin/webhooks", "/docs/api", "/import", "/import/1"} {
		do(t, ctx, chromedp.Navigate(base+path), chromedp.WaitVisible(chromedp.CSS("main")))
		overflow, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth - window.innerWidth`))
		if err != nil {
			t.Fatal(err)
		}
		if overflow > 0 {
			t.Errorf("%s is %d px wider than the phone", path, overflow)
		}
	}
	do(t, ctx, chromedp.Navigate(base+"/deals/1"), chromedp.WaitVisible(chromedp.CSS("main")))
	if png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot()); err == nil {
		keep(t, "phone-deal", png)
	}
}
