// Package testenv gives tests real databases: an SQLite file per test and,
// where PostgreSQL's server is installed, a database per test in a
// throwaway cluster started once per test binary. With CI=true a missing
// PostgreSQL is a failure, never a skip.
package testenv

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/presale/presale/db"
)

// Main runs a package's tests and stops the PostgreSQL cluster if one was
// started, then runs after (a summary to print). Use it as TestMain.
func Main(m *testing.M, after ...func()) {
	code := m.Run()
	cluster.stop()
	for _, f := range after {
		f()
	}
	os.Exit(code)
}

// CI reports whether the suite runs in CI, where nothing may be skipped.
func CI() bool { return os.Getenv("CI") == "true" }

// Engines lists the engines a test runs against: SQLite, and PostgreSQL,
// whose subtests skip visibly where no server can be started (and fail in
// CI).
func Engines(t testing.TB) []db.Dialect {
	t.Helper()
	return []db.Dialect{db.SQLite, db.Postgres}
}

// needPostgres makes sure the cluster runs: without it a test fails in CI
// and shows as SKIP elsewhere, never as a silent pass.
func needPostgres(t testing.TB) {
	t.Helper()
	if err := cluster.start(); err != nil {
		if CI() {
			t.Fatalf("PostgreSQL is required in CI: %v", err)
		}
		t.Skipf("PostgreSQL is not available here (install postgresql, or set PRESALE_TEST_POSTGRES_URL): %v", err)
	}
}

// ForEachEngine runs fn as a subtest per engine, each with a fresh,
// migrated database.
func ForEachEngine(t *testing.T, fn func(t *testing.T, d *db.DB)) {
	for _, e := range Engines(t) {
		t.Run(string(e), func(t *testing.T) { fn(t, Open(t, e)) })
	}
}

// Open returns a fresh, migrated database on engine, closed when the test
// ends.
func Open(t testing.TB, engine db.Dialect) *db.DB {
	t.Helper()
	return openURL(t, URL(t, engine))
}

// OpenURL is Open with the database's URL, for a test that also starts
// presale as a process of its own on it.
func OpenURL(t testing.TB, engine db.Dialect) (*db.DB, string) {
	t.Helper()
	url := URL(t, engine)
	return openURL(t, url), url
}

// URL returns a fresh database URL (migrated on PostgreSQL's template, a
// new file path on SQLite) for tests that open the database themselves.
func URL(t testing.TB, engine db.Dialect) string {
	t.Helper()
	if engine == db.SQLite {
		return filepath.Join(t.TempDir(), "presale.db")
	}
	needPostgres(t)
	url, err := cluster.newDatabase()
	if err != nil {
		t.Fatal(err)
	}
	return url
}

var cluster = &pgCluster{}

type pgCluster struct {
	once   sync.Once
	err    error
	admin  string // URL of the maintenance database
	server *pgServer
	mu     sync.Mutex
	n      atomic.Int64
}

func (c *pgCluster) start() error {
	c.once.Do(func() {
		if url := os.Getenv("PRESALE_TEST_POSTGRES_URL"); url != "" {
			c.admin = url
		} else {
			c.server, c.err = startPostgres()
			if c.err != nil {
				return
			}
			c.admin = c.server.url("postgres")
		}
		c.err = c.makeTemplate()
	})
	return c.err
}

// makeTemplate migrates one database that every test database copies, so
// a test pays for CREATE DATABASE, not for the migrations.
func (c *pgCluster) makeTemplate() error {
	ctx := context.Background()
	admin, err := db.Open(ctx, c.admin, nil)
	if err != nil {
		return err
	}
	defer admin.Close()
	name := fmt.Sprintf("presale_tmpl_%d", os.Getpid())
	if err := admin.Write.Exec("DROP DATABASE IF EXISTS " + name).Error; err != nil {
		return err
	}
	if err := admin.Write.Exec("CREATE DATABASE " + name).Error; err != nil {
		return err
	}
	tmpl, err := db.Open(ctx, withDatabase(c.admin, name), nil)
	if err != nil {
		return err
	}
	defer tmpl.Close()
	return tmpl.Migrate(ctx)
}

// EmptyURL returns the URL of a new, empty database: nothing migrated, for
// tests of what happens when instances start on it together.
func EmptyURL(t testing.TB, engine db.Dialect) string {
	t.Helper()
	if engine == db.SQLite {
		return filepath.Join(t.TempDir(), "presale.db")
	}
	needPostgres(t)
	url, err := cluster.createDatabase("")
	if err != nil {
		t.Fatal(err)
	}
	return url
}

func (c *pgCluster) newDatabase() (string, error) {
	return c.createDatabase(fmt.Sprintf("presale_tmpl_%d", os.Getpid()))
}

// createDatabase makes a database copied from template, or empty.
func (c *pgCluster) createDatabase(template string) (string, error) {
	if err := c.start(); err != nil {
		return "", err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	ctx := context.Background()
	admin, err := db.Open(ctx, c.admin, nil)
	if err != nil {
		return "", err
	}
	defer admin.Close()
	name := fmt.Sprintf("presale_t%d_%d", os.Getpid(), c.n.Add(1))
	stmt := "CREATE DATABASE " + name
	if template != "" {
		stmt += " TEMPLATE " + template
	}
	if err := admin.Write.Exec(stmt).Error; err != nil {
		return "", err
	}
	return withDatabase(c.admin, name), nil
}

func (c *pgCluster) stop() {
	if c.server != nil {
		c.server.stop()
	}
}

// ForEachEngineTwice runs fn per engine with two handles on one fresh,
// migrated database: two presale instances sharing it, each with its own
// pools.
func ForEachEngineTwice(t *testing.T, fn func(t *testing.T, a, b *db.DB)) {
	for _, e := range Engines(t) {
		t.Run(string(e), func(t *testing.T) {
			url := URL(t, e)
			a, b := openURL(t, url), openURL(t, url)
			fn(t, a, b)
		})
	}
}

func openURL(t testing.TB, url string) *db.DB {
	t.Helper()
	ctx := context.Background()
	d, err := db.Open(ctx, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close() })
	if err := d.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return d
}

// Together runs each fn at the same moment, each in its own goroutine,
// and returns their errors in order: the way to start a race on purpose.
func Together(fns ...func() error) []error {
	start := make(chan struct{})
	errs := make([]error, len(fns))
	var wg sync.WaitGroup
	for i, fn := range fns {
		wg.Go(func() {
			<-start
			errs[i] = fn()
		})
	}
	close(start)
	wg.Wait()
	return errs
}

// Buffer is a bytes.Buffer that many goroutines write at once, such as a
// server's log or output that a test reads while it runs.
type Buffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Clock is a clock for tests: real time, but never the same instant twice
// (a microsecond apart at least, PostgreSQL's resolution), so changes made
// one after another are ordered without sleeping.
func Clock() func() time.Time {
	var mu sync.Mutex
	var last time.Time
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		now := time.Now().UTC().Truncate(time.Microsecond)
		if !now.After(last) {
			now = last.Add(time.Microsecond)
		}
		last = now
		return now
	}
}

// MovingClock is Clock that a test can also move on: to let reads across
// the organisation, kept for service.OrganisationLag, be read again.
type MovingClock struct {
	mu     sync.Mutex
	last   time.Time
	offset time.Duration
}

// Now is real time plus what the clock was moved by, never the same
// instant twice.
func (c *MovingClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := time.Now().UTC().Add(c.offset).Truncate(time.Microsecond)
	if !now.After(c.last) {
		now = c.last.Add(time.Microsecond)
	}
	c.last = now
	return now
}

// Add moves the clock on by d.
func (c *MovingClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset += d
}
