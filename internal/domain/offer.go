package domain

import (
	"strconv"
	"strings"
	"time"
)

// OfferStatus is where a technical offer stands in its lifecycle.
type OfferStatus string

const (
	OfferDraft     OfferStatus = "draft"
	OfferProposed  OfferStatus = "proposed"
	OfferCleared   OfferStatus = "cleared"
	OfferReserved  OfferStatus = "reserved"
	OfferDeclined  OfferStatus = "declined"
	OfferShared    OfferStatus = "shared"
	OfferAccepted  OfferStatus = "accepted"
	OfferRejected  OfferStatus = "rejected"
	OfferWithdrawn OfferStatus = "withdrawn"
)

// OfferStatuses lists every status in lifecycle order.
var OfferStatuses = []OfferStatus{OfferDraft, OfferProposed, OfferCleared, OfferReserved, OfferDeclined, OfferShared, OfferAccepted, OfferRejected, OfferWithdrawn}

// Label is the status's name for people.
func (s OfferStatus) Label() string {
	if s == OfferReserved {
		return "Held in reserve"
	}
	return label(string(s))
}

// OfferKind is what sort of idea an offer is.
type OfferKind string

const (
	OfferIdea        OfferKind = "idea"
	OfferWorkaround  OfferKind = "workaround"
	OfferIntegration OfferKind = "integration"
	OfferPOC         OfferKind = "poc"
	OfferCustomWork  OfferKind = "custom_work"
	OfferRoadmapItem OfferKind = "roadmap_item"
	OfferService     OfferKind = "service"
)

// OfferKinds lists every kind of offer.
var OfferKinds = []OfferKind{OfferIdea, OfferWorkaround, OfferIntegration, OfferPOC, OfferCustomWork, OfferRoadmapItem, OfferService}

// Valid reports whether k is a known kind.
func (k OfferKind) Valid() bool { return oneOf(k, OfferKinds) }

// Offer is a DevRel idea that must pass the salesperson before it reaches
// the customer.
type Offer struct {
	ID              int64
	DealID          int64
	ProposedByID    int64
	Title           string
	Detail          string
	Kind            OfferKind
	EstimatedEffort string
	Status          OfferStatus
	HoldTrigger     string
	DeclineReason   string
	SharedMeetingID *int64
	DecidedByID     *int64
	DecidedAt       *time.Time
	Version         int64
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// OfferAction is a move in the offer lifecycle; each is a POST route.
type OfferAction string

const (
	OfferSubmit   OfferAction = "submit"
	OfferClear    OfferAction = "clear"
	OfferHold     OfferAction = "hold"
	OfferRelease  OfferAction = "release"
	OfferDecline  OfferAction = "decline"
	OfferShare    OfferAction = "share"
	OfferAccept   OfferAction = "accept"
	OfferReject   OfferAction = "reject"
	OfferWithdraw OfferAction = "withdraw"
)

// OfferActions lists every action.
var OfferActions = []OfferAction{OfferSubmit, OfferClear, OfferHold, OfferRelease, OfferDecline, OfferShare, OfferAccept, OfferReject, OfferWithdraw}

// offerActor says who may take a lifecycle step.
type offerActor int

const (
	byProposer      offerActor = iota // the DevRel (or owner) who proposed it
	byDealOwner                       // the deal's salesperson, or a manager acting for them
	byTeamOrManager                   // the owner, an assigned DevRel, or a manager
)

type offerStep struct {
	from []OfferStatus
	to   OfferStatus
	who  offerActor
}

// offerLifecycle is the whole state machine of DESIGN.md.
var offerLifecycle = map[OfferAction]offerStep{
	OfferSubmit:   {from: []OfferStatus{OfferDraft}, to: OfferProposed, who: byProposer},
	OfferClear:    {from: []OfferStatus{OfferProposed}, to: OfferCleared, who: byDealOwner},
	OfferHold:     {from: []OfferStatus{OfferProposed, OfferCleared}, to: OfferReserved, who: byDealOwner},
	OfferRelease:  {from: []OfferStatus{OfferReserved}, to: OfferCleared, who: byDealOwner},
	OfferDecline:  {from: []OfferStatus{OfferProposed}, to: OfferDeclined, who: byDealOwner},
	OfferShare:    {from: []OfferStatus{OfferCleared}, to: OfferShared, who: byTeamOrManager},
	OfferAccept:   {from: []OfferStatus{OfferShared}, to: OfferAccepted, who: byTeamOrManager},
	OfferReject:   {from: []OfferStatus{OfferShared}, to: OfferRejected, who: byTeamOrManager},
	OfferWithdraw: {from: []OfferStatus{OfferDraft, OfferProposed, OfferCleared, OfferReserved}, to: OfferWithdrawn, who: byProposer},
}

// OfferInput is what a lifecycle step may need from the form.
type OfferInput struct {
	Trigger   string // hold
	Reason    string // decline
	MeetingID *int64 // share
}

// OfferMove is one attempted lifecycle step.
type OfferMove struct {
	Offer  Offer
	Action OfferAction
	Actor  User
	Team   DealTeam
	Input  OfferInput
}

// Decide returns the offer after the move, or why it is refused: a
// ConflictError when the current state does not allow it, a ForbiddenError
// when the actor may not take it, ValidationErrors when input is missing.
func (m OfferMove) Decide(now time.Time) (Offer, error) {
	o := m.Offer
	step, ok := offerLifecycle[m.Action]
	if !ok {
		return o, Conflictf("%q is not an offer action.", m.Action)
	}
	if !oneOf(o.Status, step.from) {
		return o, transitionRefusal(o.Status, m.Action)
	}
	if err := Authorize(m.Actor, ActionMoveOffer, OfferSubject{Offer: o, Team: m.Team, Step: m.Action}); err != nil {
		return o, err
	}
	errs := ValidationErrors{}
	switch m.Action {
	case OfferHold:
		if strings.TrimSpace(m.Input.Trigger) == "" {
			errs.Add("trigger", "Say when to raise it, e.g. \"if they push on price\".")
		}
	case OfferDecline:
		if strings.TrimSpace(m.Input.Reason) == "" {
			errs.Add("reason", "Give the reason so the proposer learns from it.")
		}
	case OfferShare:
		if m.Input.MeetingID == nil {
			errs.Add("meeting_id", "Name the meeting where it was shared.")
		}
	}
	errs.Fit("trigger", Line(m.Input.Trigger), MaxLine*2)
	errs.Fit("reason", strings.TrimSpace(m.Input.Reason), MaxBody)
	if err := errs.Err(); err != nil {
		return o, err
	}
	switch m.Action {
	case OfferHold:
		o.HoldTrigger = Line(m.Input.Trigger)
	case OfferRelease:
		o.HoldTrigger = "" // a trigger is the hold's; its event keeps it for the team
	case OfferDecline:
		o.DeclineReason = strings.TrimSpace(m.Input.Reason)
	case OfferShare:
		o.SharedMeetingID = m.Input.MeetingID
	}
	if step.who == byDealOwner {
		o.DecidedByID, o.DecidedAt = &m.Actor.ID, &now
	}
	o.Status = step.to
	return o, nil
}

// AvailableOfferActions lists the moves u may make on o now, for showing
// only the buttons that would work.
func AvailableOfferActions(o Offer, u User, team DealTeam) []OfferAction {
	var out []OfferAction
	for _, a := range OfferActions {
		step := offerLifecycle[a]
		if oneOf(o.Status, step.from) && Can(u, ActionMoveOffer, OfferSubject{Offer: o, Team: team, Step: a}) {
			out = append(out, a)
		}
	}
	return out
}

func (w offerActor) allows(u User, o Offer, team DealTeam) bool {
	switch w {
	case byProposer:
		return u.ID == o.ProposedByID
	case byDealOwner:
		return u.ID == team.OwnerID || u.IsManager()
	case byTeamOrManager:
		return team.Includes(u) || u.IsManager()
	}
	return false
}

func (w offerActor) refusal(a OfferAction) string {
	switch w {
	case byProposer:
		return "Only the person who proposed this offer can " + string(a) + " it."
	case byDealOwner:
		return "Only the deal's salesperson (or a manager) can " + string(a) + " an offer."
	}
	return "Only the deal's salesperson or an assigned DevRel can " + string(a) + " this offer."
}

func transitionRefusal(from OfferStatus, a OfferAction) error {
	switch {
	case a == OfferShare && from == OfferReserved:
		return Conflictf("This offer is held in reserve; the salesperson must release it before it can be shared.")
	case a == OfferShare && (from == OfferDraft || from == OfferProposed):
		return Conflictf("This offer has not been cleared by the salesperson yet, so it cannot be shared.")
	case a == OfferWithdraw && (from == OfferShared || from == OfferAccepted || from == OfferRejected):
		return Conflictf("This offer was already shared with the customer, so it can no longer be withdrawn.")
	}
	return Conflictf("This offer is %s; it cannot be %s from there.", strings.ToLower(from.Label()), pastTense(a))
}

func pastTense(a OfferAction) string {
	switch a {
	case OfferSubmit:
		return "submitted"
	case OfferClear:
		return "cleared"
	case OfferHold:
		return "held in reserve"
	case OfferRelease:
		return "released"
	case OfferDecline:
		return "declined"
	case OfferShare:
		return "shared"
	case OfferAccept:
		return "accepted"
	case OfferReject:
		return "rejected"
	}
	return "withdrawn"
}

// Label is the kind's name for people.
func (k OfferKind) Label() string {
	if k == OfferPOC {
		return "POC"
	}
	return label(string(k))
}

// OfferProposal is a proposed offer as typed.
type OfferProposal struct {
	Title, Detail, Kind, EstimatedEffort string
}

// Apply validates the input onto o.
func (in OfferProposal) Apply(o *Offer) error {
	errs := ValidationErrors{}
	o.Title = Line(in.Title)
	if o.Title == "" {
		errs.Add("title", "Name the idea in a few words.")
	}
	errs.Fit("title", o.Title, MaxLine)
	o.Detail = strings.TrimSpace(in.Detail)
	errs.Fit("detail", o.Detail, MaxBody)
	o.Kind = OfferKind(in.Kind)
	if !o.Kind.Valid() {
		errs.Add("kind", "Choose what kind of offer this is.")
	}
	o.EstimatedEffort = Line(in.EstimatedEffort)
	errs.Fit("estimated_effort", o.EstimatedEffort, MaxLine)
	return errs.Err()
}

// PrivateOfferStatuses are the states in which an offer is hidden outside
// the deal team: held in reserve, still a draft, or withdrawn (its
// proposer may withdraw it from the reserve or as a draft, and neither may
// become public that way). Lists, timelines and the policy all go by them.
var PrivateOfferStatuses = []OfferStatus{OfferReserved, OfferDraft, OfferWithdrawn}

// Private reports whether the offer is hidden outside the deal team.
func (o Offer) Private() bool { return oneOf(o.Status, PrivateOfferStatuses) }

// PromiseKind is what an accepted offer becomes in the promise register.
func (k OfferKind) PromiseKind() PromiseKind {
	switch k {
	case OfferRoadmapItem:
		return PromiseRoadmap
	case OfferCustomWork:
		return PromiseCustomWork
	case OfferService, OfferPOC:
		return PromiseServices
	case OfferIntegration, OfferWorkaround:
		return PromiseConfiguration
	}
	return PromiseExistingFeature
}

// Listed reports whether offers in this status may be listed by status:
// a draft is its proposer's alone and never is.
func (s OfferStatus) Listed() bool { return s != OfferDraft && oneOf(s, OfferStatuses) }

// Undo is the offer taken back to status from, as the one step that moved
// it had not happened: what that step recorded (a trigger, a reason, a
// meeting, a decision) goes with it.
func (o Offer) Undo(u Undo) Offer {
	prev := o
	from := OfferStatus(u.From)
	prev.Status = from
	switch o.Status {
	case OfferReserved:
		prev.HoldTrigger = ""
	case OfferDeclined:
		prev.DeclineReason = ""
	case OfferShared:
		prev.SharedMeetingID = nil
	}
	if from == OfferProposed || from == OfferDraft {
		prev.DecidedByID, prev.DecidedAt = nil, nil
	}
	// As it stood: when it last changed (the review queue's "proposed
	// …") and who decided it then.
	if !u.Was.UpdatedAt.IsZero() {
		prev.UpdatedAt = u.Was.UpdatedAt
		prev.DecidedByID, prev.DecidedAt = nil, nil
		if u.Was.DecidedBy != 0 && !u.Was.DecidedAt.IsZero() {
			by, at := u.Was.DecidedBy, u.Was.DecidedAt
			prev.DecidedByID, prev.DecidedAt = &by, &at
		}
	}
	return prev
}

// UndoWasOf is how o stood, for an undo to put it back.
func (o Offer) UndoWasOf() UndoWas {
	w := UndoWas{UpdatedAt: o.UpdatedAt}
	if o.DecidedByID != nil && o.DecidedAt != nil {
		w.DecidedBy, w.DecidedAt = *o.DecidedByID, *o.DecidedAt
	}
	return w
}

// PromiseDraft is the promise an accepted offer becomes, before the person
// recording it reviews it: its title as the text, its kind, the deal's
// owner, due by the deal's close, made at the meeting it was shared in.
func (o Offer) PromiseDraft(ownerID int64, due *time.Time) PromiseInput {
	in := PromiseInput{Text: o.Title, Kind: string(o.Kind.PromiseKind()), OwnerID: strconv.FormatInt(ownerID, 10)}
	if due != nil {
		in.DueDate = due.Format(DateLayout)
	}
	if o.SharedMeetingID != nil {
		in.MeetingID = strconv.FormatInt(*o.SharedMeetingID, 10)
	}
	return in
}
