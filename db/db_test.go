package db_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"

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
			if n != 1 {
				t.Fatalf("%d migration rows", n)
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
