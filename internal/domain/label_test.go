package domain

import (
	"testing"
	"time"
)

// Sentences read as people write them: articles by sound, lower case
// mid-sentence, acronyms kept.
func TestKindsReadInSentences(t *testing.T) {
	for k, want := range map[SupportKind]string{
		SupportDemo: "a demo", SupportPOC: "a POC", SupportArchitecture: "an architecture review",
		SupportDeepDive: "a deep dive", SupportSecurityReview: "a security review", SupportNegotiation: "a negotiation",
	} {
		if got := k.Phrase(); got != want {
			t.Errorf("%s: %q, want %q", k, got, want)
		}
	}
	if got := InSentence("DevRel"); got != "DevRel" {
		t.Errorf("InSentence(DevRel) = %q", got)
	}
}

// A new meeting lands in working hours in the person's zone: the next full
// hour on a weekday between 9:00 and 17:00.
func TestNextWorkingHour(t *testing.T) {
	london, _ := time.LoadLocation("Europe/London")
	kolkata, _ := time.LoadLocation("Asia/Kolkata")
	cases := []struct {
		now  string
		loc  *time.Location
		want string
	}{
		{"2026-11-26 10:20", london, "2026-11-26 11:00"}, // Thursday morning
		{"2026-11-26 11:00", london, "2026-11-26 11:00"},
		{"2026-11-26 16:40", london, "2026-11-27 09:00"}, // after the last start
		{"2026-11-27 18:00", london, "2026-11-30 09:00"}, // Friday evening → Monday
		{"2026-11-28 12:00", london, "2026-11-30 09:00"}, // Saturday
		{"2026-11-26 07:10", kolkata, "2026-11-26 09:00"},
	}
	for _, c := range cases {
		now, _ := time.ParseInLocation("2006-01-02 15:04", c.now, c.loc)
		if got := NextWorkingHour(now, c.loc).Format("2006-01-02 15:04"); got != c.want {
			t.Errorf("after %s: %s, want %s", c.now, got, c.want)
		}
	}
	sat, _ := time.ParseInLocation("2006-01-02 15:04", "2026-11-28 12:00", london)
	if got := PrevWorkingHour(sat, london).Format("Mon 15:04"); got != "Fri 16:00" {
		t.Errorf("before Saturday noon: %s, want Fri 16:00", got)
	}
}
