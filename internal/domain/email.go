package domain

import (
	"slices"
	"strings"
)

// NotificationKind groups notifications for a person's e-mail choices.
type NotificationKind struct {
	Code  string
	Label string
}

// NotificationKinds are what a person may also get by e-mail.
var NotificationKinds = []NotificationKind{
	{"offers", "Offers: proposals to review, decisions, comments"},
	{"support", "Support requests: asked, claimed, assigned, past their date"},
	{"meetings", "Meetings and their sync: changes, confirmations, a sync due"},
	{"questions", "Questions from customers and their answers"},
	{"promises", "Promises and their feasibility"},
	{"deals", "Deals: hand-overs, next steps, notes and mentions"},
}

// NotificationKindLabel is a kind as people read it.
func NotificationKindLabel(code string) string {
	label, _ := EmailKindLabel(code)
	return label
}

// EmailKindLabel is a kind of e-mail (a kind of notification, or the
// digest) as people read it; false for one presale does not send.
func EmailKindLabel(kind string) (string, bool) {
	if kind == DigestKind {
		return "the daily digest", true
	}
	for _, k := range NotificationKinds {
		if k.Code == kind {
			return k.Label, true
		}
	}
	return kind, false
}

// KindOf is the kind a notification about entity falls in.
func KindOf(entity Entity) string {
	switch entity {
	case EntityOffer:
		return "offers"
	case EntitySupportRequest, EntityAssignment:
		return "support"
	case EntityMeeting, EntitySync:
		return "meetings"
	case EntityQuestion:
		return "questions"
	case EntityPromise:
		return "promises"
	}
	return "deals"
}

// DigestKind is the unsubscribe code of the daily digest.
const DigestKind = "digest"

// DigestHour is when, in a person's own time zone, the digest goes out.
const DigestHour = 8

// EmailsFor reports whether u chose to get notifications of kind by
// e-mail.
func (u User) EmailsFor(kind string) bool {
	return u.Active && slices.Contains(strings.Fields(u.EmailKinds), kind)
}

// EmailPrefs are the e-mail choices on the settings page.
type EmailPrefs struct {
	Kinds  []string
	Digest bool
}

// Apply writes the choices onto u, keeping only known kinds.
func (p EmailPrefs) Apply(u *User) {
	var kinds []string
	for _, k := range NotificationKinds {
		if slices.Contains(p.Kinds, k.Code) {
			kinds = append(kinds, k.Code)
		}
	}
	u.EmailKinds, u.EmailDigest = strings.Join(kinds, " "), p.Digest
}

// Unsubscribe drops kind (or the digest) from u's choices.
func (u *User) Unsubscribe(kind string) {
	if kind == DigestKind {
		u.EmailDigest = false
		return
	}
	u.EmailKinds = strings.Join(slices.DeleteFunc(strings.Fields(u.EmailKinds), func(k string) bool { return k == kind }), " ")
}
