// Package e2e drives presale in real headless Chromium against the real
// server and a real database, as a person would.
package e2e

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
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

func TestMain(m *testing.M) { testenv.Main(m) }

// demoServer serves the demo organisation from a fresh SQLite file.
// widths are the screens a page is checked at: a phone, a laptop and a
// wide desktop.
var widths = []int64{390, 1366, 1920}

func demoServer(t *testing.T) string {
	base, _ := demoServerDB(t)
	return base
}

// demoServerDB is demoServer with its database, for tests that shape the
// data first.
func demoServerDB(t *testing.T) (string, *db.DB) {
	t.Helper()
	d := testenv.Open(t, db.SQLite)
	if _, err := seed.Demo(context.Background(), d.Write, service.HashPassword, time.Now()); err != nil {
		t.Fatal(err)
	}
	st := store.New(d.Write, d.Read)
	srv := httptest.NewServer(web.New(web.Config{Version: "e2e"}, service.New(st), st.Sessions(), d.Ready, nil))
	t.Cleanup(srv.Close)
	return srv.URL, d
}

// browser starts headless Chromium; without one the test is skipped,
// except in CI, where it fails.
func browser(t *testing.T) context.Context {
	t.Helper()
	path := os.Getenv("PRESALE_CHROMIUM")
	if path == "" {
		for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
			if p, err := exec.LookPath(name); err == nil {
				path = p
				break
			}
		}
	}
	if path == "" {
		if testenv.CI() {
			t.Fatal("Chromium is required in CI (apt-get install chromium)")
		}
		t.Skip("no Chromium here; install it with apt-get install chromium")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.WindowSize(1280, 900),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
	)
	// Chromium now and then dies while starting on a loaded machine (a
	// crash report and no DevTools address); that is the browser, not the
	// page under test, so a start is tried three times.
	var err error
	for attempt := 1; attempt <= 3; attempt++ {
		alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), append(opts, chromedp.UserDataDir(t.TempDir()))...)
		ctx, cancel := chromedp.NewContext(alloc)
		// The first action starts the browser; it must not carry a timeout.
		if err = chromedp.Do(ctx, chromedp.Navigate("about:blank")); err == nil {
			t.Cleanup(func() { cancel(); cancelAlloc() })
			return ctx
		}
		cancel()
		cancelAlloc()
		t.Logf("Chromium did not start (attempt %d): %.200v", attempt, err)
	}
	t.Fatalf("start Chromium at %s: %v", path, err)
	return nil
}

// within bounds one step so a broken page fails the test instead of
// hanging it.
func within(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, 15*time.Second)
}

func do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	c, cancel := within(ctx)
	defer cancel()
	if err := chromedp.Do(c, steps...); err != nil {
		t.Fatalf("%v\n%s", err, pageText(ctx))
	}
}

// hasText waits until the element's text holds want: the way to know a
// form post has landed when the page before it looked alike.
// It polls from Go, so it survives the navigation in between.
func hasText(css, want string) chromedp.Action[chromedp.Void] {
	return until(fmt.Sprintf(`(document.querySelector(%q) || {textContent: ""}).textContent.includes(%q)`, css, want))
}

// until waits for a script's answer to be true, polling from Go so it
// survives a navigation in between.
func until(js string) chromedp.Action[chromedp.Void] {
	check := chromedp.Evaluate[bool](js)
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		for {
			if ok, err := check(ctx, t); err == nil && ok {
				return chromedp.Void{}, nil
			}
			select {
			case <-ctx.Done():
				return chromedp.Void{}, fmt.Errorf("waiting for %s: %w", js, ctx.Err())
			case <-time.After(50 * time.Millisecond):
			}
		}
	}
}

// pageText is what the page says, to explain a failed step.
func pageText(ctx context.Context) string {
	c, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	loc, _ := chromedp.Run(c, chromedp.Location())
	body, err := chromedp.Run(c, chromedp.Text(chromedp.CSS("main")))
	if err != nil {
		return "page at " + loc + " unreadable: " + err.Error()
	}
	if len(body) > 3000 {
		body = body[:3000]
	}
	return "page at " + loc + ":\n" + body
}

func text(t *testing.T, ctx context.Context, css string) string {
	t.Helper()
	c, cancel := within(ctx)
	defer cancel()
	s, err := chromedp.Run(c, chromedp.Text(chromedp.CSS(css)))
	if err != nil {
		t.Fatalf("text of %s: %v", css, err)
	}
	return s
}

// screenshot keeps a picture of the page when PRESALE_E2E_SCREENSHOTS
// names a folder, for a person to look at.
func screenshot(t *testing.T, ctx context.Context, name string) {
	dir := os.Getenv("PRESALE_E2E_SCREENSHOTS")
	if dir == "" {
		return
	}
	c, cancel := within(ctx)
	defer cancel()
	png, err := chromedp.Run(c, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	keep(t, name, png)
}

// keep writes a picture to PRESALE_E2E_SCREENSHOTS, if set.
func keep(t *testing.T, name string, png []byte) {
	dir := os.Getenv("PRESALE_E2E_SCREENSHOTS")
	if dir == "" {
		return
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

func signIn(t *testing.T, ctx context.Context, base, email string) {
	t.Helper()
	do(t, ctx,
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="login-form"]`)),
		chromedp.SendKeys(chromedp.CSS(`#email`), email),
		chromedp.SendKeys(chromedp.CSS(`#password`), seed.DemoPassword),
	)
	screenshot(t, ctx, "login")
	do(t, ctx,
		chromedp.Click(chromedp.CSS(`[data-testid="login-form"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="desk"]`)),
	)
}

func TestSalespersonSignsInAndSeesMyDesk(t *testing.T) {
	base := demoServer(t)
	ctx := browser(t)
	signIn(t, ctx, base, "sales@demo.test")
	if got := text(t, ctx, `[data-testid="desk"]`); got != "My desk" {
		t.Fatalf("heading %q", got)
	}
	if got := text(t, ctx, `[data-testid="whoami"]`); !strings.Contains(got, "Sofia Reyes") || !strings.Contains(got, "Sales") {
		t.Fatalf("signed in as %q", got)
	}
	if got := text(t, ctx, `[data-testid="desk-review"] h2`); !strings.HasPrefix(got, "Offers awaiting my review") {
		t.Fatalf("sales desk panel %q", got)
	}
	screenshot(t, ctx, "desk-sales")

	// Signing out returns to the sign-in page with a confirmation.
	do(t, ctx,
		chromedp.Click(chromedp.CSS(`[data-testid="sign-out"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="login-form"]`)),
	)
	if got := text(t, ctx, `[data-testid="flash"]`); !strings.Contains(got, "signed out") {
		t.Fatalf("after sign-out: %q", got)
	}
}

func TestWrongPasswordInTheBrowser(t *testing.T) {
	base := demoServer(t)
	ctx := browser(t)
	do(t, ctx,
		chromedp.Navigate(base+"/login"),
		chromedp.SendKeys(chromedp.CSS(`#email`), "devrel@demo.test"),
		chromedp.SendKeys(chromedp.CSS(`#password`), "not-the-password"),
		chromedp.Click(chromedp.CSS(`[data-testid="login-form"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="login-error"]`)),
	)
	if got := text(t, ctx, `[data-testid="login-error"]`); !strings.Contains(got, "do not match") {
		t.Fatalf("error %q", got)
	}
}

// acceptConfirms answers yes to the page's next confirm() questions
// (hx-confirm, data-confirm), counting them in window.presaleAsked.
func acceptConfirms() chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := chromedp.Evaluate[any](`window.presaleAsked = 0; window.confirm = () => { window.presaleAsked++; return true; }; true`)(ctx, t)
		return chromedp.Void{}, err
	}
}
