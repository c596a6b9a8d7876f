package jobs_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river/rivertype"

	"github.com/presale/presale/db"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/jobs"
	"github.com/presale/presale/internal/read"
	"github.com/presale/presale/internal/service"
	"github.com/presale/presale/internal/testenv"
)

// The Standard Webhooks specification's own example: the signature must
// come out as it says.
func TestSignMatchesTheSpecificationsExample(t *testing.T) {
	got := jobs.Sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, []byte(`{"test": 2432232314}`))
	if want := "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="; got != want {
		t.Fatalf("signature %s, want %s", got, want)
	}
}

// received is one request the receiver got.
type received struct {
	ID, Timestamp, Signature string
	Body                     []byte
	Verified                 bool
	Answered                 int
}

// receiver is a real HTTP endpoint that checks each delivery the way the
// Standard Webhooks specification tells receivers to, and can be told to
// fail.
type receiver struct {
	t      *testing.T
	secret string
	mu     sync.Mutex
	got    []received
	fail   map[string]int // event type → how many more times to answer 500
	// failFirst, if set, says which webhook-ids to answer 500 (once each).
	failFirst func(id string) bool
	srv       *httptest.Server
}

func newReceiver(t *testing.T) *receiver {
	r := &receiver{t: t, fail: map[string]int{}}
	r.srv = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) serve(w http.ResponseWriter, req *http.Request) {
	body, err := io.ReadAll(req.Body)
	if err != nil {
		// Cut off before its body came: the sender's last look found the
		// subject private once the connection was made (jobs.lastLook),
		// and sent nothing. A receiver has no delivery here.
		return
	}
	rec := received{ID: req.Header.Get("webhook-id"), Timestamp: req.Header.Get("webhook-timestamp"), Signature: req.Header.Get("webhook-signature"), Body: body}
	r.mu.Lock()
	defer r.mu.Unlock()
	rec.Verified = verify(r.secret, rec)
	var msg struct{ Type string }
	_ = json.Unmarshal(body, &msg)
	rec.Answered = http.StatusNoContent
	if r.fail[msg.Type] > 0 {
		r.fail[msg.Type]--
		rec.Answered = http.StatusInternalServerError
	}
	if r.failFirst != nil && r.failFirst(rec.ID) {
		rec.Answered = http.StatusInternalServerError
	}
	r.got = append(r.got, rec)
	w.WriteHeader(rec.Answered)
}

// verify checks a delivery as the specification's receivers do: the
// timestamp within five minutes, and one of the space-separated v1
// signatures equal to HMAC-SHA256 of "id.timestamp.body" under the
// base64-decoded secret.
func verify(secret string, rec received) bool {
	ts, err := strconv.ParseInt(rec.Timestamp, 10, 64)
	if err != nil || time.Since(time.Unix(ts, 0)).Abs() > 5*time.Minute || rec.ID == "" {
		return false
	}
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	if err != nil {
		return false
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(rec.ID + "." + rec.Timestamp + "." + string(rec.Body)))
	want := mac.Sum(nil)
	for _, sig := range strings.Fields(rec.Signature) {
		version, value, _ := strings.Cut(sig, ",")
		got, err := base64.StdEncoding.DecodeString(value)
		if version == "v1" && err == nil && hmac.Equal(got, want) {
			return true
		}
	}
	return false
}

func (r *receiver) all() []received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]received(nil), r.got...)
}

// soon retries after a tenth of a second, so a test sees a retry.
type soon struct{}

func (soon) NextRetry(*rivertype.JobRow) time.Time { return time.Now().Add(100 * time.Millisecond) }

// hooked is a world with a job queue (working or not), an administrator
// and a salesperson.
func hooked(t *testing.T, d *db.DB, work bool) (*testenv.World, *service.Service, domain.User, domain.User) {
	w := testenv.NewWorld(t, d)
	_, svc := queue(t, w, work)
	return w, svc, w.User("Ada Admin", domain.RoleManager, func(u *service.NewUser) { u.Admin = true }), w.User("Sam Sales", domain.RoleSales)
}

// queue starts a job queue on the world's database; the service the
// world uses then queues through it.
func queue(t *testing.T, w *testenv.World, work bool) (*jobs.Jobs, *service.Service) {
	t.Helper()
	return startQueue(t, w, jobs.Config{}, work)
}

// startQueue is queue with more configuration (e-mail); retries come soon
// and the queue looks for work every tenth of a second.
func startQueue(t *testing.T, w *testenv.World, cfg jobs.Config, work bool) (*jobs.Jobs, *service.Service) {
	t.Helper()
	ctx := context.Background()
	cfg.RetryPolicy, cfg.PollInterval = soon{}, 100*time.Millisecond
	cfg.AllowPrivateTargets = true // the receivers are on loopback
	q, err := jobs.For(ctx, w.DB, cfg)
	if err != nil {
		t.Fatal(err)
	}
	svc := service.New(w.Store, service.WithClock(w.Clock), service.WithOutbox(q), service.WithBaseURL("https://presale.example"),
		service.WithPrivateWebhookTargets(true))
	w.Svc = svc
	if work {
		if err := q.Work(ctx, svc.Deliveries); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			stop, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			_ = q.Stop(stop)
		})
	}
	return q, svc
}

// until waits for cond, failing after 30 seconds (River's scheduler moves
// a retry on every 5 s).
func until(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("waited 30 s for %s", what)
}

// Deliveries are signed as the specification says, retried after a 500
// with the same webhook-id, logged per endpoint; private changes send
// nothing, and no payload carries the reserve, sync notes or notes.
func TestWebhooksAreSignedRetriedAndKeepPrivateThingsOut(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w, svc, admin, sales := hooked(t, d, true)
		devrel := w.User("Dee DevRel", domain.RoleDevRel)

		rcv := newReceiver(t)
		all := make([]string, len(domain.WebhookEvents))
		for i, e := range domain.WebhookEvents {
			all[i] = e.Type
		}
		ep, err := svc.Deliveries.CreateWebhookEndpoint(ctx, admin, domain.WebhookInput{URL: rcv.srv.URL + "/hook", Kind: "standard", EventTypes: all})
		if err != nil {
			t.Fatal(err)
		}
		rcv.secret = ep.Secret
		rcv.fail["deal.created"] = 1

		acc, _ := w.Account(sales, "Northwind")
		deal := w.Deal(sales, acc.ID, "Fleet telematics")
		w.Assign(deal.ID, devrel)
		// Private: a draft, a hold with its trigger, sync notes, a note.
		const secretTitle, trigger, syncNotes, note = "Secret discount idea", "if they push on price", "Keep the discount back", "Internal: CFO is hostile"
		draft, err := svc.Offers.ProposeOffer(ctx, devrel, deal.ID, domain.OfferProposal{Title: secretTitle, Kind: "idea"}, false)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := svc.Offers.MoveOffer(ctx, devrel, draft.ID, domain.OfferSubmit, domain.OfferInput{}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := svc.Offers.MoveOffer(ctx, sales, draft.ID, domain.OfferHold, domain.OfferInput{Trigger: trigger}); err != nil {
			t.Fatal(err)
		}
		m := w.Meeting(sales, deal.ID, "Demo", 30, sales, devrel)
		if _, err := svc.Meetings.SaveSync(ctx, sales, m.ID, 0, domain.SyncInput{Notes: syncNotes, MayRaise: secretTitle}); err != nil {
			t.Fatal(err)
		}
		if err := svc.Deals.AddNote(ctx, sales, deal.ID, note); err != nil {
			t.Fatal(err)
		}

		until(t, "the deal's creation, retried, to be delivered", func() bool {
			_, ds, _, err := svc.Deliveries.WebhookDeliveries(ctx, admin, ep.ID, readPage())
			if err != nil {
				t.Fatal(err)
			}
			for _, dl := range ds {
				if dl.EventType == "deal.created" && dl.Status == domain.DeliveryDelivered {
					return true
				}
			}
			return false
		})
		_, ds, _, _ := svc.Deliveries.WebhookDeliveries(ctx, admin, ep.ID, readPage())
		byType := map[string]domain.WebhookDelivery{}
		for _, dl := range ds {
			byType[dl.EventType] = dl
		}
		if dl := byType["deal.created"]; dl.Attempts != 2 || dl.ResponseCode != http.StatusNoContent {
			t.Errorf("deal.created: %d attempts, answer %d", dl.Attempts, dl.ResponseCode)
		}
		// The proposal's news goes out only if it is sent before the hold
		// that follows it; after, it is withheld.
		withheld := 0
		until(t, "every delivery to arrive or be withheld", func() bool {
			_, ds, _, _ = svc.Deliveries.WebhookDeliveries(ctx, admin, ep.ID, readPage())
			withheld = 0
			for _, dl := range ds {
				switch dl.Status {
				case domain.DeliveryPending:
					return false
				case domain.DeliveryWithheld:
					withheld++
				}
			}
			return len(rcv.all()) == len(ds)-withheld+1
		})
		if withheld > 1 {
			t.Errorf("%d deliveries withheld; only the proposal's may be", withheld)
		}

		ids := map[string]int{}
		for _, r := range rcv.all() {
			if !r.Verified {
				t.Errorf("delivery %s failed the signature check: %s", r.ID, r.Signature)
			}
			ids[r.ID]++
			for _, private := range []string{secretTitle, trigger, syncNotes, note} {
				if strings.Contains(string(r.Body), private) {
					t.Errorf("a delivery carries %q: %s", private, r.Body)
				}
			}
		}
		if ids[byType["deal.created"].MessageID] != 2 {
			t.Errorf("the retry kept its webhook-id: %v", ids)
		}
		for _, want := range []string{"deal.created", "account.created", "offer.submit", "meeting.created"} {
			if _, ok := byType[want]; !ok {
				t.Errorf("no %s delivery; got %v", want, keys(byType))
			}
		}
		for _, never := range []string{"offer.hold", "offer.created", "sync.updated", "note.created"} {
			if _, ok := byType[never]; ok {
				t.Errorf("a private change was sent: %s", never)
			}
		}
		var payload struct {
			Type string
			Data map[string]any
		}
		if err := json.Unmarshal([]byte(byType["deal.created"].Payload), &payload); err != nil || payload.Data["title"] != "Fleet telematics" ||
			payload.Data["url"] != fmt.Sprint("https://presale.example/deals/", deal.ID) {
			t.Errorf("deal.created payload: %s", byType["deal.created"].Payload)
		}
	})
}

// A Slack endpoint gets a readable Block Kit message, unsigned, with a
// button back to the page; what people typed cannot become Slack markup.
func TestSlackEndpointsGetBlockKitMessages(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w, svc, admin, sales := hooked(t, d, true)
		rcv := newReceiver(t)
		if _, err := svc.Deliveries.CreateWebhookEndpoint(ctx, admin, domain.WebhookInput{URL: rcv.srv.URL, Kind: "slack",
			EventTypes: []string{"support_request.created", "offer.submit"}}); err != nil {
			t.Fatal(err)
		}
		acc, _ := w.Account(sales, "Northwind")
		deal := w.Deal(sales, acc.ID, "Fleet <@channel>")
		if _, err := svc.Support.RequestSupport(ctx, sales, deal.ID, domain.SupportInput{Kind: "demo", Details: "Show the dashboard", NeededBy: w.Clock().AddDate(0, 0, 3).Format(domain.DateLayout)}); err != nil {
			t.Fatal(err)
		}
		until(t, "the Slack message", func() bool { return len(rcv.all()) == 1 })
		r := rcv.all()[0]
		var msg struct {
			Text   string
			Blocks []map[string]any
		}
		if err := json.Unmarshal(r.Body, &msg); err != nil || len(msg.Blocks) != 2 || r.Signature != "" {
			t.Fatalf("Slack message: %s (signature %q)", r.Body, r.Signature)
		}
		if !strings.Contains(msg.Text, "Support request (Demo)") || !strings.Contains(msg.Text, "Fleet &lt;@channel&gt;") || strings.Contains(msg.Text, "<@channel>") {
			t.Errorf("text: %q", msg.Text)
		}
		if !strings.Contains(string(r.Body), "https://presale.example/support-requests/") {
			t.Errorf("no link back: %s", r.Body)
		}
	})
}

// A delivery queued before a restart is sent after it: the queue is in
// the database, not in the process.
func TestADeliverySurvivesARestart(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w, svc, admin, sales := hooked(t, d, false) // queues, sends nothing: the process "stops" here
		rcv := newReceiver(t)
		ep, err := svc.Deliveries.CreateWebhookEndpoint(ctx, admin, domain.WebhookInput{URL: rcv.srv.URL, Kind: "standard", EventTypes: []string{"deal.created"}})
		if err != nil {
			t.Fatal(err)
		}
		rcv.secret = ep.Secret
		acc, _ := w.Account(sales, "Northwind")
		w.Deal(sales, acc.ID, "Fleet")
		if n := len(rcv.all()); n != 0 || queued(t, d) != 1 {
			t.Fatalf("%d sent with no queue working, or not queued", n)
		}
		queue(t, w, true) // the next start
		until(t, "the delivery after the restart", func() bool { return len(rcv.all()) == 1 })
		if !rcv.all()[0].Verified {
			t.Error("signature")
		}
	})
}

func readPage() read.Page { return read.Page{Number: 1, Size: 200} }

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// What comes due without a change is announced once, to Slack too: a
// request past its needed-by date nobody claimed, a meeting within a day
// whose sync is not in place.
func TestRemindersReachSlackOnce(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
		var mu sync.Mutex
		w := testenv.NewWorld(t, d, func() time.Time { mu.Lock(); defer mu.Unlock(); now = now.Add(time.Millisecond); return now })
		advance := func(by time.Duration) { mu.Lock(); now = now.Add(by); mu.Unlock() }
		_, svc := queue(t, w, true)
		admin := w.User("Ada Admin", domain.RoleManager, func(u *service.NewUser) { u.Admin = true })
		sales, devrel := w.User("Sam Sales", domain.RoleSales), w.User("Dee DevRel", domain.RoleDevRel)
		rcv := newReceiver(t)
		if _, err := svc.Deliveries.CreateWebhookEndpoint(ctx, admin, domain.WebhookInput{URL: rcv.srv.URL, Kind: "slack",
			EventTypes: []string{"support_request.overdue", "meeting.sync_due"}}); err != nil {
			t.Fatal(err)
		}
		acc, _ := w.Account(sales, "Northwind")
		deal := w.Deal(sales, acc.ID, "Fleet")
		w.Assign(deal.ID, devrel)
		if _, err := svc.Support.RequestSupport(ctx, sales, deal.ID, domain.SupportInput{Kind: "poc", Details: "Run the POC", NeededBy: "2026-11-28"}); err != nil {
			t.Fatal(err)
		}
		w.Meeting(sales, deal.ID, "Negotiation", 60, sales, devrel)
		if n, err := svc.Deliveries.SweepReminders(ctx); err != nil || n != 0 {
			t.Fatalf("nothing is due yet: %d %v", n, err)
		}
		advance(48 * time.Hour) // the request's date has passed; the meeting is 12 h away
		if n, err := svc.Deliveries.SweepReminders(ctx); err != nil || n != 2 {
			t.Fatalf("due now: %d %v", n, err)
		}
		if n, err := svc.Deliveries.SweepReminders(ctx); err != nil || n != 0 {
			t.Fatalf("said twice: %d %v", n, err)
		}
		until(t, "two Slack messages", func() bool { return len(rcv.all()) == 2 })
		var texts []string
		for _, r := range rcv.all() {
			var msg struct{ Text string }
			_ = json.Unmarshal(r.Body, &msg)
			texts = append(texts, msg.Text)
		}
		joined := strings.Join(texts, "\n")
		if !strings.Contains(joined, "past its needed-by date, needed by 2026-11-28") || !strings.Contains(joined, "“Negotiation” on “Fleet” starts within 24 hours") {
			t.Errorf("messages: %s", joined)
		}
		inbox, _, err := svc.Desk.Notifications(ctx, sales, read.Page{Number: 1, Size: 10})
		if err != nil || len(inbox) < 2 {
			t.Errorf("the salesperson's inbox: %d %v", len(inbox), err)
		}
	})
}

// Two instances share the database, each with its own queue working: a
// burst of changes on both, an endpoint that fails a quarter of first
// attempts. Every delivery arrives, signed, once with a 2xx; none is lost.
func TestWebhooksFromTwoInstancesLoseNothing(t *testing.T) {
	testenv.ForEachEngineTwice(t, func(t *testing.T, da, dbb *db.DB) {
		ctx := context.Background()
		wa, wb := testenv.NewWorld(t, da), testenv.NewWorld(t, dbb)
		_, sa := queue(t, wa, true)
		_, sb := queue(t, wb, true)
		admin := wa.User("Ada Admin", domain.RoleManager, func(u *service.NewUser) { u.Admin = true })
		sales := wa.User("Sam Sales", domain.RoleSales)
		rcv := newReceiver(t)
		failed := map[string]bool{}
		var fmu sync.Mutex
		rcv.failFirst = func(id string) bool {
			fmu.Lock()
			defer fmu.Unlock()
			if failed[id] || id == "" || id[len(id)-1]%4 != 0 {
				return false // about a quarter fail their first attempt
			}
			failed[id] = true
			return true
		}
		ep, err := sa.Deliveries.CreateWebhookEndpoint(ctx, admin, domain.WebhookInput{URL: rcv.srv.URL, Kind: "standard", EventTypes: []string{"deal.created", "deal.updated"}})
		if err != nil {
			t.Fatal(err)
		}
		rcv.secret = ep.Secret
		acc, _ := wa.Account(sales, "Northwind")
		const each = 40
		errs := testenv.Together(
			func() error { return burst(ctx, sa, sales, acc.ID, "A", each) },
			func() error { return burst(ctx, sb, sales, acc.ID, "B", each) },
		)
		for _, err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		var deliveries int64
		if err := da.Read.Raw("SELECT COUNT(*) FROM webhook_deliveries").Scan(&deliveries).Error; err != nil || deliveries != 2*each {
			t.Fatalf("%d deliveries recorded (%v), want %d", deliveries, err, 2*each)
		}
		okOnce := func() map[string]int {
			ok := map[string]int{}
			for _, r := range rcv.all() {
				if r.Answered < 300 {
					ok[r.ID]++
				}
			}
			return ok
		}
		// Every delivery arrived and nothing is left queued: anything sent
		// twice has been by now.
		until(t, "every delivery to arrive and the queue to drain", func() bool { return len(okOnce()) == 2*each && queued(t, da) == 0 })
		all, retries, unsigned, twice := rcv.all(), 0, 0, 0
		for _, r := range all {
			if r.Answered >= 300 {
				retries++
			}
			if !r.Verified {
				unsigned++
			}
		}
		for _, n := range okOnce() {
			if n > 1 {
				twice++
			}
		}
		var pending int64
		da.Read.Raw("SELECT COUNT(*) FROM webhook_deliveries WHERE status <> ?", domain.DeliveryDelivered).Scan(&pending)
		t.Logf("%d deliveries from two instances: %d requests, %d retried after a 500, %d lost, %d delivered twice, %d not delivered in the table",
			deliveries, len(all), retries, int64(2*each)-int64(len(okOnce())), twice, pending)
		if unsigned > 0 || twice > 0 || retries == 0 || pending > 0 {
			t.Errorf("unsigned %d, delivered twice %d, retries %d, not marked delivered %d", unsigned, twice, retries, pending)
		}
	})
}

// burst opens n deals through one instance's service.
func burst(ctx context.Context, svc *service.Service, owner domain.User, accountID int64, prefix string, n int) error {
	for i := range n {
		if _, err := svc.Deals.CreateDeal(ctx, owner, domain.DealInput{Title: fmt.Sprint(prefix, " deal ", i), AccountID: fmt.Sprint(accountID),
			Stage: "discovery", Amount: "1000", Currency: "USD", TechnicalStatus: "not_started"}); err != nil {
			return err
		}
	}
	return nil
}

// later retries an hour after a failure, so the schedule can be read.
type later struct{}

func (later) NextRetry(*rivertype.JobRow) time.Time { return time.Now().Add(time.Hour) }

// After a failed attempt the delivery log shows River's own next attempt,
// the time River will try, read from River: not one drawn beside it.
func TestTheLogShowsRiversNextAttempt(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := testenv.NewWorld(t, d)
		q, err := jobs.For(ctx, d, jobs.Config{RetryPolicy: later{}, PollInterval: 100 * time.Millisecond, AllowPrivateTargets: true})
		if err != nil {
			t.Fatal(err)
		}
		svc := service.New(w.Store, service.WithClock(w.Clock), service.WithOutbox(q), service.WithPrivateWebhookTargets(true))
		w.Svc = svc
		admin, sales := w.User("Ada Admin", domain.RoleManager, testenv.Admin), w.User("Sam Sales", domain.RoleSales)
		rcv := newReceiver(t)
		rcv.fail["deal.created"] = 1
		ep, err := svc.Deliveries.CreateWebhookEndpoint(ctx, admin, domain.WebhookInput{URL: rcv.srv.URL, Kind: "standard", EventTypes: []string{"deal.created"}})
		if err != nil {
			t.Fatal(err)
		}
		acc, _ := w.Account(sales, "Northwind")
		w.Deal(sales, acc.ID, "Fleet")
		if err := q.Work(ctx, svc.Deliveries); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = q.Stop(context.Background()) })
		var dl domain.WebhookDelivery
		until(t, "the failed attempt and its schedule", func() bool {
			dl = delivery(t, svc, admin, ep.ID, "deal.created")
			return dl.Attempts == 1 && dl.NextAttemptAt != nil
		})
		var scheduled time.Time
		if err := d.Read.Raw("SELECT scheduled_at FROM river_job WHERE id = ?", *dl.JobID).Row().Scan(&scheduled); err != nil {
			t.Fatal(err)
		}
		if !dl.NextAttemptAt.Equal(scheduled) || time.Until(scheduled) < 50*time.Minute {
			t.Errorf("the log says %s, River %s", dl.NextAttemptAt, scheduled)
		}
	})
}
