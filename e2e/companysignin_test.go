package e2e

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/presale/presale/db"
	"github.com/presale/presale/db/seed"
	"github.com/presale/presale/internal/service"
	"github.com/presale/presale/internal/store"
	"github.com/presale/presale/internal/testenv"
	"github.com/presale/presale/web"
)

// companyServer serves the demo organisation with company sign-in through
// a real OpenID provider of the test, where the demo salesperson has an
// account.
func companyServer(t *testing.T) (string, *testenv.IdP) {
	t.Helper()
	d := testenv.Open(t, db.SQLite)
	if _, err := seed.Demo(context.Background(), d.Write, service.HashPassword, time.Now()); err != nil {
		t.Fatal(err)
	}
	st := store.New(d.Write, d.Read)
	var handler http.Handler
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { handler.ServeHTTP(w, r) }))
	base := "http://" + srv.Listener.Addr().String()
	idp, client := testenv.CompanyIdP(t, base+web.CompanyCallbackPath, time.Now)
	idp.Person("sales@demo.test", "Sofia Reyes", true)
	handler = web.New(web.Config{Version: "e2e", BaseURL: base, CompanySignIn: client}, service.New(st, service.WithCompanySignIn()), st.Sessions(), d.Ready, nil)
	srv.Start()
	t.Cleanup(srv.Close)
	return base, idp
}

// The sign-in page's company button fits a phone and a laptop, and takes
// the salesperson through the provider's login page to their desk.
func TestCompanySignInInTheBrowser(t *testing.T) {
	base, _ := companyServer(t)
	ctx := browser(t)
	for _, width := range []int64{390, 1366} {
		t.Run(fmt.Sprint(width), func(t *testing.T) {
			button := `[data-testid="company-sign-in"] button`
			do(t, ctx, chromedp.EmulateViewport(width, 900), chromedp.Navigate(base+"/deals"), chromedp.WaitVisible(chromedp.CSS(button)))
			if got := text(t, ctx, button); got != "Sign in with Example SSO" {
				t.Errorf("the button says %q", got)
			}
			do(t, ctx, until(fmt.Sprintf(`(() => { const r = document.querySelector(%q).getBoundingClientRect();
				return r.left >= 0 && r.right <= window.innerWidth && r.height < 80 && document.documentElement.scrollWidth <= window.innerWidth })()`, button)))
			if vs := axeViolations(t, ctx); len(vs) > 0 {
				t.Errorf("axe on the sign-in page: %+v", vs)
			}
			screenshot(t, ctx, fmt.Sprint("company-sign-in-", width))
			do(t, ctx,
				chromedp.Click(chromedp.CSS(button)),
				chromedp.WaitVisible(chromedp.CSS(`#username`)),
				chromedp.SendKeys(chromedp.CSS(`#username`), "sales@demo.test"),
				chromedp.SendKeys(chromedp.CSS(`#password`), testenv.IdPPassword),
				chromedp.Click(chromedp.CSS(`button[type="submit"]`)),
				chromedp.WaitVisible(chromedp.CSS(`[data-testid="deals"]`)),
			)
			if got := text(t, ctx, `[data-testid="whoami"]`); !strings.Contains(got, "Sofia Reyes") {
				t.Errorf("signed in as %q", got)
			}
			do(t, ctx,
				chromedp.Click(chromedp.CSS(`[data-testid="sign-out"]`)),
				chromedp.WaitVisible(chromedp.CSS(`[data-testid="login-form"]`)),
			)
		})
	}
}

// The sign-in page with the company button and the settings page with
// company sign-in are valid HTML.
func TestCompanySignInPagesAreValidHTML(t *testing.T) {
	bin := htmlValidate(t)
	base, _ := companyServer(t)
	dir := t.TempDir()
	var files []string
	for who, path := range map[string]string{"anonymous": "/login", "manager@demo.test": "/admin/settings"} {
		c := &http.Client{}
		if who != "anonymous" {
			c = signedInClient(t, base, who)
		}
		resp, err := c.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.Contains(string(body), "Example SSO") {
			t.Fatalf("%s shows no company sign-in", path)
		}
		name := filepath.Join(dir, strings.ReplaceAll(path, "/", "_")+".html")
		if err := os.WriteFile(name, body, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, name)
	}
	validHTML(t, bin, dir, files)
}
