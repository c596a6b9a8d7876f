// Package bench measures presale end to end under load: a synthetic
// organisation in a real SQLite file (or a PostgreSQL database), the real
// server on loopback, and concurrent signed-in clients loading each page
// for a fixed time, beside a bare handler that serves a 12 KB static page
// through the same kind of listener: the ceiling of this machine.
package bench

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/presale/presale/db"
	"github.com/presale/presale/db/seed"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/service"
	"github.com/presale/presale/internal/store"
	"github.com/presale/presale/web"
	"gorm.io/gorm"
)

// Page is one page the benchmark loads, as whom.
type Page struct {
	Name string
	Path string      // or a cold kind (coldDeal…): another target each request, opened by its owner
	As   domain.Role // "" for nobody signed in
	API  bool        // as a script: the role's personal token, no session
}

// Pages are what the benchmark loads.
var Pages = []Page{
	{Name: "sign-in page", Path: "/login"},
	{Name: "healthz", Path: "/healthz"},
	{Name: "settings (light)", Path: "/settings", As: domain.RoleSales},
	{Name: "desk (sales)", Path: "/", As: domain.RoleSales},
	{Name: "desk (devrel)", Path: "/", As: domain.RoleDevRel},
	{Name: "desk (manager)", Path: "/", As: domain.RoleManager},
	{Name: "deals, page 1", Path: "/deals", As: domain.RoleSales},
	{Name: "deals, everyone's", Path: "/deals?owner=", As: domain.RoleManager},
	{Name: "deals, page 1000", Path: "/deals?owner=&page=1000", As: domain.RoleManager},
	{Name: "deals, search", Path: "/deals?q=deal+0004", As: domain.RoleSales},
	{Name: "deals, by amount", Path: "/deals?owner=&sort=amount", As: domain.RoleManager},
	{Name: "board", Path: "/deals/board", As: domain.RoleSales},
	{Name: "deal page", Path: "/deals/1", As: domain.RoleSales},
	{Name: "deal page, any", Path: "/deals/" + anyDeal, As: domain.RoleSales},
	{Name: "deal page, cold", Path: coldDeal, As: domain.RoleSales},
	{Name: "meeting page, cold", Path: coldMeeting, As: domain.RoleSales},
	{Name: "meeting page", Path: "/meetings/1", As: domain.RoleSales},
	{Name: "brief", Path: "/meetings/1/brief", As: domain.RoleSales},
	{Name: "agenda", Path: "/meetings", As: domain.RoleSales},
	{Name: "support board", Path: "/support", As: domain.RoleDevRel},
	{Name: "promises", Path: "/promises", As: domain.RoleSales},
	{Name: "search, common word", Path: "/search?q=deal", As: domain.RoleSales},
	{Name: "search, one deal", Path: "/search?q=deal+000421", As: domain.RoleSales},
	{Name: "search, as you type", Path: "/search?q=mee", As: domain.RoleSales},
	{Name: "search, no match", Path: "/search?q=zyxwv", As: domain.RoleSales},
	{Name: "search, cold", Path: coldSearch, As: domain.RoleSales},
	{Name: "coverage", Path: "/coverage", As: domain.RoleManager},
	{Name: "coverage.csv", Path: "/coverage.csv", As: domain.RoleManager},
	{Name: "evidence", Path: "/evidence", As: domain.RoleManager},
	{Name: "evidence, cold", Path: coldEvidence, As: domain.RoleManager},
	{Name: "API: deals, first page", Path: "/api/v1/deals", As: domain.RoleSales, API: true},
	{Name: "API: a deal", Path: "/api/v1/deals/1", As: domain.RoleSales, API: true},
	{Name: "API: coverage", Path: "/api/v1/coverage", As: domain.RoleManager, API: true},
	{Name: "API: evidence", Path: "/api/v1/evidence", As: domain.RoleManager, API: true},
}

// anyDeal in a page's path is one of the signed-in salesperson's deals,
// another each request: the pages a day's work visits, most of them not
// read a moment before.
const anyDeal = "{deal}"

// theirDeals hands out the deals of the salesperson the benchmark signs
// in as, in a random order of each client's own.
type theirDeals struct {
	ids  []int64
	rngs []*rand.Rand
}

func newTheirDeals(ctx context.Context, d *db.DB, email string, clients int) (*theirDeals, error) {
	t := &theirDeals{rngs: make([]*rand.Rand, clients)}
	err := d.Read.WithContext(ctx).Table("deals").Joins("JOIN users ON users.id = deals.owner_id").
		Where("users.email = ? AND deals.archived_at IS NULL", email).Order("deals.id").Pluck("deals.id", &t.ids).Error
	if err == nil && len(t.ids) == 0 {
		err = fmt.Errorf("%s owns no deals", email)
	}
	for i := range t.rngs {
		t.rngs[i] = rand.New(rand.NewPCG(uint64(i), 13))
	}
	return t, err
}

// path is p's path for client i: anyDeal becomes one of the deals.
func (t *theirDeals) path(p string, i int) string {
	if t == nil || !strings.Contains(p, anyDeal) {
		return p
	}
	return strings.Replace(p, anyDeal, fmt.Sprint(t.ids[t.rngs[i].IntN(len(t.ids))]), 1)
}

// Options say what to measure.
type Options struct {
	Sizes       []int          // deals in each dataset
	Concurrency int            // clients loading a page at once
	Duration    time.Duration  // how long each page is loaded
	Team        bool           // a whole team's organisation (seed.Team)
	Postgres    string         // a postgres:// URL; empty: a temporary SQLite file
	Keep        string         // a directory keeping the datasets between runs (SQLite files, markers of PostgreSQL databases); empty: none
	Instances   int            // servers sharing the database, each with its own pools (default 1)
	Only        *regexp.Regexp // the pages whose names match; nil for all
}

// Timeout is how long a client waits for a page before it counts a timeout.
const Timeout = 2 * time.Second

// Run seeds each dataset size and loads every page with opts.Concurrency
// clients for opts.Duration, after measuring the bare ceiling.
func Run(ctx context.Context, out io.Writer, opts Options) error {
	opts.Concurrency = max(1, opts.Concurrency)
	if opts.Duration <= 0 {
		opts.Duration = 5 * time.Second
	}
	fmt.Fprintf(out, "machine: %s/%s, %d CPUs, %s; %d clients, %s a page, %s timeout\n", runtime.GOOS, runtime.GOARCH, runtime.NumCPU(),
		runtime.Version(), opts.Concurrency, opts.Duration, Timeout)
	for _, n := range opts.Sizes {
		if err := runSize(ctx, out, n, opts); err != nil {
			return err
		}
	}
	if rss := peakRSS(); rss != "" {
		fmt.Fprintf(out, "\npeak RSS of the process: %s\n", rss)
	}
	return nil
}

// open gives the run a fresh, empty database (or the one opts.Keep kept,
// seeded when it says so) and what closes or removes it.
func open(ctx context.Context, n int, opts Options) (d *db.DB, dsn, engine string, seeded bool, done func(), err error) {
	marker := kept(n, opts)
	if marker != "" {
		_, statErr := os.Stat(marker + ".seeded")
		seeded = statErr == nil
	}
	if opts.Postgres == "" {
		if marker != "" {
			if d, err = db.Open(ctx, marker, nil); err != nil {
				return nil, "", "", false, nil, err
			}
			return d, marker, "SQLite (kept in " + marker + ")", seeded, func() { d.Close() }, nil
		}
		dir, err := os.MkdirTemp("", "presale-bench-")
		if err != nil {
			return nil, "", "", false, nil, err
		}
		path := filepath.Join(dir, "bench.db")
		d, err := db.Open(ctx, path, nil)
		if err != nil {
			os.RemoveAll(dir)
			return nil, "", "", false, nil, err
		}
		return d, path, "SQLite", false, func() { d.Close(); os.RemoveAll(dir) }, nil
	}
	admin, err := db.Open(ctx, opts.Postgres, nil)
	if err != nil {
		return nil, "", "", false, nil, err
	}
	name := fmt.Sprintf("presale_bench_%s_%d", kind(opts), n)
	if !seeded {
		_ = admin.Write.Exec("DROP DATABASE IF EXISTS " + name).Error
		if err := admin.Write.Exec("CREATE DATABASE " + name).Error; err != nil {
			admin.Close()
			return nil, "", "", false, nil, err
		}
	}
	u, err := url.Parse(opts.Postgres)
	if err != nil {
		admin.Close()
		return nil, "", "", false, nil, err
	}
	u.Path = "/" + name
	if d, err = db.Open(ctx, u.String(), nil); err != nil {
		admin.Close()
		return nil, "", "", false, nil, err
	}
	engine = "PostgreSQL"
	if marker != "" {
		engine += " (kept as " + name + ")"
	}
	return d, u.String(), engine, seeded, func() {
		d.Close()
		if marker == "" {
			_ = admin.Write.Exec("DROP DATABASE IF EXISTS " + name).Error
		}
		admin.Close()
	}, nil
}

// kept is where opts.Keep keeps the dataset of n deals: the SQLite file,
// or a marker for the PostgreSQL database; empty when nothing is kept.
// A file beside it ending in .seeded says the dataset is complete.
func kept(n int, opts Options) string {
	if opts.Keep == "" {
		return ""
	}
	if opts.Postgres != "" {
		return filepath.Join(opts.Keep, fmt.Sprintf("postgres-%s-%d", kind(opts), n))
	}
	return filepath.Join(opts.Keep, fmt.Sprintf("%s-%d.db", kind(opts), n))
}

func kind(opts Options) string {
	if opts.Team {
		return "team"
	}
	return "small"
}

func runSize(ctx context.Context, out io.Writer, n int, opts Options) error {
	d, dsn, engine, seeded, done, err := open(ctx, n, opts)
	if err != nil {
		return err
	}
	defer done()
	if err := d.Migrate(ctx); err != nil {
		return err
	}
	if seeded {
		fmt.Fprintf(out, "\ndataset: %d deals, %s organisation, on %s (seeded before)\n", n, kind(opts), engine)
	} else {
		shape := seed.Small
		if opts.Team {
			shape = seed.Team
		}
		start := time.Now()
		if err := seed.SyntheticShaped(ctx, d.Write, service.HashPassword, n, shape, time.Now()); err != nil {
			return err
		}
		if path := kept(n, opts); path != "" {
			if err := os.WriteFile(path+".seeded", nil, 0o644); err != nil {
				return err
			}
		}
		fmt.Fprintf(out, "\ndataset: %d deals, %s organisation, on %s (seeded in %s)\n", n, kind(opts), engine, time.Since(start).Round(time.Millisecond))
	}

	// The ceiling: a bare handler, the same listener and clients.
	static := bytes.Repeat([]byte("<p>presale bench ceiling</p>\n"), 12*1024/29)
	bare := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write(static)
	}))
	bareClients := newClients(opts.Concurrency, nil)
	ceiling := load(ctx, opts, func(i int) (*http.Client, string) { return bareClients[i], bare.URL + "/" })
	bare.Close()

	// Each instance has its own pools on the one database, as separate
	// processes would; client i talks to instance i mod n.
	dbs := []*db.DB{d}
	for range max(1, opts.Instances) - 1 {
		other, err := db.Open(ctx, dsn, nil)
		if err != nil {
			return err
		}
		defer other.Close()
		dbs = append(dbs, other)
	}
	if len(dbs) > 1 {
		fmt.Fprintf(out, "%d instances share the database, each with its own connections\n", len(dbs))
	}
	// Requests a client gave up on still run; each page starts once the
	// last page's are done, so no page pays for another's backlog.
	var inflight, statements atomic.Int64
	var bases []string
	var svc *service.Service
	for _, x := range dbs {
		if err := countStatements(&statements, x.Write, x.Read); err != nil {
			return err
		}
		st := store.New(x.Write, x.Read)
		if svc == nil {
			svc = service.New(st)
		}
		// The per-token rate would measure itself: it is lifted here. The
		// people of a team day come through a proxy, each from their own
		// address (sign-in is limited per address).
		app := web.New(web.Config{Version: "bench", TrustProxy: true, APIRate: web.APIRate{Every: time.Microsecond, Burst: 1 << 20}}, service.New(st), st.Sessions(), x.Ready, nil)
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			inflight.Add(1)
			defer inflight.Add(-1)
			app.ServeHTTP(w, r)
		}))
		defer srv.Close()
		bases = append(bases, srv.URL)
	}
	settle := func() {
		for deadline := time.Now().Add(time.Minute); inflight.Load() > 0 && time.Now().Before(deadline); {
			time.Sleep(20 * time.Millisecond)
		}
	}
	clients := map[domain.Role][]*http.Client{"": newClients(opts.Concurrency, nil)}
	scripts := map[domain.Role][]*http.Client{}
	// A kept dataset holds the last run's tokens only: the settings page,
	// which lists them, stays the same size from run to run.
	if err := dbs[0].Write.Exec("DELETE FROM api_tokens WHERE name = ?", benchToken).Error; err != nil {
		return err
	}
	var theirs *theirDeals
	for _, role := range domain.Roles {
		email, err := firstOf(ctx, svc, role)
		if err != nil {
			return err
		}
		if clients[role], err = signedIn(bases[0], email, opts.Concurrency); err != nil {
			return err
		}
		if scripts[role], err = withToken(ctx, svc, role, opts.Concurrency); err != nil {
			return err
		}
		if role == domain.RoleSales {
			if theirs, err = newTheirDeals(ctx, d, email, opts.Concurrency); err != nil {
				return err
			}
		}
	}
	only := func(name string) bool { return opts.Only == nil || opts.Only.MatchString(name) }
	var people *team
	var colds map[string]*cold
	if slices.ContainsFunc(Pages, func(p Page) bool { return coldKind(p.Path) && only(p.Name) }) || opts.Team && only("team day") {
		start := time.Now()
		if people, err = signInEveryone(ctx, d, bases[0]); err != nil {
			return err
		}
		from, _ := service.EvidencePeriod(time.Now().UTC())
		colds = people.colds(from)
		fmt.Fprintf(out, "%d people signed in, each on their own session (%s)\n", len(people.people), time.Since(start).Round(time.Millisecond))
	}
	fmt.Fprintf(out, "%-22s %9s %7s %9s %9s %7s %8s %6s %5s\n", "page", "req/s", "ceiling", "p50", "p99", "errors", "timeouts", "KB", "SQL")
	line := func(name string, r result, sql float64) {
		fmt.Fprintf(out, "%-22s %9.0f %6.1f%% %9s %9s %7d %8d %6.1f %5.1f\n", name, r.rate, 100*r.rate/ceiling.rate, r.pct(50), r.pct(99), r.errors, r.timeouts, float64(r.size)/1024, sql)
	}
	line("bare 12 KB page", ceiling, 0)
	for _, p := range Pages {
		if !only(p.Name) {
			continue
		}
		settle()
		cs := clients[p.As]
		if p.API {
			cs = scripts[p.As]
		}
		next := func(i int) (*http.Client, string) { return cs[i], bases[i%len(bases)] + theirs.path(p.Path, i) }
		if coldKind(p.Path) && colds[p.Path] == nil {
			fmt.Fprintf(out, "%-22s (nothing of that kind to open)\n", p.Name)
			continue
		}
		if coldKind(p.Path) {
			next = func(i int) (*http.Client, string) {
				t := colds[p.Path].pick()
				return t.who.client, bases[i%len(bases)] + t.path
			}
		}
		before := statements.Load()
		r := load(ctx, opts, next)
		line(p.Name, r, perRequest(statements.Load()-before, r))
	}
	if only("mixed") {
		settle()
		if err := runMixed(ctx, out, d, bases, clients, theirs, opts, ceiling.rate); err != nil {
			return err
		}
	}
	if opts.Team && only("team day") {
		settle()
		return runDay(ctx, out, d, bases, people, opts, ceiling.rate, &statements)
	}
	return nil
}

// coldKind reports whether a page's path names a cold kind.
func coldKind(path string) bool {
	return slices.Contains([]string{coldDeal, coldMeeting, coldSearch, coldEvidence}, path)
}

// countStatements counts every statement sent through the handles (each
// once): the SQL column, statements per answered request. BEGIN and
// COMMIT are not counted.
func countStatements(n *atomic.Int64, handles ...*gorm.DB) error {
	count := func(g *gorm.DB) {
		if !g.DryRun { // a subquery built into another statement sends nothing
			n.Add(1)
		}
	}
	for i, g := range handles {
		if slices.Contains(handles[:i], g) { // PostgreSQL's one pool is both
			continue
		}
		cb := g.Callback()
		for _, err := range []error{
			cb.Create().After("gorm:create").Register("bench:count", count),
			cb.Query().After("gorm:query").Register("bench:count", count),
			cb.Update().After("gorm:update").Register("bench:count", count),
			cb.Delete().After("gorm:delete").Register("bench:count", count),
			cb.Row().After("gorm:row").Register("bench:count", count),
			cb.Raw().After("gorm:raw").Register("bench:count", count),
		} {
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// perRequest is statements over the requests answered.
func perRequest(statements int64, r result) float64 {
	return float64(statements) / float64(max(1, len(r.lat)))
}

// result is what loading one URL gave.
type result struct {
	lat              []time.Duration // of the answered requests, sorted
	rate             float64         // answered requests a second
	errors, timeouts int
	conflicts        int   // stale writes refused with 409
	size             int64 // bytes of an answer, on average
}

func (r result) pct(p int) string {
	if len(r.lat) == 0 {
		return "-"
	}
	return r.lat[(len(r.lat)-1)*p/100].Round(10 * time.Microsecond).String()
}

// load drives one page with opts.Concurrency clients at once for
// opts.Duration; next says which client loads which URL.
func load(ctx context.Context, opts Options, next func(i int) (*http.Client, string)) result {
	var bytes atomic.Int64
	r := drive(ctx, opts.Duration, opts.Concurrency, func(i int) (int, error) {
		c, url := next(i)
		status, n, err := fetch(c, url)
		bytes.Add(n)
		return status, err
	})
	if len(r.lat) > 0 {
		r.size = bytes.Load() / int64(len(r.lat))
	}
	return r
}

// fetch loads url whole and reports the answer's status and length.
func fetch(c *http.Client, url string) (int, int64, error) {
	resp, err := c.Get(url)
	if err != nil {
		return 0, 0, err
	}
	n, _ := io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, n, nil
}

// drive runs step from n workers at once for d. An answer under 400
// counts with its time; a 409 too (a stale write refused, nothing lost),
// and as a conflict; any other error status as an error; a request given
// up on as a timeout.
func drive(ctx context.Context, d time.Duration, n int, step func(worker int) (int, error)) result {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var mu sync.Mutex
	var r result
	var wg sync.WaitGroup
	began := time.Now()
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var w result
			for ctx.Err() == nil {
				t := time.Now()
				status, err := step(i)
				switch {
				case err != nil && isTimeout(err):
					w.timeouts++
				case err != nil:
					w.errors++
				case status == http.StatusConflict:
					w.conflicts++
					w.lat = append(w.lat, time.Since(t))
				case status >= 400:
					w.errors++
				default:
					w.lat = append(w.lat, time.Since(t))
				}
			}
			mu.Lock()
			r.lat = append(r.lat, w.lat...)
			r.errors, r.timeouts, r.conflicts = r.errors+w.errors, r.timeouts+w.timeouts, r.conflicts+w.conflicts
			mu.Unlock()
		}()
	}
	wg.Wait()
	slices.Sort(r.lat)
	r.rate = float64(len(r.lat)) / time.Since(began).Seconds()
	return r
}

// isTimeout reports whether a request failed for taking too long.
func isTimeout(err error) bool {
	return errors.Is(err, context.DeadlineExceeded) || strings.Contains(err.Error(), "Client.Timeout")
}

// newClients are n clients sharing one keep-alive transport, each with its
// own cookie jar when jars is given.
func newClients(n int, jars []http.CookieJar) []*http.Client {
	tr := &http.Transport{MaxIdleConns: n, MaxIdleConnsPerHost: n, MaxConnsPerHost: n}
	cs := make([]*http.Client, n)
	for i := range cs {
		cs[i] = &http.Client{Transport: tr, Timeout: Timeout}
		if jars != nil {
			cs[i].Jar = jars[i]
		}
	}
	return cs
}

// benchToken names the tokens the bench makes.
const benchToken = "presale bench"

// withToken returns n clients calling the API with a read-only token of
// the role's first user, as a script would.
func withToken(ctx context.Context, svc *service.Service, role domain.Role, n int) ([]*http.Client, error) {
	users, err := svc.People.UsersWithRole(ctx, role)
	if err != nil || len(users) == 0 {
		return nil, fmt.Errorf("no %s to make a token for: %v", role, err)
	}
	_, secret, err := svc.People.CreateToken(ctx, users[0], domain.TokenInput{Name: benchToken, Scope: string(domain.ScopeRead)})
	if err != nil {
		return nil, err
	}
	cs := newClients(n, nil)
	for _, c := range cs {
		c.Transport = bearer{next: c.Transport, token: secret}
	}
	return cs, nil
}

// bearer sends a token with every request.
type bearer struct {
	next  http.RoundTripper
	token string
}

func (b bearer) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+b.token)
	return b.next.RoundTrip(r)
}

// firstOf is the e-mail of the first active user of a role.
func firstOf(ctx context.Context, svc *service.Service, role domain.Role) (string, error) {
	users, err := svc.People.UsersWithRole(ctx, role)
	if err != nil || len(users) == 0 {
		return "", fmt.Errorf("no %s to sign in as: %v", role, err)
	}
	return users[0].Email, nil
}

var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// signedIn returns n clients sharing one session of email's: one person
// with many tabs (sign-in is rate-limited per address, and a signed-in GET
// writes nothing, so sharing changes nothing measured).
func signedIn(base, email string, n int) ([]*http.Client, error) {
	jar, _ := cookiejar.New(nil)
	jars := make([]http.CookieJar, n)
	for i := range jars {
		jars[i] = jar
	}
	cs := newClients(n, jars)
	if err := signIn(cs[0], base, email); err != nil {
		return nil, err
	}
	return cs, nil
}

// peakRSS is the process's peak resident memory, from /proc (Linux).
func peakRSS() string {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return ""
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return ""
}
