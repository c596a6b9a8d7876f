package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/presale/presale/db"
	"github.com/presale/presale/internal/store"
	"github.com/presale/presale/internal/testenv"
)

// A query cut off by a PostgreSQL shutdown (SQLSTATE 57P01, as a restart
// sends every backend) is the database away for a moment, so the request
// answers 503 with Retry-After; a query that merely fails is not.
func TestAQueryCutOffByARestartIsUnavailable(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if err := d.Read.Exec("SELECT no_such_column FROM users").Error; err == nil || store.Unavailable(err) {
			t.Errorf("a bad query counts as the database away: %v", err)
		}
		if d.Dialect != db.Postgres {
			return // SQLite is in the process: it cannot restart under it
		}
		cut := make(chan error, 1)
		go func() { cut <- d.Write.WithContext(ctx).Exec("SELECT pg_sleep(10)").Error }()
		deadline := time.Now().Add(5 * time.Second)
		for time.Now().Before(deadline) {
			var n int64
			if err := d.Read.Raw(`SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity
				WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE 'SELECT pg_sleep%'`).Scan(&n).Error; err != nil {
				t.Fatal(err)
			}
			if n > 0 {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		err := <-cut
		if err == nil || !store.Unavailable(err) {
			t.Fatalf("the query cut off by the shutdown: %v, want unavailable", err)
		}
	})
}
