package domain

import "time"

// SupportKind is the kind of help a salesperson asks DevRel for.
type SupportKind string

const (
	SupportDemo           SupportKind = "demo"
	SupportDeepDive       SupportKind = "deep_dive"
	SupportPOC            SupportKind = "poc"
	SupportSecurityReview SupportKind = "security_review"
	SupportArchitecture   SupportKind = "architecture"
	SupportNegotiation    SupportKind = "negotiation"
)

// SupportKinds lists every kind of support request.
var SupportKinds = []SupportKind{SupportDemo, SupportDeepDive, SupportPOC, SupportSecurityReview, SupportArchitecture, SupportNegotiation}

// Valid reports whether k is a known kind.
func (k SupportKind) Valid() bool { return oneOf(k, SupportKinds) }

// Label is the kind's name for people.
func (k SupportKind) Label() string {
	if k == SupportPOC {
		return "POC"
	}
	return label(string(k))
}

// SupportStatus is where a support request stands.
type SupportStatus string

const (
	SupportOpen      SupportStatus = "open"
	SupportClaimed   SupportStatus = "claimed"
	SupportFulfilled SupportStatus = "fulfilled"
	SupportCancelled SupportStatus = "cancelled"
)

// SupportRequest is a salesperson asking for DevRel on a deal.
type SupportRequest struct {
	ID            int64
	DealID        int64
	RequestedByID int64
	Kind          SupportKind
	NeededBy      *time.Time
	Details       string
	Status        SupportStatus
	ClaimedByID   *int64
	ClaimedAt     *time.Time
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// Overdue reports whether an open request is past its needed-by date.
func (r *SupportRequest) Overdue(now time.Time) bool {
	return r.Status == SupportOpen && r.NeededBy != nil && now.After(r.NeededBy.Add(24*time.Hour))
}

// AssignmentRole is a DevRel's part in a deal team.
type AssignmentRole string

const (
	AssignmentLead       AssignmentRole = "lead"
	AssignmentSupporting AssignmentRole = "supporting"
)

// Assignment puts a DevRel on a deal's team.
type Assignment struct {
	ID         int64
	DealID     int64
	UserID     int64
	Role       AssignmentRole
	Active     bool
	Override   bool
	ClaimedAt  time.Time
	ReleasedAt *time.Time
}

// Claim is one DevRel taking a support request. Load is the number of
// distinct deals the DevRel is actively assigned to now; AlreadyOnDeal says
// whether this deal is among them (then the claim adds no load).
type Claim struct {
	Request       SupportRequest
	Claimer       User
	Actor         User
	Load          int
	AlreadyOnDeal bool
}

// CheckClaim decides whether a claim may go ahead. A manager assigning a
// DevRel may exceed capacity; the returned override flag records it.
func CheckClaim(c Claim) (override bool, err error) {
	if c.Request.Status != SupportOpen {
		return false, Conflictf("This request is %s, so it cannot be claimed.", c.Request.Status)
	}
	if c.Claimer.Role != RoleDevRel || !c.Claimer.Active {
		return false, Conflictf("Only an active DevRel engineer can take a support request.")
	}
	if c.Actor.ID != c.Claimer.ID && !c.Actor.IsManager() {
		return false, Forbiddenf("Only a manager may assign someone else.")
	}
	if c.AlreadyOnDeal {
		return false, nil
	}
	capacity := c.Claimer.Capacity
	if capacity <= 0 {
		capacity = DefaultCapacity
	}
	if c.Load+1 <= capacity {
		return false, nil
	}
	if c.Actor.IsManager() {
		return true, nil
	}
	return false, Conflictf("%s already carries %d of %d active deals; claiming this one would exceed that capacity. Ask a manager to assign it.",
		c.Claimer.Name, c.Load, capacity)
}
