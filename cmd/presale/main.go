// Command presale runs the pre-sale engagement tracker: the web server and
// its administrative commands.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"regexp"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
	_ "time/tzdata" // every person's zone works on a host without a zone database

	"github.com/presale/presale/db"
	"github.com/presale/presale/db/seed"
	"github.com/presale/presale/internal/bench"
	"github.com/presale/presale/internal/companysignin"
	"github.com/presale/presale/internal/csvfile"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/jobs"
	"github.com/presale/presale/internal/mail"
	"github.com/presale/presale/internal/read"
	"github.com/presale/presale/internal/service"
	"github.com/presale/presale/internal/store"
	"github.com/presale/presale/web"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = ""

const usage = `presale — DevRel in the room, in sync before every meeting.

Usage:
  presale serve [--addr :8080] [--db URL] [--demo]   start the web server
  presale migrate [--db URL]                          apply database migrations
  presale rebuild [--db URL]                          work every derived figure out again from the rows, and check it
  presale user add --email E --name N --role R [--admin] [--capacity N] [--db URL]
                                                      add a user; the password is read from stdin
  presale seed --demo | --synthetic --deals N [--team] [--db URL]
                                                      fill an empty database
  presale import FILE --kind accounts|contacts|deals --as EMAIL [--commit] [--skip-failing] [--numbers STYLE] [--dates ymd|dmy|mdy] [--db URL]
                                                      import a CSV export (HubSpot, Salesforce, a spreadsheet); previews unless --commit
  presale backup PATH [--db URL]                      copy the SQLite database to PATH
  presale bench [--deals 5000,50000] [--concurrency 32] [--duration 5s] [--team] [--db postgres://...] [--instances 2] [--keep DIR]
                                                      load each page with concurrent clients on synthetic data
  presale version                                     print the version

Environment: PRESALE_ADDR, PRESALE_DATABASE_URL, PRESALE_BASE_URL,
PRESALE_LOG_FORMAT (text|json), PRESALE_LOG_LEVEL (debug|info|warn|error),
PRESALE_TRUST_PROXY (true to read client addresses from X-Forwarded-For),
PRESALE_METRICS_TOKEN (if set, /metrics wants it as a bearer token),
PRESALE_WEBHOOK_PRIVATE_TARGETS (allow: webhooks may go to private, loopback
and link-local addresses),
PRESALE_JOB_TIMEOUT (one webhook or e-mail attempt, default 30s; a job of a
process that died is taken up again after twice this, within 30 s more),
PRESALE_OIDC_ISSUER, PRESALE_OIDC_CLIENT_ID, PRESALE_OIDC_CLIENT_SECRET
(company sign-in through OpenID Connect; the callback is PRESALE_BASE_URL
followed by /login/company/callback), PRESALE_OIDC_NAME (the provider's name
on the sign-in button).
`

func main() { runProcess(os.Args[1:]) }

// companySignIn is the identity provider of PRESALE_OIDC_*, or nil when
// none is set: people then sign in with passwords only.
func companySignIn(baseURL string) (*companysignin.Client, error) {
	cfg := companysignin.Config{Issuer: env("PRESALE_OIDC_ISSUER", ""), ClientID: env("PRESALE_OIDC_CLIENT_ID", ""),
		ClientSecret: env("PRESALE_OIDC_CLIENT_SECRET", ""), Name: env("PRESALE_OIDC_NAME", "")}
	if cfg.Issuer == "" && cfg.ClientID == "" && cfg.ClientSecret == "" {
		return nil, nil
	}
	if cfg.Issuer == "" || cfg.ClientID == "" || cfg.ClientSecret == "" {
		return nil, errors.New("company sign-in needs all of PRESALE_OIDC_ISSUER, PRESALE_OIDC_CLIENT_ID and PRESALE_OIDC_CLIENT_SECRET")
	}
	if !strings.HasPrefix(baseURL, "https://") && !strings.HasPrefix(baseURL, "http://") {
		return nil, errors.New("company sign-in needs PRESALE_BASE_URL (such as https://presale.example.com): the identity provider sends people back to it")
	}
	cfg.RedirectURL = strings.TrimSuffix(baseURL, "/") + web.CompanyCallbackPath
	return companysignin.New(cfg), nil
}

// runProcess is presale as a process: run until done or signalled
// (SIGTERM, Ctrl-C), exit 1 on an error.
func runProcess(args []string) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, args, os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "presale:", err)
		stop()
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errors.New("no command given")
	}
	log := newLogger(stderr)
	switch cmd, rest := args[0], args[1:]; cmd {
	case "serve":
		return serve(ctx, rest, stdout, log)
	case "migrate":
		return withDB(ctx, "migrate", rest, log, func(*db.DB) error {
			fmt.Fprintln(stdout, "migrations applied")
			return nil
		})
	case "rebuild":
		return withDB(ctx, "rebuild", rest, log, func(d *db.DB) error {
			st := store.New(d.Write, d.Read)
			if err := st.Derived().Rebuild(ctx); err != nil {
				return err
			}
			drift, err := st.Derived().Drift(ctx)
			if err != nil {
				return err
			}
			if len(drift) > 0 {
				return fmt.Errorf("after the rebuild, %d figures still differ from the rows: %s", len(drift), drift[0])
			}
			fmt.Fprintln(stdout, "derived state rebuilt from the rows: rollups, sync states, DevRel loads, copies and revisions")
			return nil
		})
	case "user":
		if len(rest) == 0 || rest[0] != "add" {
			return errors.New("usage: presale user add --email E --name N --role R [--admin]")
		}
		return addUser(ctx, rest[1:], stdin, stdout, log)
	case "seed":
		return seedCmd(ctx, rest, stdout, log)
	case "import":
		return importCmd(ctx, rest, stdout, log)
	case "backup":
		return backup(ctx, rest, stdout, log)
	case "bench":
		fs := newFlags("bench")
		sizes := fs.String("deals", "5000,50000", "dataset sizes, comma-separated")
		concurrency := fs.Int("concurrency", 32, "signed-in clients loading each page at once")
		duration := fs.Duration("duration", 5*time.Second, "how long each page is loaded")
		team := fs.Bool("team", false, "a whole team's organisation around the deals (see presale seed --team)")
		pg := fs.String("db", "", "a postgres:// URL to run on PostgreSQL (a database per size is created there, and dropped) instead of a temporary SQLite file")
		only := fs.String("pages", "", "a regular expression: load only the pages whose names match")
		cpu := fs.String("cpuprofile", "", "write a CPU profile of the run to this file (go tool pprof)")
		instances := fs.Int("instances", 1, "app servers sharing the database, each with its own connections (as separate processes would)")
		keep := fs.String("keep", "", "a directory that keeps each dataset (SQLite: team-N.db there; PostgreSQL: the database presale_bench_team_N) for the next run, which then skips seeding; the mixed load's writes stay in it")
		if err := fs.Parse(rest); err != nil {
			return err
		}
		var ns []int
		for _, f := range strings.Split(*sizes, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil || n < 1 {
				return fmt.Errorf("--deals: %q is not a count", f)
			}
			ns = append(ns, n)
		}
		opts := bench.Options{Sizes: ns, Concurrency: *concurrency, Duration: *duration, Team: *team, Postgres: *pg, Keep: *keep, Instances: *instances}
		if *only != "" {
			re, err := regexp.Compile(*only)
			if err != nil {
				return fmt.Errorf("--pages: %w", err)
			}
			opts.Only = re
		}
		if *cpu != "" {
			f, err := os.Create(*cpu)
			if err != nil {
				return err
			}
			defer f.Close()
			if err := pprof.StartCPUProfile(f); err != nil {
				return err
			}
			defer pprof.StopCPUProfile()
		}
		return bench.Run(ctx, stdout, opts)
	case "version":
		fmt.Fprintln(stdout, "presale", buildVersion())
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("unknown command %q", cmd)
	}
}

func serve(ctx context.Context, args []string, stdout io.Writer, log *slog.Logger) error {
	fs := newFlags("serve")
	addr := fs.String("addr", env("PRESALE_ADDR", ":8080"), "address to listen on")
	dbURL := dbFlag(fs)
	demo := fs.Bool("demo", false, "fill an empty database with the demo organisation")
	baseURL := fs.String("base-url", env("PRESALE_BASE_URL", ""), "public URL, for links and secure cookies")
	if err := fs.Parse(args); err != nil {
		return err
	}
	d, err := openDB(ctx, *dbURL, log)
	if err != nil {
		return err
	}
	defer d.Close()
	st := store.New(d.Write, d.Read)
	if *demo {
		if err := seedDemo(ctx, d, stdout); err != nil && !errors.Is(err, seed.ErrNotEmpty) {
			return err
		} else if err != nil {
			fmt.Fprintln(stdout, "The database already holds data; demo data was not added.")
		}
	}
	networks, err := web.ParseNetworks(env("PRESALE_METRICS_NETWORKS", ""))
	if err != nil {
		return err
	}
	if len(networks) == 0 {
		networks = nil // loopback only
	}
	// Webhook deliveries are queued with the changes they report and sent
	// from the same database, whichever instance is up.
	privateTargets := env("PRESALE_WEBHOOK_PRIVATE_TARGETS", "") == "allow"
	jcfg := jobs.Config{Log: log, UserAgent: "presale/" + buildVersion(), AllowPrivateTargets: privateTargets}
	if v := env("PRESALE_JOB_TIMEOUT", ""); v != "" {
		if jcfg.JobTimeout, err = time.ParseDuration(v); err != nil || jcfg.JobTimeout < time.Second {
			return fmt.Errorf("PRESALE_JOB_TIMEOUT: want a duration of a second or more, such as 30s")
		}
	}
	if smtpURL := env("PRESALE_SMTP_URL", ""); smtpURL != "" {
		m, err := mail.New(smtpURL, env("PRESALE_MAIL_FROM", ""), *baseURL)
		if err != nil {
			return err
		}
		jcfg.Mail = m
	}
	queue, err := jobs.For(ctx, d, jcfg)
	if err != nil {
		return err
	}
	company, err := companySignIn(*baseURL)
	if err != nil {
		return err
	}
	opts := []service.Option{service.WithLogger(log), service.WithOutbox(queue), service.WithBaseURL(*baseURL),
		service.WithPrivateWebhookTargets(privateTargets)}
	if company != nil {
		opts = append(opts, service.WithCompanySignIn())
		go func() { // the sign-in page names the provider's sign-in address once known
			dctx, cancel := context.WithTimeout(ctx, 30*time.Second)
			defer cancel()
			if err := company.Discover(dctx); err != nil {
				log.Warn("company sign-in: the identity provider did not answer; it is asked again at the first sign-in", "err", err)
			}
		}()
		log.Info("company sign-in", "issuer", env("PRESALE_OIDC_ISSUER", ""), "callback", strings.TrimSuffix(*baseURL, "/")+web.CompanyCallbackPath)
	}
	svc := service.New(st, opts...)
	if err := queue.Work(ctx, svc.Deliveries); err != nil {
		return err
	}
	srv := web.New(web.Config{BaseURL: *baseURL, Version: buildVersion(), TrustProxy: env("PRESALE_TRUST_PROXY", "") == "true",
		MetricsToken: env("PRESALE_METRICS_TOKEN", ""), MetricsNetworks: networks, Collectors: poolCollectors(d), CompanySignIn: company},
		svc, st.Sessions(), d.Ready, log)
	hs := &http.Server{
		Addr:              *addr,
		Handler:           srv,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	go sweepSessions(ctx, st.Sessions(), log)

	errc := make(chan error, 1)
	go func() { errc <- hs.ListenAndServe() }()
	log.Info("presale listening", "addr", *addr, "db", db.RedactURL(*dbURL), "version", buildVersion())
	fmt.Fprintf(stdout, "presale is serving on %s\n", displayURL(*addr, *baseURL))
	select {
	case err := <-errc: // the address is taken, say: the queue stops too
		stopCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		return errors.Join(err, queue.Stop(stopCtx))
	case <-ctx.Done():
	}
	// In-flight requests finish and new ones are refused; at the same
	// time the queue takes no new job and lets those being sent finish
	// (the rest wait in the database for the next start).
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	stopped := make(chan error, 1)
	go func() { stopped <- queue.Stop(shutdownCtx) }()
	if err := hs.Shutdown(shutdownCtx); err != nil {
		return errors.Join(fmt.Errorf("shutdown: %w", err), <-stopped)
	}
	return <-stopped
}

// poolCollectors report the database connection pools to Prometheus.
func poolCollectors(d *db.DB) []prometheus.Collector {
	var cs []prometheus.Collector
	if w, err := d.Write.DB(); err == nil {
		cs = append(cs, collectors.NewDBStatsCollector(w, "write"))
	}
	if r, err := d.Read.DB(); err == nil && d.Dialect == db.SQLite {
		cs = append(cs, collectors.NewDBStatsCollector(r, "read"))
	}
	return cs
}

// sweepSessions deletes expired sessions every half hour.
func sweepSessions(ctx context.Context, s *store.Sessions, log *slog.Logger) {
	t := time.NewTicker(30 * time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if n, err := s.DeleteExpired(ctx); err != nil {
				log.Warn("sweeping sessions", "err", err)
			} else if n > 0 {
				log.Info("swept expired sessions", "count", n)
			}
		}
	}
}

func addUser(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer, log *slog.Logger) error {
	fs := newFlags("user add")
	email := fs.String("email", "", "e-mail address (unique)")
	name := fs.String("name", "", "full name")
	role := fs.String("role", "", "sales, devrel or manager")
	admin := fs.Bool("admin", false, "may manage users and settings")
	capacity := fs.Int("capacity", 0, "DevRel: most active deals (default 5)")
	dbURL := dbFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("read password from stdin: %w", err)
	}
	d, err := openDB(ctx, *dbURL, log)
	if err != nil {
		return err
	}
	defer d.Close()
	svc := service.New(store.New(d.Write, d.Read))
	u, err := svc.People.CreateUser(ctx, nil, service.NewUser{Name: *name, Email: *email, Role: domain.Role(*role), Admin: *admin,
		Password: strings.TrimRight(line, "\r\n"), Capacity: *capacity})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "added %s <%s> as %s (id %d)\n", u.Name, u.Email, u.Role, u.ID)
	return nil
}

func seedCmd(ctx context.Context, args []string, stdout io.Writer, log *slog.Logger) error {
	fs := newFlags("seed")
	demo := fs.Bool("demo", false, "the demo organisation")
	synthetic := fs.Bool("synthetic", false, "a large synthetic dataset for benchmarks")
	deals := fs.Int("deals", 5000, "with --synthetic: how many deals")
	team := fs.Bool("team", false, "with --synthetic: a whole team's history (5 meetings, 3 offers, 1 promise, 20 events a deal; 50 salespeople)")
	dbURL := dbFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *demo == *synthetic {
		return errors.New("choose one of --demo or --synthetic")
	}
	d, err := openDB(ctx, *dbURL, log)
	if err != nil {
		return err
	}
	defer d.Close()
	if *demo {
		return seedDemo(ctx, d, stdout)
	}
	start := time.Now()
	shape := seed.Small
	if *team {
		shape = seed.Team
	}
	if err := seed.SyntheticShaped(ctx, d.Write, service.HashPassword, *deals, shape, time.Now()); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "seeded %d synthetic deals in %s\n", *deals, time.Since(start).Round(time.Millisecond))
	return nil
}

func seedDemo(ctx context.Context, d *db.DB, stdout io.Writer) error {
	logins, err := seed.Demo(ctx, d.Write, service.HashPassword, time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, "Demo organisation added. Sign in with any of these; the password is", seed.DemoPassword)
	for _, l := range logins {
		fmt.Fprintf(stdout, "  %-20s %-8s %s\n", l.Email, l.Role, l.Name)
	}
	return nil
}

func backup(ctx context.Context, args []string, stdout io.Writer, log *slog.Logger) error {
	fs := newFlags("backup")
	dbURL := dbFlag(fs)
	if err := fs.Parse(flagsFirst(args)); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("usage: presale backup PATH")
	}
	d, err := openDB(ctx, *dbURL, log)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Backup(ctx, fs.Arg(0)); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "backed up to", fs.Arg(0))
	return nil
}

// importCmd previews a CSV import, or with --commit writes it: every new
// row or none (with --skip-failing, every row that can be imported).
func importCmd(ctx context.Context, args []string, stdout io.Writer, log *slog.Logger) error {
	fs := newFlags("import")
	kind := fs.String("kind", "", "accounts, contacts or deals")
	as := fs.String("as", "", "the e-mail of the manager or administrator importing")
	commit := fs.Bool("commit", false, "write the new rows (without it, only the preview)")
	skip := fs.Bool("skip-failing", false, "with --commit: leave failing rows out instead of importing nothing")
	numbers := fs.String("numbers", "", `deals: how the file writes numbers, "1,234.56", "1.234,56" or "1 234,56" (default: as the file says)`)
	dates := fs.String("dates", "", "deals: how the file writes dates, ymd, dmy or mdy (default: as the file says)")
	dbURL := dbFlag(fs)
	if err := fs.Parse(flagsFirst(args)); err != nil {
		return err
	}
	if fs.NArg() != 1 || !domain.ImportKind(*kind).Valid() || *as == "" ||
		(*numbers != "" && !domain.NumberStyle(*numbers).Valid()) || (*dates != "" && !domain.DateStyle(*dates).Valid()) {
		return fmt.Errorf("usage: presale import FILE --kind accounts|contacts|deals --as EMAIL [--commit] [--skip-failing] [--numbers 1,234.56|1.234,56|'1 234,56'] [--dates ymd|dmy|mdy]")
	}
	file, err := os.Open(fs.Arg(0))
	if err != nil {
		return err
	}
	defer file.Close()
	f, err := csvfile.Read(file)
	if err != nil {
		return err
	}
	d, err := openDB(ctx, *dbURL, log)
	if err != nil {
		return err
	}
	defer d.Close()
	st := store.New(d.Write, d.Read)
	actor, err := st.People().UserByEmail(ctx, *as)
	if err != nil {
		return fmt.Errorf("--as %s: no such person", *as)
	}
	// The webhooks of what is imported are queued with it; a serving
	// instance sends them.
	queue, err := jobs.For(ctx, d, jobs.Config{Log: log})
	if err != nil {
		return err
	}
	plan, unknown := service.PlanImport(domain.ImportKind(*kind), f)
	plan.Numbers, plan.Dates = domain.NumberStyle(*numbers), domain.DateStyle(*dates)
	start := time.Now()
	r, err := service.New(st, service.WithLogger(log), service.WithOutbox(queue), service.WithBaseURL(env("PRESALE_BASE_URL", ""))).Imports.
		Import(ctx, actor, f, plan, *commit, *skip)
	for _, l := range r.Lines {
		if l.Outcome != read.ImportNew {
			fmt.Fprintf(stdout, "line %d: %s: %s\n", l.Line, l.Outcome, strings.Join(l.Reasons(), " "))
		}
	}
	if len(unknown) > 0 {
		fmt.Fprintf(stdout, "columns not imported: %s\n", strings.Join(unknown, ", "))
	}
	fmt.Fprintf(stdout, "%s (%s, %d rows): %d new, %d in presale already, %d failing", fs.Arg(0), f.Encoding, len(f.Rows), r.New, r.Existing, r.Failing)
	switch {
	case err != nil:
		fmt.Fprintln(stdout)
		return err
	case r.Written:
		fmt.Fprintf(stdout, "; %d written in %s\n", r.New, time.Since(start).Round(time.Millisecond))
	case *commit:
		fmt.Fprintln(stdout, "; nothing new to write")
	default:
		fmt.Fprintln(stdout, "; nothing written (add --commit to write)")
	}
	return nil
}

// openDB opens the database and applies pending migrations: presale never
// runs on a schema older than its code.
func openDB(ctx context.Context, url string, log *slog.Logger) (*db.DB, error) {
	d, err := db.Open(ctx, url, log)
	if err != nil {
		return nil, err
	}
	if err := d.Migrate(ctx); err != nil {
		d.Close()
		return nil, err
	}
	// A database from before derived state was kept in Go (migration 41)
	// has its figures worked out once, under the migrations' lock.
	err = d.WhileLocked(ctx, func() error {
		rebuilt, err := store.New(d.Write, d.Read).Derived().RebuildIfNeeded(ctx)
		if rebuilt {
			log.Info("derived state rebuilt from the rows")
		}
		return err
	})
	if err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}

// withDB runs a command that takes only --db: the database opened and
// migrated, then fn.
func withDB(ctx context.Context, name string, args []string, log *slog.Logger, fn func(*db.DB) error) error {
	fs := newFlags(name)
	dbURL := dbFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	d, err := openDB(ctx, *dbURL, log)
	if err != nil {
		return err
	}
	defer d.Close()
	return fn(d)
}

func newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet("presale "+name, flag.ContinueOnError)
	return fs
}

// flagsFirst lets a command's file come before its flags, as the usage
// writes it (the flag package stops at the first argument that is not one).
func flagsFirst(args []string) []string {
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		return append(slices.Clone(args[1:]), args[0])
	}
	return args
}

func dbFlag(fs *flag.FlagSet) *string {
	return fs.String("db", env("PRESALE_DATABASE_URL", "data/presale.db"), "SQLite path or postgres:// URL")
}

func env(key, fallback string) string {
	if v, ok := os.LookupEnv(key); ok && v != "" {
		return v
	}
	return fallback
}

func newLogger(w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(env("PRESALE_LOG_LEVEL", "info")))
	opts := &slog.HandlerOptions{Level: level}
	if env("PRESALE_LOG_FORMAT", "text") == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

func displayURL(addr, base string) string {
	if base != "" {
		return base
	}
	if strings.HasPrefix(addr, ":") {
		return "http://localhost" + addr
	}
	return "http://" + addr
}

func buildVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 7 {
				return "dev-" + s.Value[:7]
			}
		}
	}
	return "dev"
}
