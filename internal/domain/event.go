package domain

import "time"

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
