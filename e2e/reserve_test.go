package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/service"
	"github.com/presale/presale/internal/store"
	"github.com/presale/presale/views/components"
)

// The reserve as three people see it in the browser, at 1366 and 390 px:
// another salesperson reads a proposed idea but not its thread, and finds
// nothing once it is held; a DevRel who was told of the thread and then
// left the deal team finds in their inbox only that something changed.
func TestTheReserveInTheBrowser(t *testing.T) {
	base, d := demoServerDB(t)
	ctx := context.Background()
	st := store.New(d.Write, d.Read)
	svc := service.New(st)
	sales, _ := st.People().UserByEmail(ctx, "sales@demo.test")
	devrel, _ := st.People().UserByEmail(ctx, "devrel@demo.test")
	var deal domain.Deal
	if err := d.Read.Raw(`SELECT deals.* FROM deals JOIN assignments a ON a.deal_id = deals.id AND a.active AND a.user_id = ?
		WHERE deals.owner_id = ? ORDER BY deals.id LIMIT 1`, devrel.ID, sales.ID).Scan(&deal).Error; err != nil || deal.ID == 0 {
		t.Fatalf("no deal of sales@ that devrel@ is on: %v", err)
	}
	o, err := svc.Offers.ProposeOffer(ctx, devrel, deal.ID, domain.OfferProposal{Title: "Zebra price lever", Kind: "idea"}, true)
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Offers.CommentOnOffer(ctx, sales, o.ID, "Keep this back until procurement, @devrel"); err != nil {
		t.Fatal(err)
	}
	offer := base + components.Path("/offers/", o.ID)

	b := browser(t)
	signIn(t, b, base, "sales2@demo.test")
	for _, width := range []int64{1366, 390} {
		do(t, b, chromedp.EmulateViewport(width, 900), chromedp.Navigate(offer), chromedp.WaitVisible(chromedp.CSS(`h1`)))
		fits(t, b, "a proposed offer, off the team", width)
		if got := text(t, b, `main`); !strings.Contains(got, "Zebra price lever") || strings.Contains(got, "Keep this back") {
			t.Errorf("off the team at %d px, the proposed offer reads %q", width, got)
		}
	}
	if _, _, err := svc.Offers.MoveOffer(ctx, sales, o.ID, domain.OfferHold, domain.OfferInput{Trigger: "if they push on price"}); err != nil {
		t.Fatal(err)
	}
	do(t, b, chromedp.Navigate(base+components.Path("/deals/", deal.ID)), chromedp.WaitVisible(chromedp.CSS(`h1`)))
	if got := text(t, b, `main`); strings.Contains(got, "Zebra") || strings.Contains(got, "Keep this back") || strings.Contains(got, "push on price") {
		t.Errorf("off the team, the deal page shows the held idea: %q", got)
	}

	// devrel@ was told of the thread, then leaves the deal team.
	if err := d.Write.Model(&domain.Assignment{}).Where("deal_id = ? AND user_id = ?", deal.ID, devrel.ID).Update("active", false).Error; err != nil {
		t.Fatal(err)
	}
	gone := browser(t)
	signIn(t, gone, base, "devrel@demo.test")
	for _, width := range []int64{1366, 390} {
		do(t, gone, chromedp.EmulateViewport(width, 900), chromedp.Navigate(base+"/notifications"), chromedp.WaitVisible(chromedp.CSS(`main`)))
		fits(t, gone, "the inbox", width)
		got := text(t, gone, `main`)
		if strings.Contains(got, "Zebra") || !strings.Contains(got, "Something on “"+deal.Title+"” changed that you can no longer see.") {
			t.Errorf("the inbox of a DevRel who left, at %d px: %q", width, got)
		}
		screenshot(t, gone, "inbox-after-leaving-"+map[int64]string{1366: "desktop", 390: "phone"}[width])
		for _, v := range axeViolations(t, gone) {
			t.Errorf("the inbox at %d px: %s (%s) %s at %s", width, v.ID, v.Impact, v.Help, strings.Join(v.Targets, ", "))
		}
	}
}
