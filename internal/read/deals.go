package read

import (
	"time"

	"github.com/presale/presale/internal/domain"
)

// DealFilter narrows and orders the pipeline.
type DealFilter struct {
	Q               string
	Stage           domain.Stage
	OwnerID         int64
	TechnicalStatus domain.TechnicalStatus
	DevRel          string // "with", "without" or ""
	Open            string // "open", "closed" or "" for both
	AssignedTo      int64  // deals this DevRel is actively assigned to
	AccountID       int64
	Archived        bool // the archived deals instead of the live ones
	NoNextStep      bool // open deals without an open task
	IDs             []int64
	AfterID         int64  // deals after this id, for the API's cursor (with Sort "id")
	Sort            string // "close", "amount", "activity" (default), "id", with "-" for descending
	Page            Page
	// AmountFactors convert each currency to the reporting currency, for
	// the sort by amount and the totals; StagePercents weigh the totals;
	// Watch names the currencies whose presence the totals report (those
	// converted with an old rate). The service sets them.
	AmountFactors map[string]float64
	StagePercents map[domain.Stage]int
	Watch         []string
}

// DealSums is what the deals a filter selects add up to, in the reporting
// currency's minor units.
type DealSums struct {
	Deals           int64
	Value, Weighted float64
	Unrated         []string // currencies without a rate, left out
	Watched         []string // the watched currencies present
}

// DealRow is a deal in a list with the names it is shown with.
type DealRow struct {
	domain.Deal
	AccountName string
	OwnerName   string
	DevRelCount int
}

// TeamMember is an assigned DevRel with their part.
type TeamMember struct {
	UserID    int64
	Name      string
	Role      domain.AssignmentRole
	Override  bool
	ClaimedAt time.Time
}

// NoteRow is a note with its author's name.
type NoteRow struct {
	domain.DealNote
	AuthorName string
}

// CarriedDeal is a deal a DevRel carries, with its next meeting.
type CarriedDeal struct {
	DealRow
	Next *MeetingRow
}

// Revision is which state of a deal, and of the directory of names its
// pages show, a page was read from: the same two, the same page.
type Revision struct {
	Deal      int64
	Directory int64
}

// SavedView is a pipeline filter a user named and kept.
type SavedView struct {
	ID        int64
	UserID    int64
	Name      string
	Query     string // the pipeline's URL query, without page
	CreatedAt time.Time
}
