package jobs_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/presale/presale/db"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/jobs"
	"github.com/presale/presale/internal/service"
	"github.com/presale/presale/internal/store"
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
		ep, err := svc.Deliveries.CreateWebhookEndpoint(ctx, admin, domain.WebhookInput{URL: rcv.srv.URL, Kind: "standard", EventTypes: []string{"deal.created"}})
		if err != nil {
			t.Fatal(err)
		}
		rotated, err := svc.Deliveries.RotateWebhookSecret(ctx, admin, ep.ID)
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

// An endpoint deleted on one instance while changes on the other queue
// deliveries for it: every change and the delete land, and no delivery is
// left for the endpoint that is gone. Two rotations at once both land, one
// after the other.
func TestDeletingAnEndpointWhileChangesQueueForIt(t *testing.T) {
	testenv.ForEachEngineTwice(t, func(t *testing.T, a, b *db.DB) {
		ctx := context.Background()
		w := testenv.NewWorld(t, a)
		q, err := jobs.For(ctx, a, jobs.Config{})
		if err != nil {
			t.Fatal(err)
		}
		svc := service.New(w.Store, service.WithClock(w.Clock), service.WithOutbox(q), service.WithPrivateWebhookTargets(true))
		w.Svc = svc
		other := service.New(store.New(b.Write, b.Read), service.WithOutbox(q), service.WithPrivateWebhookTargets(true))
		admin, sales := w.User("Ada Admin", domain.RoleManager, testenv.Admin), w.User("Sam Sales", domain.RoleSales)
		acc, _ := w.Account(sales, "Northwind")
		for round := range 5 {
			ep, err := svc.Deliveries.CreateWebhookEndpoint(ctx, admin, domain.WebhookInput{URL: "https://crm.example.com/hook", Kind: "standard", EventTypes: []string{"deal.created"}})
			if err != nil {
				t.Fatal(err)
			}
			rotations := testenv.Together(
				func() error { _, err := svc.Deliveries.RotateWebhookSecret(ctx, admin, ep.ID); return err },
				func() error { _, err := other.Deliveries.RotateWebhookSecret(ctx, admin, ep.ID); return err })
			if err := errors.Join(rotations...); err != nil {
				t.Fatalf("round %d: rotations at once: %v", round, err)
			}
			var rotated domain.WebhookEndpoint
			a.Read.First(&rotated, ep.ID)
			if rotated.PreviousSecret == ep.Secret {
				t.Errorf("round %d: the second rotation lost the first's secret: the one before it is the original", round)
			}
			var fns []func() error
			for i := range 8 {
				fns = append(fns, func() error {
					_, err := svc.Deals.CreateDeal(ctx, sales, domain.DealInput{Title: fmt.Sprintf("Deal %d.%d", round, i), AccountID: fmt.Sprint(acc.ID), Amount: "1", Currency: "USD"})
					return err
				})
			}
			fns = append(fns, func() error { _, err := other.Deliveries.DeleteWebhookEndpoint(ctx, admin, ep.ID); return err })
			if err := errors.Join(testenv.Together(fns...)...); err != nil {
				t.Fatalf("round %d: %v", round, err)
			}
			var left int64
			a.Read.Table("webhook_deliveries").Where("endpoint_id = ?", ep.ID).Count(&left)
			if left != 0 {
				t.Errorf("round %d: %d deliveries for the deleted endpoint", round, left)
			}
		}
	})
}
