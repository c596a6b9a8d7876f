package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// The manager reads the evidence at a phone's and a laptop's width: the
// note on what the figures can show, each comparison with its words and
// its table, the chart with its table, and a count leading to its deals.
// A DevRel reads it without the reserve's comparison.
func TestTheEvidencePageReads(t *testing.T) {
	base := demoServer(t)
	b := browser(t)
	signIn(t, b, base, "manager@demo.test")
	for _, width := range widths {
		do(t, b, chromedp.EmulateViewport(width, 900), chromedp.Navigate(base+"/evidence"),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid="evidence-note"]`)))
		if note := text(t, b, `[data-testid="evidence-note"]`); !strings.Contains(note, "associated with") || !strings.Contains(note, "caused") {
			t.Errorf("at %d px the note says %q", width, note)
		}
		for section, heading := range map[string]string{"room": "DevRel in the room", "sync": "In sync", "levers": "Reserve levers", "promises": "Promises"} {
			if got := text(t, b, `[data-testid="evidence-`+section+`"] h2`); got != heading {
				t.Errorf("at %d px the %s section is headed %q", width, section, got)
			}
		}
		if got := text(t, b, `[data-testid="evidence-gaps"] [data-testid="gap-row"]`); !strings.Contains(got, "On-premises deployment") && !strings.Contains(got, "Data residency") &&
			!strings.Contains(got, "Audit logs") && !strings.Contains(got, "Single sign-on") {
			t.Errorf("at %d px the first product gap reads %q", width, got)
		}
		if got := text(t, b, `[data-testid="evidence-trend"] h2`); !strings.Contains(got, "quarter by quarter") {
			t.Errorf("at %d px the trend is headed %q", width, got)
		}
		fits(t, b, "the evidence", width)
		for _, v := range axeViolations(t, b) {
			t.Errorf("the evidence at %d px: %s (%s) %s at %s", width, v.ID, v.Impact, v.Help, strings.Join(v.Targets, ", "))
		}
		screenshot(t, b, fmt.Sprint("evidence-", width))
	}
	do(t, b, chromedp.Click(chromedp.CSS(`[data-testid="evidence-room"] [data-testid="group-row"] a`)), chromedp.WaitVisible(chromedp.CSS(`h1`)))
	if got := text(t, b, "h1"); !strings.Contains(got, "DevRel in the room") {
		t.Fatalf("the count leads to %q", got)
	}
	screenshot(t, b, "evidence-deals")

	dev := browser(t)
	signIn(t, dev, base, "devrel@demo.test")
	do(t, dev, chromedp.EmulateViewport(390, 900), chromedp.Navigate(base+"/evidence"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="levers-hidden"]`)))
	if n, err := chromedp.Run(dev, chromedp.Evaluate[int](`document.querySelectorAll('[data-testid="evidence-levers"]').length`)); err != nil || n != 0 {
		t.Fatal("a DevRel reads the reserve's comparison")
	}
}
