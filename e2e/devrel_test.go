package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/presale/presale/internal/domain"
)

func signOut(t *testing.T, ctx context.Context) {
	t.Helper()
	do(t, ctx,
		chromedp.Click(chromedp.CSS(`[data-testid="sign-out"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="login-form"]`)),
	)
}

// A salesperson asks for DevRel support, a DevRel claims it on the board,
// the salesperson schedules the next meeting with the DevRel in the room,
// and both confirm the pre-meeting sync.
func TestDevRelJoinsAndBothSync(t *testing.T) {
	base := demoServer(t)
	ctx := browser(t)

	signIn(t, ctx, base, "sales3@demo.test") // Priya Nair
	do(t, ctx,
		chromedp.Navigate(base+"/deals?q=Student+data+portal"),
		chromedp.Click(chromedp.CSS(`[data-testid="deal-row"] a`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="deal-title"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid="ask-support"]`)),
		chromedp.SetValue(chromedp.CSS(`[data-testid="support-form"] [name="kind"]`), "deep_dive"),
		chromedp.SetValue(chromedp.CSS(`[data-testid="support-form"] [name="needed_by"]`), time.Now().AddDate(0, 0, 3).Format(domain.DateLayout)),
		chromedp.SendKeys(chromedp.CSS(`[data-testid="support-form"] [name="details"]`), "Walk their IT team through single sign-on."),
		chromedp.Click(chromedp.CSS(`[data-testid="support-form"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="support-title"]`)),
	)
	signOut(t, ctx)

	signIn(t, ctx, base, "devrel2@demo.test") // Tomás Silva
	do(t, ctx,
		chromedp.Navigate(base+"/support?kind=deep_dive"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="support-request"]`)),
	)
	if got := text(t, ctx, `[data-testid="support-request"]`); !strings.Contains(got, "Student data portal") {
		t.Fatalf("board: %q", got)
	}
	screenshot(t, ctx, "support-board")
	do(t, ctx,
		chromedp.Click(chromedp.CSS(`[data-testid="support-request"] [data-testid="claim"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="deal-team"]`)),
	)
	if got := text(t, ctx, `[data-testid="deal-team"]`); !strings.Contains(got, "Tomás Silva") {
		t.Fatalf("team after claim: %q", got)
	}
	signOut(t, ctx)

	signIn(t, ctx, base, "sales3@demo.test")
	if got := text(t, ctx, `[data-testid="inbox"]`); !strings.Contains(got, "1") {
		t.Fatalf("no unread notification of the claim: %q", got)
	}
	start := time.Now().Add(26 * time.Hour).Truncate(time.Hour)
	do(t, ctx,
		chromedp.Navigate(base+"/deals?q=Student+data+portal"),
		chromedp.Click(chromedp.CSS(`[data-testid="deal-row"] a`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="schedule-meeting"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid="schedule-meeting"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="meeting-form"]`)),
		chromedp.SendKeys(chromedp.CSS(`#title`), "SSO deep dive"),
		chromedp.SetValue(chromedp.CSS(`#type`), "deep_dive"),
		chromedp.SetValue(chromedp.CSS(`#starts_at`), start.Format(domain.DateTimeLayout)),
		chromedp.SetValue(chromedp.CSS(`#ends_at`), start.Add(time.Hour).Format(domain.DateTimeLayout)),
		chromedp.Click(chromedp.CSS(`[data-testid="meeting-form"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="sync-panel"]`)),
		chromedp.SendKeys(chromedp.CSS(`[data-testid="sync-form"] #notes`), "Priya leads; Tomás answers SSO."),
		chromedp.SendKeys(chromedp.CSS(`[data-testid="sync-form"] #avoid`), "Roadmap dates"),
		chromedp.Click(chromedp.CSS(`[data-testid="sync-form"] button[type="submit"]`)),
		hasText(`[data-testid="flash"]`, "Sync notes saved"),
		chromedp.Click(chromedp.CSS(`[data-testid="confirm-sync"]`)),
		hasText(`[data-testid="flash"]`, "Confirmed"),
	)
	if got := text(t, ctx, `[data-testid="sales-confirmed"]`); !strings.Contains(got, "Priya Nair") {
		t.Fatalf("sales side: %q", got)
	}
	meetingURL, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	signOut(t, ctx)

	signIn(t, ctx, base, "devrel2@demo.test")
	if got := text(t, ctx, `[data-testid="desk-sync"]`); !strings.Contains(got, "SSO deep dive") {
		t.Fatalf("the DevRel desk does not ask for the sync: %q", got)
	}
	do(t, ctx,
		chromedp.Navigate(strings.Split(meetingURL, "#")[0]),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="confirm-sync"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid="confirm-sync"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="sync-panel"][data-state="in_sync"]`)),
	)
	screenshot(t, ctx, "meeting-in-sync")
	if got := text(t, ctx, `[data-testid="sync-panel"] h2`); !strings.Contains(got, "in sync") {
		t.Fatalf("panel heading %q", got)
	}
}
