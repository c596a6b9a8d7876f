package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/store"
)

// A salesperson logs a new customer, opens a deal, schedules a meeting,
// once it has begun marks it held from the deal page (htmx swaps the meeting in place) and
// finds every step on the deal's timeline.
func TestSalespersonLogsAccountDealAndMeeting(t *testing.T) {
	base, d := demoServerDB(t)
	ctx := browser(t)
	signIn(t, ctx, base, "sales2@demo.test")

	do(t, ctx,
		chromedp.Navigate(base+"/accounts/new"),
		chromedp.SendKeys(chromedp.CSS(`#name`), "Acme Rockets"),
		chromedp.SendKeys(chromedp.CSS(`#domain`), "acme-rockets.example"),
		chromedp.SendKeys(chromedp.CSS(`#industry`), "Aerospace"),
		chromedp.Click(chromedp.CSS(`[data-testid="account-form"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="account-name"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid="new-contact"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="contact-form"]`)),
		chromedp.SendKeys(chromedp.CSS(`#name`), "Wile Coyote"),
		chromedp.SendKeys(chromedp.CSS(`#title`), "Head of Engineering"),
		chromedp.Click(chromedp.CSS(`[data-testid="contact-form"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="contacts"]`)),
	)
	if got := text(t, ctx, `[data-testid="contacts"]`); !strings.Contains(got, "Wile Coyote") {
		t.Fatalf("contacts: %q", got)
	}

	do(t, ctx,
		chromedp.Click(chromedp.CSS(`[data-testid="new-deal"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="deal-form"]`)),
		chromedp.SendKeys(chromedp.CSS(`#title`), "Launch telemetry"),
		chromedp.SetValue(chromedp.CSS(`#stage`), "discovery"),
		chromedp.SendKeys(chromedp.CSS(`#amount`), "98000.50"),
		chromedp.SetValue(chromedp.CSS(`#currency`), "EUR"),
		chromedp.SetValue(chromedp.CSS(`#expected_close_date`), time.Now().AddDate(0, 2, 0).Format(domain.DateLayout)),
		chromedp.Click(chromedp.CSS(`[data-testid="deal-form"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="deal-title"]`)),
	)
	if got := text(t, ctx, `[data-testid="deal-amount"]`); got != "98,000.50 EUR" {
		t.Fatalf("amount %q", got)
	}

	start := time.Now().Add(48 * time.Hour).Truncate(time.Hour)
	do(t, ctx,
		chromedp.Click(chromedp.CSS(`[data-testid="schedule-meeting"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="meeting-form"]`)),
		chromedp.SendKeys(chromedp.CSS(`#title`), "Telemetry demo"),
		chromedp.SetValue(chromedp.CSS(`#type`), "demo"),
		chromedp.SetValue(chromedp.CSS(`#starts_at`), start.Format(domain.DateTimeLayout)),
		chromedp.SetValue(chromedp.CSS(`#ends_at`), start.Add(time.Hour).Format(domain.DateTimeLayout)),
		chromedp.SendKeys(chromedp.CSS(`#goal`), "Agree on a POC scope"),
		chromedp.Click(chromedp.CSS(`input[name="contact_ids"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid="meeting-form"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="meeting-title"]`)),
	)
	if got := text(t, ctx, `[data-testid="meeting-attendees"]`); !strings.Contains(got, "Wile Coyote") || !strings.Contains(got, "Marcus Chen") {
		t.Fatalf("attendees %q", got)
	}

	// Two days pass: the meeting has begun. Back on the deal, it is marked
	// held inline, without being asked (a meeting not yet begun leads to
	// its own page, which asks for the outcome: acts_test.go).
	var m domain.Meeting
	if err := d.Read.Where("title = ?", "Telemetry demo").First(&m).Error; err != nil {
		t.Fatal(err)
	}
	begun := time.Now().Add(-2 * time.Hour).Truncate(time.Minute)
	if err := d.Write.Model(&m).Updates(map[string]any{"starts_at": begun, "ends_at": begun.Add(time.Hour)}).Error; err != nil {
		t.Fatal(err)
	}
	if err := store.New(d.Write, d.Read).Derived().KeepDerived(context.Background(), []int64{m.DealID}); err != nil {
		t.Fatal(err)
	}
	do(t, ctx,
		chromedp.Click(chromedp.CSS(`.crumbs a[href^="/deals/"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="meeting-item"] input[name="outcome"]`)),
		acceptConfirms(),
		chromedp.SendKeys(chromedp.CSS(`[data-testid="meeting-item"] input[name="outcome"]`), "They want a two-week POC."),
		chromedp.Click(chromedp.CSS(`[data-testid="meeting-item"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="meeting-item"] [data-testid="meeting-outcome"]`)),
	)
	if got := text(t, ctx, `[data-testid="meeting-item"] [data-testid="meeting-outcome"]`); got != "They want a two-week POC." {
		t.Fatalf("outcome %q", got)
	}
	if asked, err := chromedp.Run(ctx, chromedp.Evaluate[int](`window.presaleAsked`)); err != nil || asked != 0 {
		t.Fatalf("marking a begun meeting held asked %d times (%v)", asked, err)
	}
	// The swapped meeting has the focus and the confirmation is read out.
	do(t, ctx, hasText(`[data-testid="announce"]`, "held"))
	if id, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement.id`)); err != nil || !strings.HasPrefix(id, "meeting-") {
		t.Fatalf("focus after marking held is on %q (%v)", id, err)
	}
	// htmx swapped the meeting in place: still on the deal page.
	if loc, err := chromedp.Run(ctx, chromedp.Location()); err != nil || !strings.Contains(loc, "/deals/") {
		t.Fatalf("location after marking held: %s %v", loc, err)
	}

	do(t, ctx, chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`[data-testid="timeline"]`)))
	screenshot(t, ctx, "salesperson-timeline")
	timeline := text(t, ctx, `[data-testid="timeline"]`)
	for _, want := range []string{"created the deal", "Launch telemetry", "created the meeting", "Telemetry demo", "held the meeting", "Scheduled", "Held", "They want a two-week POC."} {
		if !strings.Contains(timeline, want) {
			t.Errorf("timeline lacks %q:\n%s", want, timeline)
		}
	}
}
