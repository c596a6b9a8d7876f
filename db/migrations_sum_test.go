package db_test

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A migration on main never changes: an upgrade applies each version once,
// so an edited one would leave databases that ran it different from new
// ones. db/migrations.sum records each file's SHA-256 when it is added
// (`cd db/migrations && sha256sum NNNN_*.sql >> ../migrations.sum`); a
// file that differs from its line, or has none, fails here.
func TestMigrationsNeverChange(t *testing.T) {
	f, err := os.Open("migrations.sum")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recorded := map[string]string{}
	s := bufio.NewScanner(f)
	for s.Scan() {
		sum, name, ok := strings.Cut(s.Text(), "  ")
		if !ok {
			t.Fatalf("migrations.sum: a line %q is not 'sha256  file'", s.Text())
		}
		recorded[name] = sum
	}
	files, err := filepath.Glob("migrations/*.sql")
	if err != nil || len(files) == 0 {
		t.Fatalf("no migrations: %v", err)
	}
	for _, path := range files {
		body, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(body)
		name := filepath.Base(path)
		switch want, ok := recorded[name]; {
		case !ok:
			t.Errorf("%s has no line in db/migrations.sum: add it when the migration is new (cd db/migrations && sha256sum %s >> ../migrations.sum)", name, name)
		case want != hex.EncodeToString(sum[:]):
			t.Errorf("%s changed after it was recorded: a migration on main never changes; put the change in a new one", name)
		}
		delete(recorded, name)
	}
	for name := range recorded {
		t.Errorf("db/migrations.sum names %s, which is gone: a migration on main is never removed", name)
	}
}
