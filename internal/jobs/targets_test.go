package jobs_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/presale/presale/db"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/jobs"
	"github.com/presale/presale/internal/service"
	"github.com/presale/presale/internal/testenv"
)

// Webhooks go to the internet, not to presale's own network: an endpoint
// on a loopback, private, link-local or unspecified address is refused
// when it is saved, and a name that leads there later is refused as the
// delivery connects. The delivery log never says what answered where.
func TestWebhooksGoNowhereInside(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := testenv.NewWorld(t, d)
		admin := w.User("Ada Admin", domain.RoleManager, testenv.Admin)
		sales := w.User("Sam Sales", domain.RoleSales)
		strict := service.New(w.Store, service.WithClock(w.Clock))
		for _, target := range []string{"http://127.0.0.1:22/", "http://localhost/hook", "http://api.localhost/", "http://0.0.0.0/", "http://[::1]/",
			"http://169.254.169.254/latest/meta-data", "http://10.1.2.3/", "http://192.168.0.10/", "http://[fd00::1]/", "http://[::ffff:127.0.0.1]/",
			"http://192.0.0.192/", "http://[64:ff9b::a00:1]/", "http://[2002:a00:1::]/", "http://100.64.0.1/", "http://240.0.0.1/", "http://0.1.2.3/"} {
			_, err := strict.Deliveries.CreateWebhookEndpoint(ctx, admin, domain.WebhookInput{URL: target, Kind: "standard", EventTypes: []string{"deal.created"}})
			var invalid domain.ValidationErrors
			if !errors.As(err, &invalid) || invalid["url"] != domain.PrivateTargetMessage {
				t.Errorf("%s was taken: %v", target, err)
			}
		}
		if _, err := strict.Deliveries.CreateWebhookEndpoint(ctx, admin, domain.WebhookInput{URL: "https://93.184.215.14/hook", Kind: "standard", EventTypes: []string{"deal.created"}}); err != nil {
			t.Errorf("a public address was refused: %v", err)
		}

		// Saved while allowed (or while its name pointed elsewhere); the
		// queue, not allowing it, refuses to connect.
		rcv := newReceiver(t)
		closed, _ := net.Listen("tcp", "127.0.0.1:0")
		closedURL := "http://" + closed.Addr().String() + "/"
		closed.Close()
		lenient := service.New(w.Store, service.WithClock(w.Clock), service.WithPrivateWebhookTargets(true))
		inside, err := lenient.Deliveries.CreateWebhookEndpoint(ctx, admin, domain.WebhookInput{URL: rcv.srv.URL, Kind: "standard", EventTypes: []string{"deal.created"}})
		if err != nil {
			t.Fatal(err)
		}
		q, err := jobs.For(ctx, d, jobs.Config{RetryPolicy: soon{}, PollInterval: 100 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		svc := service.New(w.Store, service.WithClock(w.Clock), service.WithOutbox(q), service.WithPrivateWebhookTargets(true))
		refused, err := svc.Deliveries.CreateWebhookEndpoint(ctx, admin, domain.WebhookInput{URL: closedURL, Kind: "standard", EventTypes: []string{"deal.created"}})
		if err != nil {
			t.Fatal(err)
		}
		w.Svc = svc
		acc, _ := w.Account(sales, "Northwind")
		w.Deal(sales, acc.ID, "Fleet")
		if err := q.Work(ctx, svc.Deliveries); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = q.Stop(context.Background()) })
		for _, ep := range []domain.WebhookEndpoint{inside, refused} {
			until(t, "the first attempt", func() bool { return attempts(t, svc, admin, ep.ID, "deal.created") >= 1 })
			dl := delivery(t, svc, admin, ep.ID, "deal.created")
			if !strings.HasPrefix(dl.LastError, "not sent: the endpoint's address is on a private") && !strings.HasPrefix(dl.LastError, "could not connect") ||
				strings.Contains(dl.LastError, "127.0.0.1") || strings.Contains(dl.LastError, "refused") {
				t.Errorf("the log of %s says %q", ep.URL, dl.LastError)
			}
		}
		if got := rcv.all(); len(got) != 0 {
			t.Errorf("a delivery reached a loopback address: %d", len(got))
		}
		if dl := delivery(t, svc, admin, inside.ID, "deal.created"); !strings.HasPrefix(dl.LastError, "not sent") {
			t.Errorf("the loopback endpoint: %q", dl.LastError)
		}
	})
}
