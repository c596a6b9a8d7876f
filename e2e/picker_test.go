package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
	"github.com/presale/presale/internal/service"
	"github.com/presale/presale/internal/store"
)

// In an organisation with more accounts than a list holds, a salesperson
// opens a new deal on a phone, types part of the customer's name, picks
// it from the accounts that hold it and saves: the deal is on that
// account; on its edit form, Enter in the search lists at once and sends
// nothing. The form fits at 390 and 1366 px and axe finds nothing.
func TestFindTheAccountOfANewDealAmongMany(t *testing.T) {
	base, d := demoServerDB(t)
	ctx := context.Background()
	st := store.New(d.Write, d.Read)
	svc := service.New(st)
	manager, err := st.People().UserByEmail(ctx, "manager@demo.test")
	if err != nil {
		t.Fatal(err)
	}
	for i := range read.AccountChoicesShown {
		if _, err := svc.Accounts.CreateAccount(ctx, manager, domain.AccountInput{Name: fmt.Sprintf("Aardvark Holdings %03d", i)}, true); err != nil {
			t.Fatal(err)
		}
	}
	zephyr, err := svc.Accounts.CreateAccount(ctx, manager, domain.AccountInput{Name: "Zephyr Wind Farms"}, true)
	if err != nil {
		t.Fatal(err)
	}

	b := browser(t)
	signIn(t, b, base, "sales@demo.test")
	for _, width := range []int64{1366, 390} {
		do(t, b, chromedp.EmulateViewport(width, 900), chromedp.Navigate(base+"/deals/new"), chromedp.WaitVisible(chromedp.CSS(`#account_id-find`)))
		fits(t, b, "/deals/new", width)
	}
	if got := text(t, b, `#account_id`); strings.Contains(got, "Zephyr") {
		t.Fatal("the form lists an account after the first by name before anything is typed")
	}
	do(t, b,
		chromedp.SendKeys(chromedp.CSS(`#title`), "Turbine telemetry"),
		chromedp.SendKeys(chromedp.CSS(`#account_id-find`), "zeph"),
		hasText(`#account_id`, "Zephyr Wind Farms"),
		chromedp.SetValue(chromedp.CSS(`#account_id`), fmt.Sprint(zephyr.ID)),
	)
	screenshot(t, b, "account-found-390")
	for _, v := range axeViolations(t, b) {
		t.Errorf("the deal form: %s (%s) %s at %s", v.ID, v.Impact, v.Help, strings.Join(v.Targets, ", "))
	}
	// The form's own options name the account too: wait for the deal's page.
	do(t, b,
		chromedp.Click(chromedp.CSS(`[data-testid="deal-form"] button[type="submit"]`)),
		hasText(`h1`, "Turbine telemetry"),
	)
	if got := text(t, b, `main`); !strings.Contains(got, "Zephyr Wind Farms") {
		t.Fatalf("the saved deal's page does not name its account: %q", got)
	}

	// On the edit form, where an account is chosen, Enter in the search
	// lists at once and sends nothing.
	loc, _ := chromedp.Run(b, chromedp.Location())
	do(t, b,
		chromedp.Navigate(loc+"/edit"),
		chromedp.WaitVisible(chromedp.CSS(`#account_id-find`)),
		chromedp.SendKeys(chromedp.CSS(`#account_id-find`), "holdings 04"+kb.Enter),
		hasText(`#account_id`, "Aardvark Holdings 049"),
	)
	if now, _ := chromedp.Run(b, chromedp.Location()); now != loc+"/edit" {
		t.Fatalf("Enter in the account search sent the form: at %s", now)
	}
	if got, _ := chromedp.Run(b, chromedp.Evaluate[string](`document.querySelector('#account_id').selectedOptions[0].textContent`)); got != "Zephyr Wind Farms" {
		t.Errorf("after a search the chosen account is %q", got)
	}
}
