package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
	"github.com/presale/presale/internal/service"
	"github.com/presale/presale/internal/store"
	"github.com/presale/presale/views/components"
)

// An administrator looks at an endpoint whose delivery was withheld (its
// offer went into the reserve before it was sent), gets a new signing
// secret, and deletes the endpoint, at 1366 and 390 px: the page fits,
// says what happened in words, and axe finds nothing.
func TestAnAdministratorRotatesAndDeletesAWebhook(t *testing.T) {
	base, d := demoServerDB(t)
	ctx := context.Background()
	st := store.New(d.Write, d.Read)
	svc := service.New(st)
	manager, err := st.People().UserByEmail(ctx, "manager@demo.test")
	if err != nil {
		t.Fatal(err)
	}
	sales, _ := st.People().UserByEmail(ctx, "sales@demo.test")
	ep, err := svc.Deliveries.CreateWebhookEndpoint(ctx, manager, domain.WebhookInput{URL: "https://crm.example.com/hooks/presale", Kind: "standard", EventTypes: []string{"deal.created"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Deals.CreateDeal(ctx, sales, domain.DealInput{Title: "Harbour cranes", AccountID: "1", Stage: "discovery", Amount: "1000", Currency: "EUR"}); err != nil {
		t.Fatal(err)
	}
	_, ds, _, err := svc.Deliveries.WebhookDeliveries(ctx, manager, ep.ID, read.Page{Number: 1, Size: 10})
	if err != nil || len(ds) != 1 {
		t.Fatalf("deliveries: %d %v", len(ds), err)
	}
	if err := svc.Deliveries.WithholdWebhook(ctx, ds[0].ID); err != nil {
		t.Fatal(err)
	}
	page := base + components.Path("/admin/webhooks/", ep.ID)

	b := browser(t)
	signIn(t, b, base, "manager@demo.test")
	for _, width := range []int64{1366, 390} {
		do(t, b, chromedp.EmulateViewport(width, 900), chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS(`[data-testid="webhook-delete"]`)))
		fits(t, b, "the endpoint's page", width)
		if got := text(t, b, `[data-testid="delivery-row"]`); !strings.Contains(got, "Withheld") || !strings.Contains(got, domain.WithheldReason) {
			t.Errorf("the withheld delivery reads %q", got)
		}
		screenshot(t, b, "webhook-"+map[int64]string{1366: "desktop", 390: "phone"}[width])
		for _, v := range axeViolations(t, b) {
			t.Errorf("the endpoint's page at %d px: %s (%s) %s at %s", width, v.ID, v.Impact, v.Help, strings.Join(v.Targets, ", "))
		}
	}
	do(t, b,
		chromedp.Click(chromedp.CSS(`[data-testid="webhook-secret"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="new-webhook-secret"]`)),
	)
	secret, err := chromedp.Run(b, chromedp.Value(chromedp.CSS(`[data-testid="new-webhook-secret"]`)))
	if err != nil || !strings.HasPrefix(secret, "whsec_") || secret == ep.Secret {
		t.Fatalf("the new secret: %q %v", secret, err)
	}
	screenshot(t, b, "webhook-rotated-phone")
	do(t, b,
		chromedp.Click(chromedp.CSS(`[data-testid="webhook-delete"] input[name="confirm"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid="webhook-delete"] button`)),
		hasText(`main`, "Deleted https://crm.example.com/hooks/presale and its delivery log."),
	)
	if got := text(t, b, `main`); !strings.Contains(got, "No endpoints yet") {
		t.Errorf("the list after the delete: %q", got)
	}
}
