package domain

import (
	"strings"
	"time"
)

// PromiseKind is what sort of commitment was made to the customer.
type PromiseKind string

const (
	PromiseExistingFeature PromiseKind = "existing_feature"
	PromiseConfiguration   PromiseKind = "configuration"
	PromiseRoadmap         PromiseKind = "roadmap"
	PromiseCustomWork      PromiseKind = "custom_work"
	PromiseServices        PromiseKind = "services"
)

// PromiseKinds lists every kind.
var PromiseKinds = []PromiseKind{PromiseExistingFeature, PromiseConfiguration, PromiseRoadmap, PromiseCustomWork, PromiseServices}

// Valid reports whether k is a known kind.
func (k PromiseKind) Valid() bool { return oneOf(k, PromiseKinds) }

// Feasibility is DevRel's rating of whether a promise can be kept.
type Feasibility string

const (
	FeasibilityUnreviewed Feasibility = "unreviewed"
	FeasibilityFeasible   Feasibility = "feasible"
	FeasibilityRisky      Feasibility = "risky"
	FeasibilityInfeasible Feasibility = "infeasible"
)

// Feasibilities lists every rating.
var Feasibilities = []Feasibility{FeasibilityUnreviewed, FeasibilityFeasible, FeasibilityRisky, FeasibilityInfeasible}

// Valid reports whether f is a known rating.
func (f Feasibility) Valid() bool { return oneOf(f, Feasibilities) }

// PromiseStatus is whether a promise is still owed.
type PromiseStatus string

// Label is the status's name for people.
func (s PromiseStatus) Label() string { return label(string(s)) }

const (
	PromiseOpen    PromiseStatus = "open"
	PromiseKept    PromiseStatus = "kept"
	PromiseDropped PromiseStatus = "dropped"
)

// Promise is an entry in the promise register.
type Promise struct {
	ID              int64
	DealID          int64
	MeetingID       *int64
	OfferID         *int64
	MadeByID        int64
	OwnerID         int64
	Text            string
	Kind            PromiseKind
	Feasibility     Feasibility
	FeasibilityNote string
	ReviewedByID    *int64
	ReviewedAt      *time.Time
	DueDate         *time.Time
	Status          PromiseStatus
	ProductArea     string // a key of the organisation's product areas, or empty
	Version         int64  `gorm:"default:1"` // optimistic locking: bumped by every update
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// ReviewFirstKinds are the promises that can sink a deal later if nobody
// checked them: roadmap and custom work. Unreviewed, they are flagged.
var ReviewFirstKinds = []PromiseKind{PromiseRoadmap, PromiseCustomWork}

// NeedsReview reports whether an unreviewed promise is of a kind to check
// first.
func (p *Promise) NeedsReview() bool {
	return p.Feasibility == FeasibilityUnreviewed && oneOf(p.Kind, ReviewFirstKinds)
}

// Label is the kind's name for people.
func (k PromiseKind) Label() string { return label(string(k)) }

// Label is the rating's name for people.
func (f Feasibility) Label() string { return label(string(f)) }

// Valid reports whether s is a known status.
func (s PromiseStatus) Valid() bool {
	return oneOf(s, []PromiseStatus{PromiseOpen, PromiseKept, PromiseDropped})
}

// PromiseInput is a promise as typed when recorded.
type PromiseInput struct {
	Text, Kind, OwnerID, DueDate, MeetingID, ProductArea string

	Areas Choices // the organisation's product areas, given by the service
}

// Apply validates the input onto p. Owner and meeting are checked against
// the deal by the service.
func (in PromiseInput) Apply(p *Promise) error {
	errs := ValidationErrors{}
	p.Text = strings.TrimSpace(in.Text)
	if p.Text == "" {
		errs.Add("text", "Write down what was promised, in the customer's words if you can.")
	}
	errs.Fit("text", p.Text, MaxBody)
	p.Kind = PromiseKind(in.Kind)
	if !p.Kind.Valid() {
		errs.Add("kind", "Choose what kind of promise this is.")
	}
	if in.OwnerID != "" {
		if id, ok := parseID(in.OwnerID); ok {
			p.OwnerID = id
		} else {
			errs.Add("owner_id", "Choose who owns keeping this promise.")
		}
	}
	p.DueDate = nil
	if s := strings.TrimSpace(in.DueDate); s != "" {
		if t, err := time.Parse(DateLayout, s); err == nil {
			p.DueDate = &t
		} else {
			errs.Add("due_date", "Enter a real date as YYYY-MM-DD.")
		}
	}
	p.MeetingID = nil
	if in.MeetingID != "" {
		if id, ok := parseID(in.MeetingID); ok {
			p.MeetingID = &id
		} else {
			errs.Add("meeting_id", "Choose the meeting where it was made.")
		}
	}
	p.ProductArea = in.Areas.Pick(errs, "product_area", in.ProductArea, p.ProductArea)
	if p.Feasibility == "" {
		p.Feasibility = FeasibilityUnreviewed
	}
	if p.Status == "" {
		p.Status = PromiseOpen
	}
	return errs.Err()
}

// Review records DevRel's feasibility rating. A risky or infeasible
// rating needs a note saying why.
func (p *Promise) Review(f Feasibility, note string, by User, now time.Time) error {
	note = strings.TrimSpace(note)
	errs := ValidationErrors{}
	if !f.Valid() || f == FeasibilityUnreviewed {
		errs.Add("feasibility", "Rate it feasible, risky or infeasible.")
	}
	if (f == FeasibilityRisky || f == FeasibilityInfeasible) && note == "" {
		errs.Add("note", "Say what makes it risky or infeasible, so sales can manage the customer's expectation.")
	}
	errs.Fit("note", note, MaxBody)
	if err := errs.Err(); err != nil {
		return err
	}
	p.Feasibility, p.FeasibilityNote, p.ReviewedByID, p.ReviewedAt = f, note, &by.ID, &now
	return nil
}

// Overdue reports whether an open promise is past its due date.
func (p *Promise) Overdue(now time.Time) bool {
	return p.Status == PromiseOpen && p.DueDate != nil && p.DueDate.Before(OverdueBefore(now))
}

// OverdueBefore is the due date from which an open promise is late at
// now: any date before today (UTC). Queries that count overdue promises
// compare with it.
func OverdueBefore(now time.Time) time.Time { return now.UTC().Truncate(24 * time.Hour) }
