package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/testenv"
)

// A deals file whose amounts read two ways writes nothing from the
// command line until --numbers says how it writes them; then its deals
// and the account it names come in.
func TestTheImportCommandAsksHowAFileWritesNumbers(t *testing.T) {
	for _, engine := range testenv.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Setenv("PRESALE_LOG_LEVEL", "error")
			d, url := testenv.OpenURL(t, engine)
			w := testenv.NewWorld(t, d)
			manager := w.User("Mia Manager", domain.RoleManager)
			file := filepath.Join(t.TempDir(), "deals.csv")
			if err := os.WriteFile(file, []byte("Deal Name,Associated Company,Amount,Close Date\r\nFleet,Brandneu GmbH,\"120,000\",15/04/2027\r\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			count := func(table string) (n int64) {
				d.Read.Table(table).Count(&n)
				return n
			}
			if out, err := runCmd(t, "", "import", file, "--kind", "deals", "--as", manager.Email, "--commit", "--db", url); err == nil || !strings.Contains(err.Error(), "read two ways") ||
				!strings.Contains(out, "“120,000” reads as 120000 written as 1,234.56") || count("deals") != 0 {
				t.Fatalf("without --numbers: %v\n%s", err, out)
			}
			if out, err := runCmd(t, "", "import", file, "--kind", "deals", "--as", manager.Email, "--commit", "--numbers", "1,234.56", "--db", url); err != nil ||
				count("deals") != 1 || count("accounts") != 1 {
				t.Fatalf("with --numbers: %v\n%s", err, out)
			}
			var minor int64
			d.Read.Table("deals").Select("amount_minor").Scan(&minor)
			if minor != 12000000 {
				t.Errorf("the amount as saved: %d", minor)
			}
		})
	}
}
