package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/presale/presale/db"
	"github.com/presale/presale/internal/read"
	"github.com/presale/presale/internal/store"
	"github.com/presale/presale/internal/testenv"
)

// `go build ./cmd/presale` without the sqlite_fts5 tag gives a binary that
// starts on a fresh SQLite file, serves the demo and searches with a
// slower match, saying so once in the log and on the search page. The
// same file opened by a build with FTS5 gets its search index built; opened
// again without, it still takes changes (the index's triggers leave).
func TestABuildWithoutFTS5StartsAndSearches(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		if testenv.CI() {
			t.Fatal("the go command is needed to build presale without FTS5")
		}
		t.Skip("no go command here")
	}
	bin := filepath.Join(t.TempDir(), "presale-nofts")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Env = append(os.Environ(), "GOFLAGS=")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build without tags: %v\n%s", err, out)
	}
	dbPath := filepath.Join(t.TempDir(), "presale.db")

	base, log, stop := serveBinary(t, bin, "--demo", "--db", dbPath)
	c := signedInClient(t, base, "sales@demo.test")
	page := get(t, c, base+"/search?q=northw")
	if !strings.Contains(page, `data-testid="search-slow"`) || !strings.Contains(page, "Northwind Logistics") {
		t.Fatalf("the search page without FTS5 does not find Northwind or does not say it is slower:\n%.2000s", page)
	}
	stop()
	if n := strings.Count(log.String(), "lacks FTS5"); n != 1 {
		t.Fatalf("the log says %d times that search is slower, want once:\n%s", n, log)
	}

	// A build with FTS5 (this test's) builds the index the file lacks.
	ctx := context.Background()
	d, err := db.Open(ctx, dbPath, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Migrate(ctx); err != nil {
		t.Fatalf("migrate with FTS5 over a file made without: %v", err)
	}
	st := store.New(d.Write, d.Read)
	if !st.FullTextSearch(ctx) {
		t.Fatal("this test is built without FTS5; run it with -tags sqlite_fts5")
	}
	sales, err := st.People().UserByEmail(ctx, "sales@demo.test")
	if err != nil {
		t.Fatal(err)
	}
	hits, err := st.Search(ctx, sales, []string{"northw"}, 6)
	if err != nil || len(hits[read.SearchAccounts]) != 1 {
		t.Fatalf("the rebuilt index finds %v (%v)", hits[read.SearchAccounts], err)
	}
	d.Close()

	// Back without FTS5: a change of an account still lands.
	base, _, stop = serveBinary(t, bin, "--db", dbPath)
	defer stop()
	c = signedInClient(t, base, "sales@demo.test")
	form := url.Values{"_csrf": {csrfOf(t, get(t, c, base+"/accounts/new"))}, "name": {"Zanzibar Freight"}}
	resp, err := c.PostForm(base+"/accounts", form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(get(t, c, base+"/search?q=zanzi"), "Zanzibar Freight") {
		t.Fatalf("a new account without FTS5 over a file indexed with it: %d", resp.StatusCode)
	}
}

// serveBinary runs bin serve on a free port until the test ends or stop
// is called, and answers its address once /readyz does, and its log.
func serveBinary(t *testing.T, bin string, args ...string) (string, *testenv.Buffer, func()) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	cmd := exec.Command(bin, append([]string{"serve", "--addr", addr}, args...)...)
	log := &testenv.Buffer{}
	cmd.Stdout, cmd.Stderr = io.Discard, log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	stopped := false
	stop := func() {
		if !stopped {
			stopped = true
			_ = cmd.Process.Signal(os.Interrupt)
			_ = cmd.Wait()
		}
	}
	t.Cleanup(stop)
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get("http://" + addr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return "http://" + addr, log, stop
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("presale without FTS5 never became ready: %v\n%s", err, log)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

func csrfOf(t *testing.T, page string) string {
	t.Helper()
	m := csrfField.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no CSRF token on the page:\n%.1000s", page)
	}
	return m[1]
}

func get(t *testing.T, c *http.Client, u string) string {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b strings.Builder
	if _, err := bufio.NewReader(resp.Body).WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d", u, resp.StatusCode)
	}
	return b.String()
}

// signedInClient signs in as a demo user and keeps the session.
func signedInClient(t *testing.T, base, email string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	form := url.Values{"_csrf": {csrfOf(t, get(t, c, base+"/login"))}, "email": {email}, "password": {"demo-password"}}
	resp, err := c.PostForm(base+"/login", form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if !strings.Contains(get(t, c, base+"/"), `data-testid="desk"`) {
		t.Fatal(fmt.Sprint("sign-in as ", email, " did not reach the desk"))
	}
	return c
}
