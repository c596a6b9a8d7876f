package domain

import "time"

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
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// NeedsReview reports whether an unreviewed promise is of a kind that can
// sink a deal later: roadmap and custom work.
func (p *Promise) NeedsReview() bool {
	return p.Feasibility == FeasibilityUnreviewed && (p.Kind == PromiseRoadmap || p.Kind == PromiseCustomWork)
}
