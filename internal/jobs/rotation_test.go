package jobs_test

import (
	"context"
	"strings"
	"testing"

	"github.com/presale/presale/db"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/testenv"
)

// After a rotation each delivery carries two signatures, the new secret's
// and the old one's, so a receiver still checking with the old secret
// takes it, and one moved to the new secret does too.
func TestARotatedSecretSignsBesideTheNewOne(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w, svc, admin, sales := hooked(t, d, true)
		rcv := newReceiver(t)
		ep, err := svc.CreateWebhookEndpoint(ctx, admin, domain.WebhookInput{URL: rcv.srv.URL, Kind: "standard", EventTypes: []string{"deal.created"}})
		if err != nil {
			t.Fatal(err)
		}
		rotated, err := svc.RotateWebhookSecret(ctx, admin, ep.ID)
		if err != nil || rotated.Secret == ep.Secret {
			t.Fatalf("rotate: %v", err)
		}
		acc, _ := w.Account(sales, "Northwind")
		w.Deal(sales, acc.ID, "Fleet")
		until(t, "the delivery", func() bool { return len(rcv.all()) == 1 })
		got := rcv.all()[0]
		if n := len(strings.Fields(got.Signature)); n != 2 {
			t.Fatalf("%d signatures: %q", n, got.Signature)
		}
		for _, secret := range []string{ep.Secret, rotated.Secret} {
			if !verify(secret, got) {
				t.Errorf("a receiver with %.10s… refuses the delivery", secret)
			}
		}
	})
}
