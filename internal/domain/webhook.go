package domain

import (
	"net/url"
	"slices"
	"strings"
	"time"
)

// WebhookKind is how an endpoint is spoken to.
type WebhookKind string

const (
	// WebhookStandard gets JSON signed as the Standard Webhooks
	// specification says (webhook-id, webhook-timestamp, webhook-signature).
	WebhookStandard WebhookKind = "standard"
	// WebhookSlack is a Slack incoming webhook: readable Block Kit messages.
	WebhookSlack WebhookKind = "slack"
)

// WebhookKinds lists the kinds in display order.
var WebhookKinds = []WebhookKind{WebhookStandard, WebhookSlack}

// Valid reports whether k is a known kind.
func (k WebhookKind) Valid() bool { return oneOf(k, WebhookKinds) }

// Label is the kind's name for people.
func (k WebhookKind) Label() string {
	if k == WebhookSlack {
		return "Slack incoming webhook"
	}
	return "Standard Webhooks (signed JSON)"
}

// WebhookEndpoint is where presale reports changes.
type WebhookEndpoint struct {
	ID         int64
	URL        string
	Kind       WebhookKind
	EventTypes string // space-separated WebhookEvent types
	Secret     string // whsec_…, signs standard deliveries
	// PreviousSecret, the one a rotation replaced, still signs beside
	// Secret until PreviousSecretUntil (SecretOverlap after the rotation).
	PreviousSecret      string
	PreviousSecretUntil *time.Time
	Active              bool
	CreatedAt           time.Time
}

// SecretOverlap is how long a rotated-out secret still signs deliveries,
// for the receiver to move to the new one.
const SecretOverlap = 24 * time.Hour

// Secrets are the secrets that sign a delivery sent at now: the current
// one, and the one it replaced while the overlap lasts.
func (e WebhookEndpoint) Secrets(now time.Time) []string {
	if e.PreviousSecret != "" && e.PreviousSecretUntil != nil && now.Before(*e.PreviousSecretUntil) {
		return []string{e.Secret, e.PreviousSecret}
	}
	return []string{e.Secret}
}

// Wants reports whether the endpoint subscribes to an event type.
func (e WebhookEndpoint) Wants(eventType string) bool {
	return e.Active && slices.Contains(strings.Fields(e.EventTypes), eventType)
}

// Reminders presale announces itself, as events with no actor: a moment
// passed, not a change anyone made.
const (
	ActionOverdue = "overdue"  // a support request past its needed-by date, still open
	ActionSyncDue = "sync_due" // a meeting within 24 hours whose sync is not in place
)

// A meeting marked held or cancelled is recorded as that action, not as an
// update: webhooks report it as meeting.held or meeting.cancelled, and the
// timeline says "held the meeting".
const (
	ActionHeld      = "held"
	ActionCancelled = "cancelled"
)

// MeetingAction is the action of a meeting's move to status: a reopened
// meeting is updated.
func MeetingAction(status MeetingStatus) string {
	switch status {
	case MeetingHeld:
		return ActionHeld
	case MeetingCancelled:
		return ActionCancelled
	}
	return "updated"
}

// WebhookEvent is a kind of change an endpoint may subscribe to.
type WebhookEvent struct {
	Type  string // entity.action, as events record it
	Label string
}

// WebhookEvents are the changes webhooks report. Changes to the reserve
// (holding and releasing an offer), draft offers, notes, comments and
// people's accounts are not among them: outside the deal team they do not
// exist.
var WebhookEvents = []WebhookEvent{
	{"deal.created", "A deal is opened"},
	{"deal.updated", "A deal changes (stage, amount, owner…)"},
	{"account.created", "An account is added"},
	{"meeting.created", "A meeting is scheduled"},
	{"meeting.updated", "A meeting is moved or changed"},
	{"meeting." + ActionHeld, "A meeting is held"},
	{"meeting." + ActionCancelled, "A meeting is cancelled"},
	{"sync.confirmed", "A side confirms a pre-meeting sync"},
	{"meeting." + ActionSyncDue, "A meeting within 24 hours is not in sync"},
	{"support_request.created", "DevRel support is asked for"},
	{"support_request.claimed", "A support request is claimed"},
	{"support_request.assigned", "A manager assigns a support request"},
	{"support_request.released", "A support request is released"},
	{"support_request." + ActionOverdue, "A support request passes its needed-by date"},
	{"offer.submit", "An offer waits for its salesperson's review"},
	{"offer.clear", "An offer is cleared"},
	{"offer.decline", "An offer is declined"},
	{"offer.share", "An offer is shared in a meeting"},
	{"offer.accept", "The customer accepts an offer"},
	{"offer.reject", "The customer rejects an offer"},
	{"question.raised", "The customer raises a question"},
	{"question.answered", "A question is answered"},
	{"promise.recorded", "A promise is recorded"},
	{"promise.reviewed", "DevRel rates a promise's feasibility"},
}

// WebhookEventLabel is an event type as people read it.
func WebhookEventLabel(t string) string {
	for _, we := range WebhookEvents {
		if we.Type == t {
			return we.Label
		}
	}
	return t
}

// WebhookType is the event type an event is reported as, if webhooks
// report it at all. Events touching the reserve never are.
func WebhookType(e Event) (string, bool) {
	if e.TeamOnly {
		return "", false
	}
	t := string(e.Entity) + "." + e.Action
	for _, we := range WebhookEvents {
		if we.Type == t {
			return t, true
		}
	}
	return "", false
}

// WebhookInput is the new-endpoint form as typed.
type WebhookInput struct {
	URL, Kind  string
	EventTypes []string
}

// Apply validates the input onto e: an http(s) address and at least one
// known event type.
func (in WebhookInput) Apply(e *WebhookEndpoint) error {
	errs := ValidationErrors{}
	e.URL = strings.TrimSpace(in.URL)
	u, err := url.Parse(e.URL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		errs.Add("url", "Enter the endpoint's full address, starting with https://.")
	}
	errs.Fit("url", e.URL, 2000)
	e.Kind = WebhookKind(in.Kind)
	if !e.Kind.Valid() {
		errs.Add("kind", "Choose Standard Webhooks or Slack.")
	}
	var types []string
	for _, t := range in.EventTypes {
		if slices.ContainsFunc(WebhookEvents, func(we WebhookEvent) bool { return we.Type == t }) && !slices.Contains(types, t) {
			types = append(types, t)
		}
	}
	if len(types) == 0 {
		errs.Add("event_types", "Choose at least one kind of change to send.")
	}
	e.EventTypes = strings.Join(types, " ")
	return errs.Err()
}

// DeliveryStatus is where a webhook delivery stands.
type DeliveryStatus string

const (
	DeliveryPending   DeliveryStatus = "pending"   // queued, or waiting to be tried again
	DeliveryDelivered DeliveryStatus = "delivered" // the endpoint answered 2xx
	DeliveryFailed    DeliveryStatus = "failed"    // every attempt failed; redeliver to try again
	// DeliveryWithheld was not sent: by the time it went, what it reports
	// had become private to the deal team (an offer held in reserve).
	DeliveryWithheld DeliveryStatus = "withheld"
)

// WithheldReason is what the delivery log says of a withheld delivery.
const WithheldReason = "Not sent: what it reports is private to the deal team now."

// Label is the status's name for people.
func (s DeliveryStatus) Label() string { return label(string(s)) }

// WebhookDelivery is one event sent to one endpoint, with its attempts.
type WebhookDelivery struct {
	ID            int64
	EndpointID    int64
	EventID       int64
	EventType     string
	MessageID     string // webhook-id: the same on every attempt, so receivers can drop repeats
	Payload       string // the body, as sent
	Status        DeliveryStatus
	Attempts      int
	ResponseCode  int
	LastError     string
	NextAttemptAt *time.Time // River's schedule for the next attempt, read when listed
	JobID         *int64     // the River job that sends it
	DeliveredAt   *time.Time
	CreatedAt     time.Time
	UpdatedAt     time.Time
}
