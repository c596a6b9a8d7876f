package db_test

import (
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/presale/presale/db"
	"github.com/presale/presale/internal/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

func TestSQLitePathForms(t *testing.T) {
	for in, want := range map[string]string{
		"data/presale.db":                 "data/presale.db",
		"sqlite://data/presale.db":        "data/presale.db",
		"file:/var/lib/presale.db?mode=x": "/var/lib/presale.db",
	} {
		if got := db.SQLitePath(in); got != want {
			t.Errorf("SQLitePath(%q) = %q", in, got)
		}
	}
	if got := db.RedactURL("postgres://app:s3cret@db:5432/presale"); got != "postgres://app:xxxxx@db:5432/presale" {
		t.Errorf("RedactURL = %q", got)
	}
}

// Several instances starting at once against one database must apply each
// migration exactly once.
func TestConcurrentStartsMigrateOnce(t *testing.T) {
	for _, engine := range testenv.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			url := testenv.URL(t, engine)
			if engine == db.SQLite {
				// Create the file first, as the first instance would.
				d, err := db.Open(context.Background(), url, nil)
				if err != nil {
					t.Fatal(err)
				}
				d.Close()
			}
			var wg sync.WaitGroup
			errs := make(chan error, 4)
			for range 4 {
				wg.Go(func() {
					d, err := db.Open(context.Background(), url, nil)
					if err != nil {
						errs <- err
						return
					}
					defer d.Close()
					errs <- d.Migrate(context.Background())
				})
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				if err != nil {
					t.Fatal(err)
				}
			}
			d, err := db.Open(context.Background(), url, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			var n int64
			d.Read.Table("schema_migrations").Count(&n)
			if n != int64(db.LatestVersion()) {
				t.Fatalf("%d migration rows for %d migrations", n, db.LatestVersion())
			}
			if err := d.Ready(context.Background()); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestBackupIsAWorkingCopy(t *testing.T) {
	d := testenv.Open(t, db.SQLite)
	ctx := context.Background()
	if err := d.Write.Exec("INSERT INTO accounts (name, created_at, updated_at) VALUES ('Northwind', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)").Error; err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "backup.db")
	if err := d.Backup(ctx, path); err != nil {
		t.Fatal(err)
	}
	if err := d.Backup(ctx, path); err == nil {
		t.Fatal("a backup overwrote an existing file")
	}
	copy, err := db.Open(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer copy.Close()
	var name string
	if err := copy.Read.Raw("SELECT name FROM accounts").Scan(&name).Error; err != nil || name != "Northwind" {
		t.Fatalf("backup holds %q, %v", name, err)
	}
	if err := copy.Ready(ctx); err != nil {
		t.Fatalf("backup not ready: %v", err)
	}
}

// An upgrade keeps every row: data written under migration 1 is all there
// after the rest, and the last-activity column is filled from the events.
func TestUpgradeKeepsEveryRow(t *testing.T) {
	for _, engine := range testenv.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			ctx := context.Background()
			url := testenv.URL(t, engine)
			d, err := db.Open(ctx, url, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			if engine == db.Postgres {
				// The test template is fully migrated; start from nothing.
				for _, stmt := range []string{"DROP SCHEMA public CASCADE", "CREATE SCHEMA public"} {
					if err := d.Write.Exec(stmt).Error; err != nil {
						t.Fatal(err)
					}
				}
			}
			if err := d.MigrateTo(ctx, 1); err != nil {
				t.Fatal(err)
			}
			for _, stmt := range []string{
				"INSERT INTO users (id, name, email, role, calendar_token, created_at, updated_at) VALUES (1, 'Sam', 'sam@example.com', 'sales', 't', '2026-01-01 09:00:00', '2026-01-01 09:00:00')",
				"INSERT INTO accounts (id, name, created_at, updated_at) VALUES (1, 'Northwind', '2026-01-01 09:00:00', '2026-01-01 09:00:00')",
				"INSERT INTO deals (id, account_id, title, owner_id, stage, currency, technical_status, created_at, updated_at) VALUES (1, 1, 'Fleet', 1, 'discovery', 'USD', 'not_started', '2026-01-01 09:00:00', '2026-01-02 09:00:00')",
				"INSERT INTO deals (id, account_id, title, owner_id, stage, currency, technical_status, created_at, updated_at) VALUES (2, 1, 'Depot', 1, 'proposal', 'EUR', 'not_started', '2026-01-01 09:00:00', '2026-01-03 09:00:00')",
				"INSERT INTO events (actor_id, action, entity, entity_id, deal_id, at) VALUES (1, 'updated', 'deal', 1, 1, '2026-02-01 10:00:00')",
			} {
				if err := d.Write.Exec(stmt).Error; err != nil {
					t.Fatal(err)
				}
			}
			if err := d.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			type row struct {
				ID             int64
				Title          string
				LastActivityAt time.Time
			}
			var rows []row
			if err := d.Read.Table("deals").Order("id").Find(&rows).Error; err != nil {
				t.Fatal(err)
			}
			if len(rows) != 2 || rows[0].Title != "Fleet" || rows[1].Title != "Depot" {
				t.Fatalf("deals after upgrade: %+v", rows)
			}
			if got := rows[0].LastActivityAt.UTC().Format("2006-01-02 15:04"); got != "2026-02-01 10:00" {
				t.Errorf("deal 1 last activity %s, want its latest event", got)
			}
			if got := rows[1].LastActivityAt.UTC().Format("2006-01-02 15:04"); got != "2026-01-03 09:00" {
				t.Errorf("deal 2 last activity %s, want its last update", got)
			}
		})
	}
}

// At the usual level the log stays quiet for statements that succeed
// quickly and reports one that fails, without its values.
func TestTheSQLLogSaysOnlyWhatMatters(t *testing.T) {
	var logs testenv.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	d, err := db.Open(context.Background(), filepath.Join(t.TempDir(), "log.db"), log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	var n int
	if err := d.Read.Raw("SELECT ?", 41).Scan(&n).Error; err != nil || n != 41 {
		t.Fatal(n, err)
	}
	if logs.String() != "" {
		t.Fatalf("a quick statement was logged: %s", logs.String())
	}
	if err := d.Write.Exec("INSERT INTO nowhere VALUES (?)", "secret-value-42").Error; err == nil {
		t.Fatal("an insert into no table succeeded")
	}
	if out := logs.String(); !strings.Contains(out, "nowhere") || strings.Contains(out, "secret-value-42") {
		t.Fatalf("the failed statement's log: %s", out)
	}
}

// At debug level every statement is logged, and none with its values:
// not those GORM runs through its callbacks, nor those Scan records past
// them (Scan wrote its values in before the dialector left them out).
func TestDebugLogsStatementsWithoutTheirValues(t *testing.T) {
	var logs testenv.Buffer
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	d, err := db.Open(context.Background(), filepath.Join(t.TempDir(), "log.db"), log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	if err := d.Write.Exec("CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT)").Error; err != nil {
		t.Fatal(err)
	}
	var rows []struct{ ID int64 }
	if err := d.Read.Table("users").Where("email = ?", "scanned-secret@example.com").Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	var n int64
	if err := d.Read.Table("users").Where("email = ?", "counted-secret@example.com").Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	var one struct{ N int }
	if err := d.Read.Raw("SELECT ? AS n", 4242424).Scan(&one).Error; err != nil || one.N != 4242424 {
		t.Fatal(one, err)
	}
	out := logs.String()
	if strings.Count(out, "FROM `users` WHERE email = ?") != 2 || !strings.Contains(out, "SELECT ? AS n") {
		t.Fatalf("the statements are not in the debug log as written: %s", out)
	}
	for _, v := range []string{"scanned-secret", "counted-secret", "4242424"} {
		if strings.Contains(out, v) {
			t.Errorf("the debug log holds the value %q: %s", v, out)
		}
	}
}
