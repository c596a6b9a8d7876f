package domain

import "testing"

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
