package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/device"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/service"
	"github.com/presale/presale/internal/store"
)

// A salesperson edits an account on a phone while a colleague saves it
// first: the form comes back with what the colleague changed, the
// salesperson's typing kept, and saving again applies it.
func TestAStaleEditShowsWhatChangedOnAPhone(t *testing.T) {
	base, d := demoServerDB(t)
	ctx := browser(t)
	do(t, ctx, chromedp.Emulate(device.IPhone12))
	signIn(t, ctx, base, "sales@demo.test")
	do(t, ctx, chromedp.Navigate(base+"/accounts/1/edit"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="account-form"]`)))

	// Meanwhile a colleague renames the account.
	st := store.New(d.Write, d.Read)
	svc := service.New(st)
	acc, err := st.Accounts().AccountByID(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	manager, err := st.People().UserByEmail(context.Background(), "manager@demo.test")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Accounts.UpdateAccount(context.Background(), manager, acc.ID, acc.Version, domain.AccountInput{Name: acc.Name, Industry: "Logistics and freight"}); err != nil {
		t.Fatal(err)
	}

	do(t, ctx,
		chromedp.SetValue(chromedp.CSS(`#notes`), "Met their CTO at the fair."),
		chromedp.Click(chromedp.CSS(`[data-testid="account-form"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="conflict"]`)),
	)
	if got := text(t, ctx, `[data-testid="conflict"]`); !strings.Contains(got, "Logistics and freight") || !strings.Contains(got, "Morgan Blake") {
		t.Fatalf("the conflict does not say what changed and who changed it: %q", got)
	}
	kept, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#notes").value`))
	if err != nil || kept != "Met their CTO at the fair." {
		t.Fatalf("the typed notes were lost: %q %v", kept, err)
	}
	overflow, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth - window.innerWidth`))
	if err != nil || overflow > 0 {
		t.Errorf("the conflict page is %d px wider than the phone", overflow)
	}
	if png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
		keep(t, "phone-stale-account", png)
	}
	do(t, ctx,
		chromedp.Click(chromedp.CSS(`[data-testid="account-form"] button[type="submit"]`)),
		hasText(`[data-testid="flash"]`, "saved"),
	)
	if got, _ := st.Accounts().AccountByID(context.Background(), 1); got.Notes != "Met their CTO at the fair." {
		t.Fatalf("saving again did not apply the notes: %+v", got)
	}
}
