package domain

import (
	"fmt"
	"strings"
	"time"
)

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
	if k == SupportArchitecture {
		return "Architecture review"
	}
	return label(string(k))
}

// Phrase names the kind inside a sentence, with its article: "a demo",
// "a POC", "an architecture review".
func (k SupportKind) Phrase() string { return Article(InSentence(k.Label())) }

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
	Version       int64 `gorm:"default:1"` // optimistic locking: bumped by every update
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
	// OverCapacityConfirmed is the manager's yes to assigning beyond the
	// DevRel's capacity, after being shown the load.
	OverCapacityConfirmed bool
}

// OverCapacity asks a manager to confirm an assignment beyond capacity.
type OverCapacity struct {
	Name     string
	Load     int // before this deal
	Capacity int
}

func (e *OverCapacity) Error() string {
	return fmt.Sprintf("%s would carry %d of %d active deals. Assign over capacity?", e.Name, e.Load+1, e.Capacity)
}

// CheckClaim decides whether a claim may go ahead. A manager assigning a
// DevRel may exceed capacity; the returned override flag records it.
func CheckClaim(c Claim) (override bool, err error) {
	if !c.Request.standsAt(ActionClaimRequest) {
		return false, Conflictf("This request is %s, so it cannot be claimed.", c.Request.Status)
	}
	if c.Claimer.Role != RoleDevRel || !c.Claimer.Active {
		return false, Conflictf("Only an active DevRel engineer can take a support request.")
	}
	if c.Actor.ID != c.Claimer.ID {
		if err := Authorize(c.Actor, ActionAssignDevRel, Organisation{}); err != nil {
			return false, err
		}
	}
	if c.AlreadyOnDeal {
		return false, nil
	}
	if c.Claimer.HasRoomFor(c.Load) {
		return false, nil
	}
	capacity := c.Claimer.EffectiveCapacity()
	if Can(c.Actor, ActionAssignDevRel, Organisation{}) { // who assigns may go past capacity, once asked
		if !c.OverCapacityConfirmed {
			return false, &OverCapacity{Name: c.Claimer.Name, Load: c.Load, Capacity: capacity}
		}
		return true, nil
	}
	return false, Conflictf("%s already carries %d of %d active deals; claiming this one would exceed that capacity. Ask a manager to assign it.",
		c.Claimer.Name, c.Load, capacity)
}

// SupportInput is a request for DevRel as typed.
type SupportInput struct {
	Kind, NeededBy, Details string
}

// Apply validates the input onto r; needed-by may not lie in the past.
func (in SupportInput) Apply(r *SupportRequest, today time.Time) error {
	errs := ValidationErrors{}
	r.Kind = SupportKind(in.Kind)
	if !r.Kind.Valid() {
		errs.Add("kind", "Choose what kind of help you need.")
	}
	r.NeededBy = nil
	if s := strings.TrimSpace(in.NeededBy); s != "" {
		t, err := time.Parse(DateLayout, s)
		switch {
		case err != nil:
			errs.Add("needed_by", "Enter a real date as YYYY-MM-DD.")
		case t.Before(today.Truncate(24 * time.Hour)):
			errs.Add("needed_by", "Choose today or a later date.")
		default:
			r.NeededBy = &t
		}
	}
	r.Details = strings.TrimSpace(in.Details)
	if r.Details == "" {
		errs.Add("details", "Say what the customer needs, so DevRel can judge the fit.")
	}
	errs.Fit("details", r.Details, MaxBody)
	return errs.Err()
}

// Release is a DevRel (or a manager for them) stepping off a claimed
// request. Done says the work is finished: the request is fulfilled;
// otherwise it opens again for someone else.
func (r *SupportRequest) Release(actor User, done bool) error {
	if !r.standsAt(ActionReleaseRequest) {
		return Conflictf("This request is %s, so there is nothing to release.", r.Status)
	}
	if err := Authorize(actor, ActionReleaseRequest, SupportSubject{Request: *r}); err != nil {
		return err
	}
	if done {
		r.Status = SupportFulfilled
	} else {
		r.Status, r.ClaimedByID, r.ClaimedAt = SupportOpen, nil, nil
	}
	return nil
}

// supportStepFrom is the state each request action starts from: the one
// place a request's steps are tied to its states.
var supportStepFrom = map[Action]SupportStatus{ActionClaimRequest: SupportOpen, ActionReleaseRequest: SupportClaimed, ActionCancelRequest: SupportOpen}

// standsAt reports whether the request is in the state action a starts from.
func (r SupportRequest) standsAt(a Action) bool { return r.Status == supportStepFrom[a] }

// Allows reports whether u may take action a on the request now: its
// state permits the step and the policy allows u. Pages offer the step
// only then.
func (r SupportRequest) Allows(u User, a Action, team DealTeam) bool {
	return r.standsAt(a) && Can(u, a, SupportSubject{Request: r, Team: team})
}

// Cancel withdraws an open request.
func (r *SupportRequest) Cancel() error {
	if !r.standsAt(ActionCancelRequest) {
		return Conflictf("This request is %s; only an open request can be cancelled.", r.Status)
	}
	r.Status = SupportCancelled
	return nil
}

// Label is the status's name for people.
func (s SupportStatus) Label() string { return label(string(s)) }
