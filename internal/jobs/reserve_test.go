package jobs_test

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/presale/presale/db"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/jobs"
	mailer "github.com/presale/presale/internal/mail"
	"github.com/presale/presale/internal/read"
	"github.com/presale/presale/internal/service"
	"github.com/presale/presale/internal/testenv"
)

// The reserve's promise, asked where content leaves and when: an offer
// goes proposed → cleared → held → released → held again, and at each step
// what was recorded before it (a comment with @mentions, a decision
// webhooks and e-mail report) is sent only after it. Every channel — the
// deal page and its timeline, the offer's page and thread, search, the
// inbox, e-mail, a signed webhook and Slack — then shows the offer's
// title, its trigger and its thread to exactly who may see them at that
// moment: the deal team and managers always; someone off the team the
// title only while the offer is public, the thread and the trigger never;
// a DevRel who left the team between the news and its sending, as an
// outsider.
func TestTheReserveHoldsOnEveryChannel(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		box, smtpURL := smtpServer(t)
		w := testenv.NewWorld(t, d)
		m, err := mailer.New(smtpURL, "presale@example.com", "https://presale.example")
		if err != nil {
			t.Fatal(err)
		}
		_, svc := startQueue(t, w, jobs.Config{Mail: m}, false) // records; sends only in drain
		manager := w.User("Ada Admin", domain.RoleManager, testenv.Admin)
		sales := w.User("Sam Sales", domain.RoleSales)
		devrel := w.User("Dee DevRel", domain.RoleDevRel)
		leaver := w.User("Lee Leaving", domain.RoleDevRel)
		outsider := w.User("Otto Outside", domain.RoleSales)
		kinds := make([]string, len(domain.NotificationKinds))
		for i, k := range domain.NotificationKinds {
			kinds[i] = k.Code
		}
		for _, u := range []domain.User{manager, sales, devrel, leaver, outsider} {
			if _, err := svc.People.SetEmailPrefs(ctx, u, domain.EmailPrefs{Kinds: kinds}); err != nil {
				t.Fatal(err)
			}
		}
		all := make([]string, len(domain.WebhookEvents))
		for i, e := range domain.WebhookEvents {
			all[i] = e.Type
		}
		hook, slack := newReceiver(t), newReceiver(t)
		ep, err := svc.Deliveries.CreateWebhookEndpoint(ctx, manager, domain.WebhookInput{URL: hook.srv.URL, Kind: "standard", EventTypes: all})
		if err != nil {
			t.Fatal(err)
		}
		hook.secret = ep.Secret
		if _, err := svc.Deliveries.CreateWebhookEndpoint(ctx, manager, domain.WebhookInput{URL: slack.srv.URL, Kind: "slack", EventTypes: all}); err != nil {
			t.Fatal(err)
		}

		acc, _ := w.Account(sales, "Northwind")
		deal := w.Deal(sales, acc.ID, "Fleet telematics")
		w.Assign(deal.ID, devrel)
		w.Assign(deal.ID, leaver)
		const title, trigger, thread = "Zebra discount lever", "if they push on price", "Keep this back until procurement"
		offer, err := svc.Offers.ProposeOffer(ctx, devrel, deal.ID, domain.OfferProposal{Title: title, Kind: "idea"}, true)
		if err != nil {
			t.Fatal(err)
		}
		move := func(by domain.User, step domain.OfferAction, in domain.OfferInput) {
			t.Helper()
			if _, _, err := svc.Offers.MoveOffer(ctx, by, offer.ID, step, in); err != nil {
				t.Fatalf("%s: %v", step, err)
			}
		}
		// drain sends what is queued (a working queue, as after a restart)
		// until nothing is left, then stops sending.
		drain := func(what string) {
			t.Helper()
			q, _ := startQueue(t, w, jobs.Config{Mail: m}, true)
			until(t, what, func() bool { return queued(t, d) == 0 })
			if err := q.Stop(ctx); err != nil {
				t.Fatal(err)
			}
			w.Svc = svc
		}
		var mails, hooks, slacks int // what each check has seen of the inbox and the receivers
		check := func(phase string, public bool) {
			t.Helper()
			for _, v := range []struct {
				who      domain.User
				insider  bool // on the team (or a manager) now
				notified bool // was told of the thread
			}{{sales, true, true}, {devrel, true, true}, {manager, true, true}, {leaver, false, false}, {outsider, false, false}} {
				text := channels(t, svc, v.who, deal.ID, offer.ID, box.sent()[mails:])
				for name, got := range text {
					seesTitle := v.insider || public
					if name == "e-mail" || name == "inbox" {
						seesTitle = seesTitle && v.notified // nobody off the team is told
					}
					if strings.Contains(got, title) && !seesTitle {
						t.Errorf("%s: %s's %s shows the offer's title", phase, v.who.Name, name)
					}
					if !v.insider && (strings.Contains(got, trigger) || strings.Contains(got, thread)) {
						t.Errorf("%s: %s's %s shows the trigger or the thread:\n%s", phase, v.who.Name, name, got)
					}
				}
				if v.insider && (!strings.Contains(text["deal page"], title) || !strings.Contains(text["offer page"], thread)) {
					t.Errorf("%s: %s does not see the offer and its thread", phase, v.who.Name)
				}
				if !v.insider && public && !strings.Contains(text["deal page"], title) {
					t.Errorf("%s: %s does not see the public offer", phase, v.who.Name)
				}
			}
			for _, r := range append(hook.all()[hooks:], slack.all()[slacks:]...) {
				if body := string(r.Body); strings.Contains(body, trigger) || strings.Contains(body, thread) || !public && strings.Contains(body, title) {
					t.Errorf("%s: an organisation-wide channel got %s", phase, body)
				}
			}
			mails, hooks, slacks = len(box.sent()), len(hook.all()), len(slack.all())
		}

		// Proposed: the team talks it through, @mentioning the manager and
		// someone off the team; the leaver is told, then leaves.
		if err := svc.Offers.CommentOnOffer(ctx, sales, offer.ID, thread+" @ada @otto"); err != nil {
			t.Fatal(err)
		}
		if err := svc.Offers.CommentOnOffer(ctx, devrel, offer.ID, thread+" @lee"); err != nil {
			t.Fatal(err)
		}
		if err := w.DB.Write.Model(&domain.Assignment{}).Where("deal_id = ? AND user_id = ?", deal.ID, leaver.ID).Update("active", false).Error; err != nil {
			t.Fatal(err)
		}
		drain("the proposal's news")
		check("proposed", true)
		if n := inboxOf(t, svc, outsider); strings.Contains(n, "commented") {
			t.Errorf("an @mention off the team was told: %s", n)
		}

		// Cleared: the decision is queued, its first delivery fails, and the
		// offer is held before the retry.
		hook.mu.Lock()
		hook.fail["offer.clear"] = 1
		hook.mu.Unlock()
		move(sales, domain.OfferClear, domain.OfferInput{})
		q, _ := startQueue(t, w, jobs.Config{Mail: m}, true)
		until(t, "the failed first attempt", func() bool { return attempts(t, svc, manager, ep.ID, "offer.clear") >= 1 })
		if err := q.Stop(ctx); err != nil {
			t.Fatal(err)
		}
		w.Svc = svc
		check("cleared", true)
		move(sales, domain.OfferHold, domain.OfferInput{Trigger: trigger})
		drain("the retry after the hold")
		check("held", false)
		if dl := delivery(t, svc, manager, ep.ID, "offer.clear"); dl.Status != domain.DeliveryWithheld {
			t.Errorf("the retry of offer.clear after the hold: %s, want withheld", dl.Status)
		}

		// Released, and held again.
		move(sales, domain.OfferRelease, domain.OfferInput{})
		drain("the release")
		check("released", true)
		move(sales, domain.OfferHold, domain.OfferInput{Trigger: trigger})
		drain("the second hold")
		check("held again", false)
		if n := len(box.all()); n == 0 {
			t.Error("no e-mail went out at all: the check saw nothing")
		}
	})
}

// channels is everything a viewer is shown about a deal and an offer,
// each channel's text: the deal page (with its timeline), the offer's page
// (with its thread), search, the inbox, and the e-mails they were sent.
func channels(t *testing.T, svc *service.Service, v domain.User, dealID, offerID int64, mails [][]byte) map[string]string {
	t.Helper()
	ctx := context.Background()
	out := map[string]string{}
	dd, err := svc.Deals.DealDetail(ctx, v, dealID)
	if err != nil {
		t.Fatal(err)
	}
	out["deal page"] = fmt.Sprintf("%+v", dd)
	if od, err := svc.Offers.OfferDetail(ctx, v, offerID); err == nil {
		out["offer page"] = fmt.Sprintf("%+v", od)
	}
	res, err := svc.Desk.Search(ctx, v, "zebra")
	if err != nil {
		t.Fatal(err)
	}
	out["search"] = fmt.Sprintf("%+v", res)
	out["inbox"] = inboxOf(t, svc, v)
	var b strings.Builder
	for _, raw := range mails {
		m, err := mail.ReadMessage(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(m.Header.Get("To"), v.Email) {
			text, html := parts(t, m)
			fmt.Fprintf(&b, "%s\n%s\n%s\n", m.Header.Get("Subject"), text, html)
		}
	}
	out["e-mail"] = b.String()
	return out
}

// sent is every message the inbox took, as it came.
func (b *inbox) sent() [][]byte {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([][]byte(nil), b.raw...)
}

func inboxOf(t *testing.T, svc *service.Service, v domain.User) string {
	t.Helper()
	ns, _, err := svc.Desk.Notifications(context.Background(), v, readPage())
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%+v", ns)
}

// queued counts the deliveries and e-mails not yet done with.
func queued(t *testing.T, d *db.DB) int64 {
	t.Helper()
	var n int64
	if err := d.Read.Raw(`SELECT COUNT(*) FROM river_job WHERE kind IN ('webhook_delivery', 'email_notification')
		AND state NOT IN ('completed', 'cancelled', 'discarded')`).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func delivery(t *testing.T, svc *service.Service, admin domain.User, endpointID int64, eventType string) domain.WebhookDelivery {
	t.Helper()
	_, ds, _, err := svc.Deliveries.WebhookDeliveries(context.Background(), admin, endpointID, read.Page{Number: 1, Size: 200})
	if err != nil {
		t.Fatal(err)
	}
	for _, dl := range ds {
		if dl.EventType == eventType {
			return dl
		}
	}
	t.Fatalf("no %s delivery", eventType)
	return domain.WebhookDelivery{}
}

func attempts(t *testing.T, svc *service.Service, admin domain.User, endpointID int64, eventType string) int {
	return delivery(t, svc, admin, endpointID, eventType).Attempts
}

// A hold that commits while a delivery is connecting (after the check as
// the attempt begins, before its body leaves) still stops it: the body
// asks once more as it is about to be written.
func TestAHoldWhileConnectingStopsTheDelivery(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := testenv.NewWorld(t, d)
		var hold func()
		var once sync.Once
		dialer := &net.Dialer{}
		client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			once.Do(func() { hold() }) // the salesperson holds it just as the delivery connects
			return dialer.DialContext(ctx, network, addr)
		}}}
		q, err := jobs.For(ctx, d, jobs.Config{HTTP: client, RetryPolicy: soon{}, PollInterval: 100 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		svc := service.New(w.Store, service.WithClock(w.Clock), service.WithOutbox(q), service.WithPrivateWebhookTargets(true))
		w.Svc = svc
		admin, sales, devrel := w.User("Ada Admin", domain.RoleManager, testenv.Admin), w.User("Sam Sales", domain.RoleSales), w.User("Dee DevRel", domain.RoleDevRel)
		rcv := newReceiver(t)
		ep, err := svc.Deliveries.CreateWebhookEndpoint(ctx, admin, domain.WebhookInput{URL: rcv.srv.URL, Kind: "standard", EventTypes: []string{"offer.clear"}})
		if err != nil {
			t.Fatal(err)
		}
		rcv.secret = ep.Secret
		acc, _ := w.Account(sales, "Northwind")
		deal := w.Deal(sales, acc.ID, "Fleet")
		w.Assign(deal.ID, devrel)
		o, err := svc.Offers.ProposeOffer(ctx, devrel, deal.ID, domain.OfferProposal{Title: "Zebra discount lever", Kind: "idea"}, true)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := svc.Offers.MoveOffer(ctx, sales, o.ID, domain.OfferClear, domain.OfferInput{}); err != nil {
			t.Fatal(err)
		}
		hold = func() {
			if _, _, err := svc.Offers.MoveOffer(ctx, sales, o.ID, domain.OfferHold, domain.OfferInput{Trigger: "if they push on price"}); err != nil {
				t.Error(err)
			}
		}
		if err := q.Work(ctx, svc.Deliveries); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = q.Stop(context.Background()) })
		until(t, "the delivery to be withheld", func() bool {
			return delivery(t, svc, admin, ep.ID, "offer.clear").Status == domain.DeliveryWithheld
		})
		for _, r := range rcv.all() {
			if strings.Contains(string(r.Body), "Zebra") {
				t.Errorf("the receiver got the title after the hold: %s", r.Body)
			}
		}
	})
}
