package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// A manager opens the coverage review, narrows it to one salesperson and
// follows a meeting at risk to its page.
func TestManagerFollowsAnAtRiskMeeting(t *testing.T) {
	base := demoServer(t)
	ctx := browser(t)
	signIn(t, ctx, base, "manager@demo.test")
	do(t, ctx,
		chromedp.Click(chromedp.Search(`//nav//a[text()="Coverage"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="coverage-summary"]`)),
	)
	priya, err := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll("#owner option")].find(o => o.textContent === "Priya Nair").value`))
	if err != nil {
		t.Fatal(err)
	}
	do(t, ctx,
		chromedp.SetValue(chromedp.CSS(`#owner`), priya),
		chromedp.Click(chromedp.CSS(`[data-testid="coverage-filters"] button`)),
		hasText(`[data-testid="coverage-filters"] #owner option[selected]`, "Priya Nair"),
	)
	if got := text(t, ctx, `[data-testid="coverage-by-salesperson"] tbody`); !strings.Contains(got, "Priya Nair") || strings.Contains(got, "Sofia Reyes") || strings.Contains(got, "Marcus Chen") {
		t.Fatalf("not narrowed to Priya: %q", got)
	}
	screenshot(t, ctx, "coverage-priya")
	// Priya's Grid telemetry deep dive is tomorrow and its sync is stale.
	title := text(t, ctx, `[data-testid="at-risk-meeting"] a`)
	if title != "Ingestion deep dive" {
		t.Fatalf("first meeting at risk: %q", title)
	}
	do(t, ctx,
		chromedp.Click(chromedp.CSS(`[data-testid="at-risk-meeting"] a`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="sync-panel"]`)),
	)
	if got := text(t, ctx, `[data-testid="meeting-title"]`); got != title {
		t.Fatalf("followed to %q", got)
	}
	state, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS(`[data-testid="sync-panel"]`), "data-state"))
	if err != nil || state.Value != "stale" {
		t.Fatalf("sync state %q, %v", state.Value, err)
	}
}
