package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// The whole Customer Pre-Sale pattern in the browser: DevRel proposes two
// ideas; the salesperson clears one and holds the other in reserve with a
// trigger; the brief shows each in its place; DevRel cannot share the
// reserved one; after the customer's price objection the salesperson
// releases it, it is shared at the meeting, accepted, and becomes a
// promise that DevRel rates feasible.
func TestThePreSalePattern(t *testing.T) {
	base := demoServer(t)
	ctx := browser(t)
	const cleared, reserved = "Replay API walkthrough", "Two free months of premium support"

	openDeal := func() {
		do(t, ctx,
			chromedp.Navigate(base+"/deals?q=Fleet+event+streaming"),
			chromedp.Click(chromedp.CSS(`[data-testid="deal-row"] a`)),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid="deal-offers"]`)),
		)
	}
	propose := func(title, kind string) {
		openDeal()
		do(t, ctx,
			chromedp.Click(chromedp.CSS(`[data-testid="propose-offer"]`)),
			chromedp.SendKeys(chromedp.CSS(`[data-testid="offer-form"] [name="title"]`), title),
			chromedp.SetValue(chromedp.CSS(`[data-testid="offer-form"] [name="kind"]`), kind),
			chromedp.Click(chromedp.CSS(`[data-testid="submit-offer"]`)),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid="offer-status"][data-status="proposed"]`)),
		)
	}

	signIn(t, ctx, base, "devrel@demo.test") // Ada, on the Fleet deal
	propose(cleared, "idea")
	propose(reserved, "service")
	signOut(t, ctx)

	signIn(t, ctx, base, "sales@demo.test") // Sofia owns the deal
	do(t, ctx, chromedp.Navigate(base+"/offers/review"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="review-item"]`)))
	item := func(title string) string {
		return fmt.Sprintf(`//li[@data-testid="review-item"][.//strong[text()=%q]]`, title)
	}
	do(t, ctx,
		chromedp.Click(chromedp.Search(item(cleared)+`//form[@data-testid="offer-clear"]//button`)),
		chromedp.WaitNotPresent(chromedp.Search(item(cleared))),
		chromedp.SendKeys(chromedp.Search(item(reserved)+`//input[@name="trigger"]`), "if they push on price"),
		chromedp.Click(chromedp.Search(item(reserved)+`//form[@data-testid="offer-hold"]//button`)),
		chromedp.WaitNotPresent(chromedp.Search(item(reserved))),
	)
	screenshot(t, ctx, "review-queue-after")

	// The brief of the coming negotiation.
	do(t, ctx,
		chromedp.Navigate(base+"/meetings"),
		chromedp.Click(chromedp.Search(`//a[strong[text()="Commercial negotiation"]]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="open-brief"]`)),
	)
	meetingURL, _ := chromedp.Run(ctx, chromedp.Location())
	do(t, ctx, chromedp.Click(chromedp.CSS(`[data-testid="open-brief"]`)), chromedp.WaitVisible(chromedp.CSS(`[data-testid="brief"]`)))
	screenshot(t, ctx, "brief")
	if got := text(t, ctx, `[data-testid="brief-cleared"]`); !strings.Contains(got, cleared) || strings.Contains(got, reserved) {
		t.Fatalf("cleared talking points: %q", got)
	}
	if got := text(t, ctx, `[data-testid="brief-reserve"]`); !strings.Contains(got, reserved) || !strings.Contains(got, "if they push on price") {
		t.Fatalf("held in reserve: %q", got)
	}
	signOut(t, ctx)

	// DevRel cannot share what is held in reserve.
	signIn(t, ctx, base, "devrel@demo.test")
	openDeal()
	do(t, ctx,
		chromedp.Click(chromedp.Search(`//ul[@data-testid="offers-reserved"]//a[text()=`+fmt.Sprintf("%q", reserved)+`]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="offer-trigger"]`)),
	)
	offerURL, _ := chromedp.Run(ctx, chromedp.Location())
	if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('[data-testid="offer-share"]').length`)); n != 0 {
		t.Fatal("DevRel is offered to share a reserved idea")
	}
	status, err := chromedp.Run(ctx, chromedp.Evaluate[int](fmt.Sprintf(`fetch(%q + "/share", {method: "POST",
		headers: {"X-CSRF-Token": document.querySelector('input[name="_csrf"]').value, "Content-Type": "application/x-www-form-urlencoded"},
		body: "meeting_id=1"}).then(r => r.status)`, offerURL), chromedp.EvalAwaitPromise))
	if err != nil || status != 409 {
		t.Fatalf("sharing the reserved idea answered %d, %v", status, err)
	}
	signOut(t, ctx)

	// At the meeting the customer pushes on price: the salesperson records
	// the objection, releases the lever, shares it, and the customer takes it.
	signIn(t, ctx, base, "sales@demo.test")
	do(t, ctx,
		chromedp.Navigate(meetingURL),
		chromedp.SetValue(chromedp.CSS(`[data-testid="question-form"] #category`), "pricing"),
		chromedp.SendKeys(chromedp.CSS(`[data-testid="question-form"] #text`), "Your price is 20% above the incumbent."),
		chromedp.Click(chromedp.CSS(`[data-testid="question-form"] button`)),
		hasText(`[data-testid="flash"]`, "Question recorded"),
		chromedp.Navigate(offerURL),
		chromedp.Click(chromedp.CSS(`[data-testid="offer-release"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="offer-status"][data-status="cleared"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid="offer-share"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="offer-status"][data-status="shared"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid="offer-accept"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="offer-status"][data-status="accepted"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid="make-promise"]`)),
		// The promise comes prefilled from the offer, to review, then save.
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="promise-form"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid="record-promise"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="promise-text"]`)),
	)
	promiseURL, _ := chromedp.Run(ctx, chromedp.Location())
	if got := text(t, ctx, `[data-testid="promise-text"]`); got != reserved {
		t.Fatalf("promise %q", got)
	}
	signOut(t, ctx)

	signIn(t, ctx, base, "devrel@demo.test")
	do(t, ctx,
		chromedp.Navigate(promiseURL),
		chromedp.SetValue(chromedp.CSS(`#feasibility`), "feasible"),
		chromedp.SendKeys(chromedp.CSS(`#note`), "Premium support has spare capacity this quarter."),
		chromedp.Click(chromedp.CSS(`[data-testid="rate"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="promise-feasibility"][data-feasibility="feasible"]`)),
	)
	screenshot(t, ctx, "promise-rated")
}
