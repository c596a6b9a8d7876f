package domain

import (
	"strings"
	"time"
)

// Event is one change of one entity: the audit trail and the deal timeline.
// TeamOnly events touch something held in reserve and are shown only to the
// deal team and managers.
type Event struct {
	ID       int64
	ActorID  *int64
	Action   string
	Entity   Entity
	EntityID int64
	DealID   *int64
	Before   string `gorm:"column:before_summary"`
	After    string `gorm:"column:after_summary"`
	TeamOnly bool
	At       time.Time
}

// Entity names a kind of thing events are about.
type Entity string

const (
	EntityAccount        Entity = "account"
	EntityContact        Entity = "contact"
	EntityDeal           Entity = "deal"
	EntityNote           Entity = "note"
	EntityMeeting        Entity = "meeting"
	EntitySync           Entity = "sync"
	EntitySupportRequest Entity = "support_request"
	EntityAssignment     Entity = "assignment"
	EntityOffer          Entity = "offer"
	EntityQuestion       Entity = "question"
	EntityPromise        Entity = "promise"
	EntityUser           Entity = "user"
	EntityCalendarFeed   Entity = "calendar_feed"
	EntitySettings       Entity = "settings"
	EntityExchangeRate   Entity = "exchange_rate"
	EntityTask           Entity = "task"
	EntityComment        Entity = "comment"
	EntityAPIToken       Entity = "api_token"
	// EntitySavedView has no events (a view is its user's setting); an
	// undo of deleting one names it.
	EntitySavedView Entity = "saved_view"
)

// nouns are the entities people call otherwise than the code does.
var nouns = map[Entity]string{EntityTask: "next step", EntityAPIToken: "API token"}

// Noun is the entity's name in a sentence.
func (e Entity) Noun() string {
	if n, ok := nouns[e]; ok {
		return n
	}
	return strings.ReplaceAll(string(e), "_", " ")
}

// Notification is an in-app inbox entry for one user about one event.
type Notification struct {
	ID        int64
	UserID    int64
	EventID   int64
	Message   string
	Link      string
	ReadAt    *time.Time
	EmailedAt *time.Time // sent by e-mail too
	CreatedAt time.Time
}

// verbs are event actions as a sentence says them.
var verbs = map[string]string{
	"submit": "submitted", "clear": "cleared", "hold": "held in reserve", "release": "released", "decline": "declined",
	"share": "shared", "accept": "accepted", "reject": "rejected", "withdraw": "withdrew", "undo": "took back",
	"done": "ticked off", "merged": "merged another account into", "unmerged": "undid a merge into",
	ActionOverdue: "saw the needed-by date pass for", ActionSyncDue: "warned of a missing sync for",
}

// Verb is how the timeline says an event's action: "held in reserve".
func (e Event) Verb() string {
	if v, ok := verbs[e.Action]; ok {
		return v
	}
	return e.Action
}

// Noun is the entity as a sentence names it: "support request".
func (e Event) Noun() string { return e.Entity.Noun() }
