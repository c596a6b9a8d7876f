package read

import (
	"time"

	"github.com/presale/presale/internal/domain"
)

// MeetingRow is a meeting with the deal and account it belongs to, and
// the facts its sync state is judged from.
type MeetingRow struct {
	domain.Meeting
	DealTitle         string
	AccountName       string
	OwnerID           int64
	DevRelNames       string // internal DevRel attendees, comma-separated
	SalesConfirmedAt  DBTime
	DevRelConfirmedAt DBTime
	LastChangeAt      DBTime // the deal's latest offer, question or promise change; read for meetings no longer scheduled
	// KeptState is the sync state triggers keep for a scheduled meeting
	// (db/migrations/0015; store.RollupDrift holds it to the rule).
	KeptState domain.SyncState `gorm:"column:sync_state"`
}

// DevRelAttending reports whether any DevRel attends.
func (r MeetingRow) DevRelAttending() bool { return r.DevRelNames != "" }

// SyncState is the domain's sync rule for the row: kept in the row while
// the meeting is scheduled, applied here afterwards.
func (r MeetingRow) SyncState() domain.SyncState {
	if r.Status == domain.MeetingScheduled && r.KeptState != "" {
		return r.KeptState
	}
	var sync *domain.Sync
	if r.SalesConfirmedAt.Valid || r.DevRelConfirmedAt.Valid {
		sync = &domain.Sync{SalesConfirmedAt: r.SalesConfirmedAt.Ptr(), DevRelConfirmedAt: r.DevRelConfirmedAt.Ptr()}
	}
	return domain.SyncFreshness(r.DevRelAttending(), sync, r.LastChangeAt.Time)
}

// WaitsOnSales reports whether the salesperson's confirmation is what the
// sync lacks: never confirmed by them, or stale since.
func (r MeetingRow) WaitsOnSales() bool {
	switch r.SyncState() {
	case domain.SyncStale:
		return true
	case domain.SyncUnsynced:
		return !r.SalesConfirmedAt.Valid
	}
	return false
}

// AgendaFilter selects meetings for the agenda.
type AgendaFilter struct {
	Now    time.Time
	Past   bool  // past and no longer scheduled meetings, latest first
	UserID int64 // only meetings this user owns the deal of or attends
	// From the coverage review: upcoming meetings starting within Days
	// days, in one sync state.
	Days int
	Sync domain.SyncState // or AnyDevRel
	// Narrowed as the coverage review was: deals of one salesperson, deals
	// one DevRel is assigned to.
	DealOwnerID, DevRelID int64
	Page                  Page
}

// AnyDevRel asks the agenda for meetings DevRel attends, whatever their
// sync state.
const AnyDevRel domain.SyncState = "any_devrel"

// QuestionRow is a question with who asked it.
type QuestionRow struct {
	domain.Question
	RaisedByName string
	AnsweredBy   string
}

// CalendarPerson is someone at a meeting as a calendar names them.
type CalendarPerson struct {
	MeetingID int64
	Name      string
	Email     string
	Part      string // "organizer" (the deal's owner), "internal" or "customer"
}
