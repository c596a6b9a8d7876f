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
	Entity   string
	EntityID int64
	DealID   *int64
	Before   string `gorm:"column:before_summary"`
	After    string `gorm:"column:after_summary"`
	TeamOnly bool
	At       time.Time
}

// Notification is an in-app inbox entry for one user about one event.
type Notification struct {
	ID        int64
	UserID    int64
	EventID   int64
	Message   string
	Link      string
	ReadAt    *time.Time
	CreatedAt time.Time
}

// verbs are event actions as a sentence says them.
var verbs = map[string]string{
	"submit": "submitted", "clear": "cleared", "hold": "held in reserve", "release": "released", "decline": "declined",
	"share": "shared", "accept": "accepted", "reject": "rejected", "withdraw": "withdrew",
}

// Verb is how the timeline says an event's action: "held in reserve".
func (e Event) Verb() string {
	if v, ok := verbs[e.Action]; ok {
		return v
	}
	return e.Action
}

// Noun is the entity as a sentence names it: "support request".
func (e Event) Noun() string { return strings.ReplaceAll(e.Entity, "_", " ") }
