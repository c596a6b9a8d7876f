package service

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
	"github.com/presale/presale/internal/store"
)

// Outbox takes webhook deliveries to send, in the transaction of the
// change they report: they are sent once it commits, and never for a
// change that rolled back.
type Outbox interface {
	Enqueue(ctx context.Context, tx *sql.Tx, deliveryIDs []int64) (jobIDs []int64, err error)
	// NextAttempts is the queue's own schedule of jobs still to run.
	NextAttempts(ctx context.Context, jobIDs []int64) (map[int64]time.Time, error)
	// SendsEmail reports whether e-mail is set up; EnqueueEmails queues
	// notifications to e-mail and EnqueueDigest a person's daily digest.
	SendsEmail() bool
	EnqueueEmails(ctx context.Context, tx *sql.Tx, notificationIDs []int64) error
	EnqueueDigest(ctx context.Context, tx *sql.Tx, userID int64, day string) error
}

// WithOutbox sends webhook deliveries through o (the durable job queue).
// Without one, deliveries are recorded and stay pending.
func WithOutbox(o Outbox) Option { return func(s *Service) { s.outbox = o } }

// WithPrivateWebhookTargets lets endpoints be on private, loopback or
// link-local addresses (PRESALE_WEBHOOK_PRIVATE_TARGETS=allow).
func WithPrivateWebhookTargets(allow bool) Option { return func(s *Service) { s.privateHooks = allow } }

// Deliveries are what leaves presale: webhook endpoints and their
// deliveries, e-mail and the daily digest (email.go), and the reminders
// the sweep says. The job queue (internal/jobs) asks them what to send.
type Deliveries struct {
	*core
	deals    *Deals    // a digest's next steps
	meetings *Meetings // a digest's meetings
	offers   *Offers   // a digest's offers and promises
	support  *Support  // a digest's support requests and load
}

// publicTarget refuses an endpoint whose host is, or now resolves to, a
// private address (domain.PrivateAddress), unless the operator allows
// them. A name that does not resolve yet is taken: the queue checks the
// address again as it connects.
func (s *Deliveries) publicTarget(ctx context.Context, raw string) error {
	if s.privateHooks {
		return nil
	}
	u, err := url.Parse(raw)
	if err != nil {
		return err
	}
	refuse := domain.ValidationErrors{"url": domain.PrivateTargetMessage}
	host := u.Hostname()
	if domain.LocalHostName(host) {
		return refuse
	}
	if ip, err := netip.ParseAddr(host); err == nil {
		if domain.PrivateAddress(ip) {
			return refuse
		}
		return nil
	}
	lookup, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	ips, _ := net.DefaultResolver.LookupNetIP(lookup, "ip", host)
	if slices.ContainsFunc(ips, domain.PrivateAddress) {
		return refuse
	}
	return nil
}

// WithBaseURL makes links in webhook payloads absolute.
func WithBaseURL(u string) Option { return func(s *Service) { s.baseURL = strings.TrimSuffix(u, "/") } }

// CreateWebhookEndpoint registers an endpoint; its signing secret is
// returned this once.
func (s *Deliveries) CreateWebhookEndpoint(ctx context.Context, actor domain.User, in domain.WebhookInput) (domain.WebhookEndpoint, error) {
	if err := domain.Authorize(actor, domain.ActionManageSettings, domain.Organisation{}); err != nil {
		return domain.WebhookEndpoint{}, err
	}
	e := domain.WebhookEndpoint{Active: true, CreatedAt: s.now().UTC()}
	if err := in.Apply(&e); err != nil {
		return e, err
	}
	if err := s.publicTarget(ctx, e.URL); err != nil {
		return e, err
	}
	e.Secret = newWebhookSecret()
	err := s.write(ctx, &actor, func(tx *store.Store) ([]Change, error) {
		if err := tx.Deliveries().CreateWebhookEndpoint(ctx, &e); err != nil {
			return nil, err
		}
		return []Change{{Event: domain.Event{Action: "created", Entity: domain.EntitySettings, EntityID: e.ID, After: "webhook endpoint " + e.URL}}}, nil
	})
	return e, err
}

// newWebhookSecret is a signing secret as Standard Webhooks writes them:
// whsec_ and 24 random bytes in base64.
func newWebhookSecret() string {
	key := make([]byte, 24)
	_, _ = rand.Read(key)
	return "whsec_" + base64.StdEncoding.EncodeToString(key)
}

// RotateWebhookSecret gives an endpoint a new signing secret, returned
// this once. The old one still signs beside it for domain.SecretOverlap.
func (s *Deliveries) RotateWebhookSecret(ctx context.Context, actor domain.User, id int64) (domain.WebhookEndpoint, error) {
	return s.changeEndpoint(ctx, actor, id, func(tx *store.Store, e *domain.WebhookEndpoint) (domain.Event, error) {
		until := s.now().UTC().Add(domain.SecretOverlap)
		e.PreviousSecret, e.PreviousSecretUntil, e.Secret = e.Secret, &until, newWebhookSecret()
		return domain.Event{Action: "updated", After: "webhook endpoint " + e.URL + ": new signing secret; the old one signs too until " + until.Format(time.RFC3339)},
			tx.Deliveries().RotateWebhookSecret(ctx, *e)
	})
}

// DeleteWebhookEndpoint removes an endpoint and its delivery log; what was
// queued for it is not sent.
func (s *Deliveries) DeleteWebhookEndpoint(ctx context.Context, actor domain.User, id int64) (domain.WebhookEndpoint, error) {
	return s.changeEndpoint(ctx, actor, id, func(tx *store.Store, e *domain.WebhookEndpoint) (domain.Event, error) {
		return domain.Event{Action: "deleted", Before: "webhook endpoint " + e.URL}, tx.Deliveries().DeleteWebhookEndpoint(ctx, id)
	})
}

// changeEndpoint is an administrator's change of one endpoint, made on
// the endpoint as locked in the change's transaction (a rotation, a pause
// and a delete take turns), with its event.
func (s *Deliveries) changeEndpoint(ctx context.Context, actor domain.User, id int64, change func(tx *store.Store, e *domain.WebhookEndpoint) (domain.Event, error)) (domain.WebhookEndpoint, error) {
	if err := domain.Authorize(actor, domain.ActionManageSettings, domain.Organisation{}); err != nil {
		return domain.WebhookEndpoint{}, err
	}
	var e domain.WebhookEndpoint
	err := s.write(ctx, &actor, func(tx *store.Store) ([]Change, error) {
		var err error
		if e, err = tx.Deliveries().LockWebhookEndpoint(ctx, id); err != nil {
			return nil, err
		}
		ev, err := change(tx, &e)
		ev.Entity, ev.EntityID = domain.EntitySettings, id
		return []Change{{Event: ev}}, err
	})
	return e, err
}

// WebhookEndpoints lists the endpoints, for administrators.
func (s *Deliveries) WebhookEndpoints(ctx context.Context, actor domain.User) ([]domain.WebhookEndpoint, error) {
	if err := domain.Authorize(actor, domain.ActionManageSettings, domain.Organisation{}); err != nil {
		return nil, err
	}
	return s.store.Deliveries().WebhookEndpoints(ctx)
}

// WebhookDeliveries lists one page of an endpoint's deliveries.
func (s *Deliveries) WebhookDeliveries(ctx context.Context, actor domain.User, endpointID int64, p read.Page) (domain.WebhookEndpoint, []domain.WebhookDelivery, int64, error) {
	if err := domain.Authorize(actor, domain.ActionManageSettings, domain.Organisation{}); err != nil {
		return domain.WebhookEndpoint{}, nil, 0, err
	}
	e, err := s.store.Deliveries().WebhookEndpoint(ctx, endpointID)
	if err != nil {
		return e, nil, 0, err
	}
	ds, n, err := s.store.Deliveries().WebhookDeliveries(ctx, endpointID, p)
	if err != nil || s.outbox == nil {
		return e, ds, n, err
	}
	var jobs []int64
	for _, d := range ds {
		if d.Status == domain.DeliveryPending && d.JobID != nil {
			jobs = append(jobs, *d.JobID)
		}
	}
	next, err := s.outbox.NextAttempts(ctx, jobs) // River's schedule, not one of our own
	for i, d := range ds {
		if at, ok := next[ptrValue(d.JobID)]; ok && d.Status == domain.DeliveryPending {
			ds[i].NextAttemptAt = &at
		}
	}
	return e, ds, n, err
}

func ptrValue(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

// SetWebhookEndpointActive pauses an endpoint (nothing more is queued for
// it) or resumes it.
func (s *Deliveries) SetWebhookEndpointActive(ctx context.Context, actor domain.User, id int64, active bool) (domain.WebhookEndpoint, error) {
	return s.changeEndpoint(ctx, actor, id, func(tx *store.Store, e *domain.WebhookEndpoint) (domain.Event, error) {
		e.Active = active
		what := "paused"
		if active {
			what = "resumed"
		}
		return domain.Event{Action: "updated", After: "webhook endpoint " + e.URL + " " + what}, tx.Deliveries().SetWebhookEndpointActive(ctx, id, active)
	})
}

// Redeliver sends a delivery again, as it was first sent.
func (s *Deliveries) Redeliver(ctx context.Context, actor domain.User, id int64) (domain.WebhookDelivery, error) {
	if err := domain.Authorize(actor, domain.ActionManageSettings, domain.Organisation{}); err != nil {
		return domain.WebhookDelivery{}, err
	}
	d, err := s.store.Deliveries().WebhookDelivery(ctx, id)
	if err != nil {
		return d, err
	}
	err = s.store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.Deliveries().RequeueWebhookDelivery(ctx, id, s.now().UTC()); err != nil {
			return err
		}
		return s.enqueue(ctx, tx, []int64{id})
	})
	return d, err
}

// WebhookToSend is a delivery with where and how to send it.
type WebhookToSend struct {
	Delivery domain.WebhookDelivery
	Endpoint domain.WebhookEndpoint
	// Withheld: what it reports is no longer for anyone outside the deal
	// team (an endpoint is organisation-wide), so it is not sent.
	Withheld bool
}

// WebhookToSend loads a queued delivery for the job that sends it, and
// decides now, as it is about to go, whether it may: an offer cleared
// when the delivery was queued may be held in reserve by its retry.
func (s *Deliveries) WebhookToSend(ctx context.Context, id int64) (WebhookToSend, error) {
	d, err := s.store.Deliveries().WebhookDelivery(ctx, id)
	if err != nil {
		return WebhookToSend{}, err
	}
	e, err := s.store.Deliveries().WebhookEndpoint(ctx, d.EndpointID)
	if err != nil {
		return WebhookToSend{}, err
	}
	public, err := s.EventPublic(ctx, d.EventID)
	return WebhookToSend{Delivery: d, Endpoint: e, Withheld: !public}, err
}

// EventPublic reports whether an organisation-wide channel (a webhook,
// Slack) may see what an event reports now: asked as a delivery's attempt
// begins and again as its body is about to leave.
func (s *Deliveries) EventPublic(ctx context.Context, eventID int64) (bool, error) {
	reports, err := s.store.Events().Reports(ctx, []int64{eventID})
	return err == nil && reports[eventID].SeenBy(domain.Outsider), err
}

// WithholdWebhook records that a delivery was not sent (WebhookToSend's
// Withheld).
func (s *Deliveries) WithholdWebhook(ctx context.Context, id int64) error {
	return s.store.Deliveries().WithholdWebhookDelivery(ctx, id, domain.WithheldReason, s.now().UTC())
}

// WebhookAttempt is how one attempt went.
type WebhookAttempt struct {
	Code  int    // the endpoint's status, 0 without an answer
	Err   string // what went wrong, if anything
	Final bool   // no attempt follows
}

// RecordWebhookAttempt writes an attempt's outcome onto its delivery.
func (s *Deliveries) RecordWebhookAttempt(ctx context.Context, id int64, a WebhookAttempt) error {
	now := s.now().UTC()
	status, delivered := domain.DeliveryPending, (*time.Time)(nil)
	switch {
	case a.Err == "":
		status, delivered = domain.DeliveryDelivered, &now
	case a.Final:
		status = domain.DeliveryFailed
	}
	return s.store.Deliveries().RecordWebhookAttempt(ctx, id, status, a.Code, a.Err, delivered, now)
}

func (s *core) enqueue(ctx context.Context, tx *store.Store, ids []int64) error {
	if s.outbox == nil || len(ids) == 0 {
		return nil
	}
	jobs, err := s.outbox.Enqueue(ctx, tx.SQLTx(), ids)
	if err != nil {
		return err
	}
	return tx.Deliveries().SetDeliveryJobs(ctx, ids, jobs)
}

// queueWebhooks records a delivery of each reported event to each
// endpoint that wants it and queues them, inside the change's transaction.
func (s *core) queueWebhooks(ctx context.Context, tx *store.Store, events []domain.Event) error {
	var reported []domain.Event
	for _, e := range events {
		if _, ok := domain.WebhookType(e); ok {
			reported = append(reported, e)
		}
	}
	if len(reported) == 0 {
		return nil
	}
	endpoints, err := tx.Deliveries().ActiveWebhookEndpoints(ctx)
	if err != nil || len(endpoints) == 0 {
		return err
	}
	var ds []domain.WebhookDelivery
	for _, e := range reported {
		t, _ := domain.WebhookType(e)
		var msg *webhookMessage
		for _, ep := range endpoints {
			if !ep.Wants(t) {
				continue
			}
			if msg == nil {
				if msg, err = s.webhookMessage(ctx, tx, e, t); err != nil {
					return err
				}
			}
			body, err := msg.body(ep.Kind)
			if err != nil {
				return err
			}
			ds = append(ds, domain.WebhookDelivery{EndpointID: ep.ID, EventID: e.ID, EventType: t, MessageID: "msg_" + rand.Text(),
				Payload: string(body), Status: domain.DeliveryPending, CreatedAt: e.At, UpdatedAt: e.At})
		}
	}
	ids, err := tx.Deliveries().CreateWebhookDeliveries(ctx, ds)
	if err != nil {
		return err
	}
	return s.enqueue(ctx, tx, ids)
}

// decidedOffers are the states in which an offer's title may leave
// presale: the salesperson cleared it (or the customer has it). A proposal
// still waits for the salesperson, who may hold it in reserve.
var decidedOffers = []domain.OfferStatus{domain.OfferCleared, domain.OfferShared, domain.OfferAccepted, domain.OfferRejected}

// webhookMessage is one event as webhooks tell it: public facts only.
type webhookMessage struct {
	Type      string         `json:"type"`
	Timestamp time.Time      `json:"timestamp"`
	Data      map[string]any `json:"data"`
	text      string         // a sentence, for Slack
	link      string
}

// body is the message as an endpoint of kind k takes it.
func (m *webhookMessage) body(k domain.WebhookKind) ([]byte, error) {
	if k != domain.WebhookSlack {
		return json.Marshal(m)
	}
	return slackBlocks(m.text, m.link)
}

// webhookMessage reads what a payload may carry about an event's subject.
// Never a reserved or draft offer's title, a trigger, sync notes or notes.
func (s *core) webhookMessage(ctx context.Context, tx *store.Store, e domain.Event, t string) (*webhookMessage, error) {
	m := &webhookMessage{Type: t, Timestamp: e.At, Data: map[string]any{"id": e.EntityID}}
	if e.ActorID != nil {
		m.Data["actor_id"] = *e.ActorID
	}
	var deal domain.Deal
	if e.DealID != nil {
		m.Data["deal_id"] = *e.DealID
		var err error
		if deal, err = tx.Deals().DealByID(ctx, *e.DealID); err != nil {
			return nil, err
		}
		m.link = s.baseURL + fmt.Sprint("/deals/", deal.ID)
	}
	on := fmt.Sprintf("on “%s”", deal.Title)
	switch e.Entity {
	case domain.EntityDeal:
		m.Data["title"], m.Data["stage"], m.Data["owner_id"] = deal.Title, deal.Stage, deal.OwnerID
		m.Data["amount"], m.Data["currency"] = domain.DecimalAmount(deal.AmountMinor), deal.Currency
		m.text = fmt.Sprintf("Deal “%s”: %s, %s %s", deal.Title, deal.Stage.Label(), domain.DecimalAmount(deal.AmountMinor), deal.Currency)
	case domain.EntityAccount:
		a, err := tx.Accounts().AccountByID(ctx, e.EntityID)
		if err != nil {
			return nil, err
		}
		m.Data["name"] = a.Name
		m.text, m.link = fmt.Sprintf("New account: %s", a.Name), s.baseURL+fmt.Sprint("/accounts/", a.ID)
	case domain.EntityMeeting:
		mt, err := tx.Meetings().MeetingByID(ctx, e.EntityID)
		if err != nil {
			return nil, err
		}
		m.Data["title"], m.Data["starts_at"], m.Data["ends_at"], m.Data["status"] = mt.Title, mt.StartsAt.UTC(), mt.EndsAt.UTC(), mt.Status
		m.text = fmt.Sprintf("Meeting “%s” %s (%s UTC) is %s", mt.Title, on, mt.StartsAt.UTC().Format("2006-01-02 15:04"), mt.Status)
		if e.Action == domain.ActionSyncDue {
			m.text = fmt.Sprintf("Meeting “%s” %s starts within 24 hours (%s UTC) and is not in sync: the salesperson and DevRel have not both confirmed",
				mt.Title, on, mt.StartsAt.UTC().Format("2006-01-02 15:04"))
		}
		m.link = s.baseURL + fmt.Sprint("/meetings/", mt.ID)
	case domain.EntitySync:
		m.text = fmt.Sprintf("A side confirmed the pre-meeting sync for a meeting %s", on)
	case domain.EntitySupportRequest:
		r, err := tx.Support().SupportRequestByID(ctx, e.EntityID)
		if err != nil {
			return nil, err
		}
		m.Data["kind"], m.Data["status"] = r.Kind, r.Status
		needed := ""
		if r.NeededBy != nil {
			m.Data["needed_by"] = r.NeededBy.Format(domain.DateLayout)
			needed = ", needed by " + r.NeededBy.Format(domain.DateLayout)
		}
		if r.ClaimedByID != nil {
			m.Data["claimed_by_id"] = *r.ClaimedByID
		}
		m.text = fmt.Sprintf("Support request (%s) %s is %s%s", r.Kind.Label(), on, strings.ToLower(r.Status.Label()), needed)
		if e.Action == domain.ActionOverdue {
			m.text = fmt.Sprintf("Support request (%s) %s is past its needed-by date%s and nobody has claimed it", r.Kind.Label(), on, needed)
		}
		m.link = s.baseURL + fmt.Sprint("/support-requests/", r.ID)
	case domain.EntityOffer:
		o, err := tx.Offers().OfferByID(ctx, e.EntityID)
		if err != nil {
			return nil, err
		}
		m.Data["status"], m.Data["kind"] = o.Status, o.Kind
		m.text = fmt.Sprintf("An offer %s is %s", on, strings.ToLower(o.Status.Label()))
		if slices.Contains(decidedOffers, o.Status) {
			m.Data["title"] = o.Title
			m.text = fmt.Sprintf("Offer “%s” %s is %s", o.Title, on, strings.ToLower(o.Status.Label()))
			m.link = s.baseURL + fmt.Sprint("/offers/", o.ID)
		}
		if o.Status == domain.OfferProposed {
			m.text += ": it waits for the salesperson's review"
		}
	case domain.EntityQuestion:
		q, err := tx.Meetings().QuestionByID(ctx, e.EntityID)
		if err != nil {
			return nil, err
		}
		m.Data["category"], m.Data["status"], m.Data["text"] = q.Category, q.Status, q.Text
		m.text = fmt.Sprintf("Question %s (%s): “%s” is %s", on, q.Category.Label(), q.Text, q.Status)
		m.link = s.baseURL + fmt.Sprint("/questions/", q.ID)
	case domain.EntityPromise:
		p, err := tx.Offers().PromiseByID(ctx, e.EntityID)
		if err != nil {
			return nil, err
		}
		m.Data["kind"], m.Data["feasibility"], m.Data["status"], m.Data["text"] = p.Kind, p.Feasibility, p.Status, p.Text
		m.text = fmt.Sprintf("Promise %s: “%s” (%s)", on, p.Text, strings.ToLower(p.Feasibility.Label()))
		m.link = s.baseURL + fmt.Sprint("/promises/", p.ID)
	}
	m.Data["url"] = m.link
	return m, nil
}

// SyncDueWithin is how far ahead a meeting without its sync is announced.
const SyncDueWithin = 24 * time.Hour

// SweepReminders announces, once each, what has come due without anyone
// changing anything: open support requests past their needed-by date and
// meetings within a day whose sync is not in place. Each becomes an event
// (on the timeline, in the inboxes, to the webhooks that want it).
func (s *Deliveries) SweepReminders(ctx context.Context) (int, error) {
	now := s.now().UTC()
	overdue, err := s.store.Deliveries().OverdueRequests(ctx, now.Truncate(24*time.Hour))
	if err != nil {
		return 0, err
	}
	soon, err := s.store.Deliveries().UnsyncedSoon(ctx, now, now.Add(SyncDueWithin))
	if err != nil {
		return 0, err
	}
	n := 0
	for _, r := range overdue {
		err := s.write(ctx, nil, func(tx *store.Store) ([]Change, error) {
			sr, err := tx.Support().SupportRequestByID(ctx, r.ID)
			if err != nil || sr.Status != domain.SupportOpen {
				return nil, err // claimed meanwhile: nothing to say
			}
			if said, err := tx.Deliveries().Announced(ctx, domain.EntitySupportRequest, r.ID, domain.ActionOverdue); err != nil || said {
				return nil, err // another sweep said it
			}
			return []Change{{Event: domain.Event{Action: domain.ActionOverdue, Entity: domain.EntitySupportRequest, EntityID: r.ID, DealID: &r.DealID},
				Notify: []int64{r.OwnerID}, Text: "A support request is past its needed-by date and nobody has claimed it",
				Link: fmt.Sprint("/support-requests/", r.ID)}}, nil
		})
		if err != nil {
			return n, err
		}
		n++
	}
	for _, r := range soon {
		err := s.write(ctx, nil, func(tx *store.Store) ([]Change, error) {
			m, err := tx.Meetings().MeetingByID(ctx, r.ID)
			if err != nil {
				return nil, err
			}
			if said, err := tx.Deliveries().Announced(ctx, domain.EntityMeeting, r.ID, domain.ActionSyncDue); err != nil || said {
				return nil, err
			}
			owner, devrel, err := meetingSides(ctx, tx, m)
			if err != nil {
				return nil, err
			}
			return []Change{{Event: domain.Event{Action: domain.ActionSyncDue, Entity: domain.EntityMeeting, EntityID: r.ID, DealID: &r.DealID},
				Notify: append([]int64{owner}, devrel...), Text: fmt.Sprintf("“%s” starts within a day and you are not in sync yet", m.Title),
				Link: fmt.Sprint("/meetings/", r.ID, "#sync"), TeamOnly: true}}, nil
		})
		if err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
