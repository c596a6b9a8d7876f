package components_test

import (
	"strings"
	"testing"
	"time"

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

// A summed figure reads at a glance; its exact amount stays beside it.
func TestCompactMoneyReadsAtAGlance(t *testing.T) {
	for minor, want := range map[int64]string{44375216412: "443.8 M USD", 1230000: "12.3 k USD", 4500000: "45 k USD", 950050: "9,500.50 USD",
		267179250: "2.7 M USD", 123456789000: "1.2 B USD", -1230000: "-12.3 k USD", 0: "0 USD", 99999999: "1 M USD"} {
		if got := components.Compact(minor, "USD"); got != want {
			t.Errorf("Compact(%d) = %q, want %q", minor, got, want)
		}
	}
	if got := components.Decimal(44375216412); got != "443752164.12" {
		t.Errorf("Decimal = %q", got)
	}
	if got := components.Decimal(-5); got != "-0.05" {
		t.Errorf("Decimal(-5) = %q", got)
	}
}

// Exchange rates print without a float's noise; dates and instants of
// the timeline read as people write them, in the reader's zone.
func TestRatesDatesAndInstantsReadAsPeopleWriteThem(t *testing.T) {
	for x, want := range map[float64]string{1.1254799999999998: "1.12548", 0.6547200000000001: "0.65472", 0.0066732: "0.0066732", 1: "1", 0.00001234: "0.00001234"} {
		if got := components.Rate(x); got != want {
			t.Errorf("Rate(%v) = %q, want %q", x, got, want)
		}
	}
	if got := components.DateOf("2026-09-14"); got != "14 Sep 2026" {
		t.Errorf("DateOf = %q", got)
	}
	london, _ := time.LoadLocation("Europe/London")
	for _, c := range []struct{ field, value, want string }{
		{"starts_at", "2026-12-16 15:00 UTC", "Wed 16 Dec 2026, 15:00 (Europe/London)"},
		{"starts_at", "2026-07-16 15:00 UTC", "Thu 16 Jul 2026, 16:00 (Europe/London)"},
		{"expected_close_date", "2027-02-20", "20 Feb 2027"},
		{"kind", "security_review", "Security review"},
		{"title", "Ingest 2026-09 data", "Ingest 2026-09 data"},
	} {
		if got := components.ChangeValue(c.field, c.value, london); got != c.want {
			t.Errorf("ChangeValue(%s, %s) = %q, want %q", c.field, c.value, got, c.want)
		}
	}
}

// An address breaks after its separators, and reads the same whole.
func TestBreakPartsCutAfterSeparators(t *testing.T) {
	parts := components.BreakParts("https://crm.example.com/hooks/presale?x=1")
	if got := strings.Join(parts, "|"); got != "https:/|/|crm.|example.|com/|hooks/|presale?|x=|1" {
		t.Fatalf("%s", got)
	}
	if len(components.BreakParts("")) != 0 || strings.Join(components.BreakParts("plain"), "") != "plain" {
		t.Fatal("a word without separators is one part")
	}
}
