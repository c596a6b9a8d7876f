package db_test

import (
	"context"
	"strings"
	"testing"

	"github.com/presale/presale/db"
	"github.com/presale/presale/internal/testenv"
)

// Derived state is kept in Go, in the transaction of the change
// (store.KeepDerived), with one rebuild to check it against: the database
// keeps with triggers only what it must keep in step itself, the search
// indexes and the directory's revision (which every path that names a
// person, an account or a contact moves, the command line's among them).
func TestTriggersOnlyKeepIndexes(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		q := "SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
		if d.Dialect == db.Postgres {
			q = "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal ORDER BY tgname"
		}
		var names []string
		if err := d.Write.WithContext(context.Background()).Raw(q).Scan(&names).Error; err != nil {
			t.Fatal(err)
		}
		var others []string
		for _, n := range names {
			if !strings.Contains(n, "_fts_") && !strings.Contains(n, "search") {
				others = append(others, n)
			}
		}
		t.Logf("%d triggers, %d outside search: %s", len(names), len(others), strings.Join(others, " "))
		if len(others) > 10 {
			t.Errorf("%d triggers outside search, want at most 10", len(others))
		}
	})
}
