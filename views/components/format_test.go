package components_test

import (
	"testing"

	"github.com/presale/presale/views/components"
)

func TestCountGroupsThousands(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 10000: "10,000", 1234567: "1,234,567", -50000: "-50,000"} {
		if got := components.Count(n); got != want {
			t.Errorf("Count(%d) = %q, want %q", n, got, want)
		}
	}
	if got := components.Plural(10000, "deal", "deals"); got != "10,000 deals" {
		t.Errorf("Plural: %q", got)
	}
}
