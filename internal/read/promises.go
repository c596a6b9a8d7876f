package read

import (
	"time"

	"github.com/presale/presale/internal/domain"
)

// PromiseRow is a promise with the names it is shown with.
type PromiseRow struct {
	domain.Promise
	DealTitle    string
	AccountName  string
	OwnerName    string
	MadeByName   string
	ReviewerName string
	MeetingTitle string
}

// AtRisk asks the register for promises rated risky or infeasible.
const AtRisk domain.Feasibility = "at_risk"

// PromiseFilter narrows the promise register.
type PromiseFilter struct {
	DealID      int64
	Feasibility domain.Feasibility // or AtRisk
	OwnerID     int64
	Due         string // "overdue", "soon" (next 30 days) or ""
	Status      domain.PromiseStatus
	Flagged     bool   // unreviewed roadmap and custom work
	RatedBy     int64  // promises on the deals this DevRel carries
	DealOwnerID int64  // promises on this salesperson's deals
	ProductArea string // the key of a product area
	Now         time.Time
	Page        Page
}
