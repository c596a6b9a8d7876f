package bench_test

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/presale/presale/internal/bench"
)

// The team day and the cold rows run end to end on a small team's
// SQLite file: everyone signs in on their own session, every cold row is
// answered without an error, and every change the server acknowledged is
// found afterwards (Run fails otherwise).
func TestATeamDayAndTheColdRows(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds an organisation and signs everyone in")
	}
	var out bytes.Buffer
	err := bench.Run(context.Background(), &out, bench.Options{Sizes: []int{300}, Concurrency: 4, Duration: 300 * time.Millisecond, Team: true,
		Only: regexp.MustCompile(`cold|team day`)})
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	text := out.String()
	for _, want := range []string{"68 people signed in", "deal page, cold", "meeting page, cold", "search, cold", "evidence, cold", "team day", "team writes found"} {
		if !strings.Contains(text, want) {
			t.Errorf("the run says nothing of %q:\n%s", want, text)
		}
	}
	for _, line := range strings.Split(text, "\n") {
		if f := strings.Fields(line); strings.Contains(line, "cold") && len(f) > 8 && (f[len(f)-4] != "0" || f[len(f)-3] != "0") {
			t.Errorf("a cold row had errors or timeouts: %s", line)
		}
	}
}
