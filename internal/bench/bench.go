// Package bench measures presale end to end: a synthetic dataset in a real
// SQLite file (or a PostgreSQL database), the real server on loopback, and a signed-in browser-like
// client timing page loads.
package bench

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"time"

	"github.com/presale/presale/db"
	"github.com/presale/presale/db/seed"
	"github.com/presale/presale/internal/service"
	"github.com/presale/presale/internal/store"
	"github.com/presale/presale/web"
)

// Page is one page to time, signed in or not; managers sign in as one of
// the synthetic managers.
type Page struct {
	Name      string
	Path      string
	Anonymous bool
	Manager   bool
}

// Pages are what the benchmark loads.
var Pages = []Page{
	{Name: "sign-in page", Path: "/login", Anonymous: true},
	{Name: "my desk (sales)", Path: "/"},
	{Name: "readiness", Path: "/readyz", Anonymous: true},
	{Name: "deals, page 1", Path: "/deals"},
	{Name: "deals, page 1000", Path: "/deals?page=1000"},
	{Name: "deals, search", Path: "/deals?q=deal+0004"},
	{Name: "deals, filtered", Path: "/deals?stage=proposal&devrel=without&sort=amount"},
	{Name: "deals, by amount", Path: "/deals?sort=amount"},
	{Name: "deal page", Path: "/deals/1"},
	{Name: "search, common word", Path: "/search?q=deal"},
	{Name: "search, one deal", Path: "/search?q=deal+000421"},
	{Name: "search, as you type", Path: "/search?q=mee"},
	{Name: "search, no match", Path: "/search?q=zyxwv"},
	{Name: "meetings agenda", Path: "/meetings"},
	{Name: "accounts", Path: "/accounts?page=3"},
	{Name: "support board", Path: "/support"},
	{Name: "promises", Path: "/promises"},
	{Name: "coverage", Path: "/coverage", Manager: true},
	{Name: "coverage.csv", Path: "/coverage.csv", Manager: true},
	{Name: "manager desk", Path: "/", Manager: true},
}

// Run seeds each dataset size and times every page; requests per page.
// With a PostgreSQL URL (a database the user may create databases from)
// each size runs in a database of its own, created and dropped here;
// otherwise in a temporary SQLite file.
func Run(ctx context.Context, out io.Writer, sizes []int, requests int, postgresURL string) error {
	fmt.Fprintf(out, "machine: %s/%s, %d CPUs, %s\n", runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.Version())
	for _, n := range sizes {
		if err := runSize(ctx, out, n, requests, postgresURL); err != nil {
			return err
		}
	}
	return nil
}

// open gives the run a fresh, empty database and what removes it.
func open(ctx context.Context, n int, postgresURL string) (*db.DB, string, func(), error) {
	if postgresURL == "" {
		dir, err := os.MkdirTemp("", "presale-bench-")
		if err != nil {
			return nil, "", nil, err
		}
		path := filepath.Join(dir, "bench.db")
		d, err := db.Open(ctx, path, nil)
		if err != nil {
			os.RemoveAll(dir)
			return nil, "", nil, err
		}
		return d, "SQLite", func() { d.Close(); os.RemoveAll(dir) }, nil
	}
	admin, err := db.Open(ctx, postgresURL, nil)
	if err != nil {
		return nil, "", nil, err
	}
	name := fmt.Sprintf("presale_bench_%d", n)
	_ = admin.Write.Exec("DROP DATABASE IF EXISTS " + name).Error
	if err := admin.Write.Exec("CREATE DATABASE " + name).Error; err != nil {
		admin.Close()
		return nil, "", nil, err
	}
	u, err := url.Parse(postgresURL)
	if err != nil {
		admin.Close()
		return nil, "", nil, err
	}
	u.Path = "/" + name
	d, err := db.Open(ctx, u.String(), nil)
	if err != nil {
		admin.Close()
		return nil, "", nil, err
	}
	return d, "PostgreSQL", func() { d.Close(); _ = admin.Write.Exec("DROP DATABASE IF EXISTS " + name).Error; admin.Close() }, nil
}

func runSize(ctx context.Context, out io.Writer, n, requests int, postgresURL string) error {
	d, engine, done, err := open(ctx, n, postgresURL)
	if err != nil {
		return err
	}
	defer done()
	if err := d.Migrate(ctx); err != nil {
		return err
	}
	start := time.Now()
	if err := seed.Synthetic(ctx, d.Write, service.HashPassword, n, time.Now()); err != nil {
		return err
	}
	seeded := time.Since(start)
	fmt.Fprintf(out, "\ndataset: %d deals on %s (seeded in %s)\n", n, engine, seeded.Round(time.Millisecond))

	st := store.New(d.Write, d.Read)
	srv := httptest.NewServer(web.New(web.Config{Version: "bench"}, service.New(st), st.Sessions(), d.Ready, nil))
	defer srv.Close()
	signedIn, err := signIn(srv.URL, "synthetic1@bench.test")
	if err != nil {
		return err
	}
	manager, err := signIn(srv.URL, "synthetic46@bench.test")
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%-20s %8s %8s %8s %8s\n", "page", "p50", "p95", "max", "req/s")
	for _, p := range Pages {
		lat := make([]time.Duration, 0, requests)
		began := time.Now()
		client := signedIn
		switch {
		case p.Anonymous:
			client = &http.Client{}
		case p.Manager:
			client = manager
		}
		for range requests {
			t := time.Now()
			resp, err := client.Get(srv.URL + p.Path)
			if err != nil {
				return err
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK && !(p.Path == "/deals?page=1000" && n < 25000) {
				return fmt.Errorf("%s answered %d", p.Path, resp.StatusCode)
			}
			lat = append(lat, time.Since(t))
		}
		total := time.Since(began)
		slices.Sort(lat)
		fmt.Fprintf(out, "%-20s %8s %8s %8s %8.0f\n", p.Name, pct(lat, 50), pct(lat, 95), lat[len(lat)-1].Round(time.Microsecond),
			float64(requests)/total.Seconds())
	}
	return nil
}

func pct(sorted []time.Duration, p int) time.Duration {
	return sorted[(len(sorted)-1)*p/100].Round(time.Microsecond)
}

var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// signIn returns a client holding a signed-in session.
func signIn(base, email string) (*http.Client, error) {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	resp, err := c.Get(base + "/login")
	if err != nil {
		return nil, err
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := csrfField.FindSubmatch(body)
	if m == nil {
		return nil, fmt.Errorf("no CSRF token on the sign-in page")
	}
	resp, err = c.PostForm(base+"/login", url.Values{"_csrf": {string(m[1])}, "email": {email}, "password": {seed.DemoPassword}})
	if err != nil {
		return nil, err
	}
	resp.Body.Close()
	if resp.Request.URL.Path != "/" {
		return nil, fmt.Errorf("sign-in as %s failed: landed on %s (%d)", email, resp.Request.URL.Path, resp.StatusCode)
	}
	return c, nil
}
