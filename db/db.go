// Package db opens presale's database (SQLite or PostgreSQL), applies its
// versioned migrations and backs it up.
package db

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Dialect names the engine behind a DB.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is a pair of pools: Write takes every change, Read serves queries. On
// SQLite Write is one connection with immediate transactions, so writers
// queue instead of failing with "database is locked"; on PostgreSQL both
// are the same pool.
type DB struct {
	Write   *gorm.DB
	Read    *gorm.DB
	Dialect Dialect
	path    string // SQLite file
	// fullText: SQLite has FTS5, which keeps the search index
	// (go-sqlite3 compiles it in with the sqlite_fts5 tag); without it
	// the index is left out and search matches more slowly.
	fullText bool
}

// sqlitePragmas are set on every connection through the DSN.
const sqlitePragmas = "_journal_mode=WAL&_synchronous=NORMAL&_busy_timeout=5000&_foreign_keys=1"

// slowSQL is when a statement is slow enough to log at the warning level.
const slowSQL = 500 * time.Millisecond

// quietLogger asks GORM's slog logger about a statement only when it will
// log it: an error, a slow statement, or every statement at debug level.
// GORM's logger writes out every statement with its values before it
// decides, which cost 3 % of a page's time under load.
type quietLogger struct {
	logger.Interface
	level logger.LogLevel
}

func (l quietLogger) LogMode(level logger.LogLevel) logger.Interface {
	return quietLogger{Interface: l.Interface.LogMode(level), level: level}
}

func (l quietLogger) Trace(ctx context.Context, begin time.Time, fc func() (string, int64), err error) {
	quiet := err == nil || errors.Is(err, gorm.ErrRecordNotFound)
	if l.level < logger.Info && quiet && time.Since(begin) <= slowSQL {
		return
	}
	l.Interface.Trace(ctx, begin, fc, err)
}

// valuelessDialector explains a statement for a log as it was written,
// with its placeholders and without its values, which may be tokens,
// hashes or what someone searched for. GORM explains every statement it
// logs here; a logger's ParamsFilter is not enough, as Scan records its
// statement with a logger of its own, values written in.
type valuelessDialector struct{ gorm.Dialector }

func (valuelessDialector) Explain(sql string, _ ...any) string { return sql }

// Apply, Translate, SavePoint and RollbackTo are the engine's: GORM asks
// a dialector for them by type.
func (d valuelessDialector) Apply(c *gorm.Config) error {
	if a, ok := d.Dialector.(interface{ Apply(*gorm.Config) error }); ok {
		return a.Apply(c)
	}
	return nil
}

func (d valuelessDialector) Translate(err error) error {
	if t, ok := d.Dialector.(gorm.ErrorTranslator); ok {
		return t.Translate(err)
	}
	return err
}

func (d valuelessDialector) SavePoint(tx *gorm.DB, name string) error {
	return d.Dialector.(gorm.SavePointerDialectorInterface).SavePoint(tx, name)
}

func (d valuelessDialector) RollbackTo(tx *gorm.DB, name string) error {
	return d.Dialector.(gorm.SavePointerDialectorInterface).RollbackTo(tx, name)
}

// Open connects to url: a postgres:// (or postgresql://) URL selects
// PostgreSQL; anything else is an SQLite file path, optionally prefixed with
// sqlite:// or file:.
func Open(ctx context.Context, url string, log *slog.Logger) (*DB, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	// At debug level every statement is logged, never with its values.
	sqlLevel := logger.Warn
	if log.Enabled(ctx, slog.LevelDebug) {
		sqlLevel = logger.Info
	}
	cfg := func() *gorm.Config {
		return &gorm.Config{
			SkipDefaultTransaction: true,
			TranslateError:         true,
			NowFunc:                func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) },
			Logger: quietLogger{Interface: logger.NewSlogLogger(log, logger.Config{
				SlowThreshold:             slowSQL,
				LogLevel:                  sqlLevel,
				IgnoreRecordNotFoundError: true,
				ParameterizedQueries:      true, // values may be tokens or hashes: never log them
			}), level: sqlLevel},
		}
	}
	if strings.HasPrefix(url, "postgres://") || strings.HasPrefix(url, "postgresql://") {
		g, err := gorm.Open(valuelessDialector{postgres.Open(url)}, cfg())
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		sqlDB, err := g.DB()
		if err != nil {
			return nil, err
		}
		sqlDB.SetMaxOpenConns(20)
		sqlDB.SetMaxIdleConns(10)
		sqlDB.SetConnMaxLifetime(30 * time.Minute)
		if err := sqlDB.PingContext(ctx); err != nil {
			return nil, fmt.Errorf("reach postgres: %w", err)
		}
		return &DB{Write: g, Read: g, Dialect: Postgres}, nil
	}

	path := SQLitePath(url)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("create database folder: %w", err)
	}
	w, err := openSQLiteWriter(ctx, "file:"+path+"?"+sqlitePragmas+"&_txlock=immediate", cfg())
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	fullText, err := hasFTS5(w)
	if err != nil {
		return nil, err
	}
	if !fullText {
		slog.Warn("this build's SQLite lacks FTS5: search uses a slower match; build with -tags sqlite_fts5 (make build does) for the search index")
	}
	// The writer has created the file and switched it to WAL; readers open
	// it read-only and never take the write lock.
	// SQLite re-parsed every statement on every query (a third of the deal
	// page's time under load): the readers keep the statements they
	// prepare. pgx caches statements itself.
	rcfg := cfg()
	rcfg.PrepareStmt, rcfg.PrepareStmtMaxSize, rcfg.PrepareStmtTTL = true, 1000, time.Hour
	r, err := gorm.Open(valuelessDialector{sqlite.Open("file:" + path + "?mode=ro&_busy_timeout=5000&_foreign_keys=1")}, rcfg)
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s for reading: %w", path, err)
	}
	rdb, _ := r.DB()
	rdb.SetMaxOpenConns(max(4, 2*runtime.NumCPU()))
	rdb.SetMaxIdleConns(max(4, 2*runtime.NumCPU()))
	return &DB{Write: w, Read: r, Dialect: SQLite, path: path, fullText: fullText}, nil
}

// openSQLiteWriter opens the one writer connection. Switching a new file
// to WAL takes an exclusive lock that SQLite does not wait for, so a second
// process starting at the same moment is told "locked": it tries again.
func openSQLiteWriter(ctx context.Context, dsn string, cfg *gorm.Config) (*gorm.DB, error) {
	for attempt := 0; ; attempt++ {
		w, err := gorm.Open(valuelessDialector{sqlite.Open(dsn)}, cfg)
		if err == nil {
			wdb, _ := w.DB()
			wdb.SetMaxOpenConns(1)
			wdb.SetConnMaxLifetime(0)
			if err = wdb.PingContext(ctx); err == nil {
				return w, nil
			}
			wdb.Close()
		}
		if attempt == 50 || !strings.Contains(err.Error(), "locked") {
			return nil, err
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(time.Duration(10+attempt*10) * time.Millisecond):
		}
	}
}

// SQLitePath strips the optional scheme from an SQLite URL.
func SQLitePath(u string) string {
	u = strings.TrimPrefix(u, "sqlite://")
	u = strings.TrimPrefix(u, "sqlite:")
	u = strings.TrimPrefix(u, "file:")
	if i := strings.IndexByte(u, '?'); i >= 0 {
		u = u[:i]
	}
	return u
}

// Close closes both pools. SQLite first refreshes its planner statistics
// (PRAGMA optimize), as its documentation advises on closing.
func (d *DB) Close() error {
	var errs []error
	if d.Dialect == SQLite {
		errs = append(errs, d.Write.Exec("PRAGMA optimize").Error)
	}
	for _, g := range []*gorm.DB{d.Read, d.Write} {
		if sqlDB, err := g.DB(); err == nil {
			errs = append(errs, sqlDB.Close())
		}
		if d.Dialect == Postgres {
			break
		}
	}
	return errors.Join(errs...)
}

// Ready reports whether the database answers and every migration is applied.
func (d *DB) Ready(ctx context.Context) error {
	sqlDB, err := d.Read.DB()
	if err != nil {
		return err
	}
	if err := sqlDB.PingContext(ctx); err != nil {
		return fmt.Errorf("database unreachable: %w", err)
	}
	applied, err := d.appliedVersions(ctx)
	if err != nil {
		return fmt.Errorf("read migrations: %w", err)
	}
	for _, m := range migrations {
		if !applied[m.Version] {
			return fmt.Errorf("migration %d (%s) not applied", m.Version, m.Name)
		}
	}
	return nil
}

// Backup writes a consistent copy of the database to path. SQLite copies
// itself with VACUUM INTO; PostgreSQL belongs to pg_dump.
func (d *DB) Backup(ctx context.Context, path string) error {
	if d.Dialect != SQLite {
		return errors.New("backup of PostgreSQL: use pg_dump, which knows its own format")
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("%s already exists; choose a new file", path)
	}
	return d.Write.WithContext(ctx).Exec("VACUUM INTO ?", path).Error
}

// RedactURL hides a password in a database URL, for logs.
func RedactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// hasFTS5 reports whether this build's SQLite has FTS5.
func hasFTS5(g *gorm.DB) (bool, error) {
	var on bool
	err := g.Raw("SELECT sqlite_compileoption_used('ENABLE_FTS5')").Scan(&on).Error
	return on, err
}
