package domain

import (
	"strings"
	"time"
)

// MeetingType is what a customer meeting is for.
type MeetingType string

const (
	MeetingDiscovery   MeetingType = "discovery"
	MeetingDemo        MeetingType = "demo"
	MeetingDeepDive    MeetingType = "deep_dive"
	MeetingPOCReview   MeetingType = "poc_review"
	MeetingNegotiation MeetingType = "negotiation"
	MeetingExecutive   MeetingType = "executive"
)

// MeetingTypes lists every meeting type.
var MeetingTypes = []MeetingType{MeetingDiscovery, MeetingDemo, MeetingDeepDive, MeetingPOCReview, MeetingNegotiation, MeetingExecutive}

// Valid reports whether t is a known meeting type.
func (t MeetingType) Valid() bool { return oneOf(t, MeetingTypes) }

// Label is the type's name for people.
func (t MeetingType) Label() string { return label(string(t)) }

// MeetingStatus is whether a meeting is ahead, held or called off.
type MeetingStatus string

const (
	MeetingScheduled MeetingStatus = "scheduled"
	MeetingHeld      MeetingStatus = "held"
	MeetingCancelled MeetingStatus = "cancelled"
)

// Meeting is a customer meeting on a deal. Times are UTC.
type Meeting struct {
	ID           int64
	DealID       int64
	Title        string
	Type         MeetingType
	StartsAt     time.Time
	EndsAt       time.Time
	Location     string
	Agenda       string
	Goal         string
	Status       MeetingStatus
	OutcomeNotes string
	Version      int64 `gorm:"default:1"` // optimistic locking: bumped by every update
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// MeetingContact is a customer attendee.
type MeetingContact struct {
	MeetingID int64
	ContactID int64
}

// MeetingAttendee is an internal attendee.
type MeetingAttendee struct {
	MeetingID int64
	UserID    int64
}

// Sync is the pre-meeting agreement between the salesperson and DevRel.
type Sync struct {
	ID                int64
	MeetingID         int64
	Notes             string
	MayRaise          string
	Avoid             string
	SalesConfirmedAt  *time.Time
	SalesConfirmedBy  *int64
	DevRelConfirmedAt *time.Time `gorm:"column:dev_rel_confirmed_at"`
	DevRelConfirmedBy *int64     `gorm:"column:dev_rel_confirmed_by"`
	Version           int64      `gorm:"default:1"` // optimistic locking: bumped by every update
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

// SyncState is the pre-meeting gate's verdict.
type SyncState string

const (
	SyncNotNeeded SyncState = "not_needed" // no DevRel attends
	SyncUnsynced  SyncState = "unsynced"
	SyncStale     SyncState = "stale"
	SyncInSync    SyncState = "in_sync"
)

// SyncStates lists every sync state.
var SyncStates = []SyncState{SyncNotNeeded, SyncUnsynced, SyncStale, SyncInSync}

// Label is the state's name for people.
func (s SyncState) Label() string {
	switch s {
	case SyncInSync:
		return "In sync"
	case SyncStale:
		return "Stale — re-sync needed"
	case SyncUnsynced:
		return "Unsynced"
	}
	return "No DevRel attending"
}

// SyncEntities are what the sync rule watches: a change to any of a deal's
// offers, questions or promises after both sides confirmed makes the sync
// stale.
var SyncEntities = []Entity{EntityOffer, EntityQuestion, EntityPromise}

// AffectsSync reports whether a change to entity can make a sync stale.
func AffectsSync(entity Entity) bool { return oneOf(entity, SyncEntities) }

// SyncFreshness applies the gate's rule. A meeting with DevRel attending is
// in sync when both sides confirmed and nothing about the deal's offers,
// questions or promises changed after the later confirmation; stale when
// something did; unsynced when either side has not confirmed.
// lastChange is the time of the deal's latest such change (zero if none).
func SyncFreshness(devrelAttending bool, s *Sync, lastChange time.Time) SyncState {
	if !devrelAttending {
		return SyncNotNeeded
	}
	later, ok := s.Confirmed()
	switch {
	case !ok:
		return SyncUnsynced
	case lastChange.After(later):
		return SyncStale
	}
	return SyncInSync
}

// Confirmed is when both sides had confirmed the sync (the later of the
// two confirmations); ok false until both have.
func (s *Sync) Confirmed() (time.Time, bool) {
	if s == nil || s.SalesConfirmedAt == nil || s.DevRelConfirmedAt == nil {
		return time.Time{}, false
	}
	if s.DevRelConfirmedAt.After(*s.SalesConfirmedAt) {
		return *s.DevRelConfirmedAt, true
	}
	return *s.SalesConfirmedAt, true
}

// DevRelAttending are the internal attendees who are DevRel: a meeting
// "has DevRel attending" when there is one (DESIGN), and they are the
// DevRel side of its sync.
func DevRelAttending(attendees []User) []int64 {
	var ids []int64
	for _, u := range attendees {
		if u.Role == RoleDevRel {
			ids = append(ids, u.ID)
		}
	}
	return ids
}

// ConfirmSync stamps the confirming side of s and reports whether it was
// the sales side. Only the deal's owner (or a manager acting for them)
// confirms for sales; only a DevRel who attends and is on the deal team
// confirms for DevRel: the sync names the reserve, which only the team
// may read.
func ConfirmSync(s *Sync, u User, team DealTeam, devrelAttendees []int64, now time.Time) (sales bool, err error) {
	if err := Authorize(u, ActionConfirmSync, SyncSubject{Team: team, DevRelAttendees: devrelAttendees}); err != nil {
		return false, err
	}
	if syncSide(u, team, devrelAttendees) == sideSales {
		s.SalesConfirmedAt, s.SalesConfirmedBy = &now, &u.ID
		return true, nil
	}
	s.DevRelConfirmedAt, s.DevRelConfirmedBy = &now, &u.ID
	return false, nil
}

// AttendsOffTeam reports whether u is a DevRel attending the meeting
// without being on the deal team: they may not read or confirm its sync
// until they join.
func AttendsOffTeam(u User, team DealTeam, devrelAttendees []int64) bool {
	return u.Role == RoleDevRel && oneOf(u.ID, devrelAttendees) && !team.HasDevRel(u.ID)
}

type side int

const (
	sideNone side = iota
	sideSales
	sideDevRel
)

func syncSide(u User, team DealTeam, devrelAttendees []int64) side {
	switch {
	case !u.Active:
		return sideNone
	case u.ID == team.OwnerID || u.IsManager():
		return sideSales
	case u.Role == RoleDevRel && oneOf(u.ID, devrelAttendees) && team.HasDevRel(u.ID):
		return sideDevRel
	}
	return sideNone
}

// Snapshot is the meeting as the timeline shows it, times in UTC.
func (m *Meeting) Snapshot() Snapshot {
	return Snapshot{
		{Field: "title", New: m.Title},
		{Field: "type", New: string(m.Type)},
		{Field: "starts_at", New: m.StartsAt.UTC().Format("2006-01-02 15:04 UTC")},
		{Field: "ends_at", New: m.EndsAt.UTC().Format("2006-01-02 15:04 UTC")},
		{Field: "location", New: m.Location},
		{Field: "agenda", New: m.Agenda},
		{Field: "goal", New: m.Goal},
		{Field: "status", New: string(m.Status)},
		{Field: "outcome_notes", New: m.OutcomeNotes},
	}
}

// MarkHeld records that the meeting took place, with what came of it.
func (m *Meeting) MarkHeld(outcome string) error {
	if m.Status != MeetingScheduled {
		return Conflictf("This meeting is already %s.", m.Status)
	}
	outcome = strings.TrimSpace(outcome)
	errs := ValidationErrors{}
	if errs.Fit("outcome", outcome, MaxBody); len(errs) > 0 {
		return errs
	}
	m.Status, m.OutcomeNotes = MeetingHeld, outcome
	return nil
}

// MarkHeldAt is MarkHeld as a person does it at now, whichever page or
// API asks: before the start they must confirm that it was held already
// and say what came of it, so no click marks a future meeting held by
// mistake. From the start, the outcome may follow later.
func (m *Meeting) MarkHeldAt(outcome string, now time.Time, confirmedEarly bool) error {
	if m.Status == MeetingScheduled && !m.Started(now) {
		if !confirmedEarly {
			return ValidationErrors{"early": "This meeting has not started yet. Confirm that it was held already."}
		}
		if strings.TrimSpace(outcome) == "" {
			return ValidationErrors{"outcome": "This meeting has not started yet: to mark it held already, say what came of it."}
		}
	}
	return m.MarkHeld(outcome)
}

// Cancel calls the meeting off.
func (m *Meeting) Cancel() error {
	if m.Status != MeetingScheduled {
		return Conflictf("This meeting is already %s.", m.Status)
	}
	m.Status = MeetingCancelled
	return nil
}

// Reopen puts a held or cancelled meeting back on the schedule; the
// outcome notes stay, to be kept or rewritten when it is held.
func (m *Meeting) Reopen() error {
	if m.Status == MeetingScheduled {
		return Conflictf("This meeting is already scheduled.")
	}
	m.Status = MeetingScheduled
	return nil
}

// Started reports whether the meeting's start time has passed.
func (m *Meeting) Started(now time.Time) bool { return !now.Before(m.StartsAt) }

// SyncInput is the sync panel as typed.
type SyncInput struct {
	Notes, MayRaise, Avoid string
}

// Apply writes the input onto s. A change of what was agreed withdraws
// both confirmations: each side confirms what the sync now says.
func (in SyncInput) Apply(s *Sync) (changed bool, err error) {
	notes, may, avoid := strings.TrimSpace(in.Notes), strings.TrimSpace(in.MayRaise), strings.TrimSpace(in.Avoid)
	errs := ValidationErrors{}
	errs.Fit("notes", notes, MaxBody)
	errs.Fit("may_raise", may, MaxBody)
	errs.Fit("avoid", avoid, MaxBody)
	if err := errs.Err(); err != nil {
		return false, err
	}
	if notes == s.Notes && may == s.MayRaise && avoid == s.Avoid {
		return false, nil
	}
	s.Notes, s.MayRaise, s.Avoid = notes, may, avoid
	s.SalesConfirmedAt, s.SalesConfirmedBy, s.DevRelConfirmedAt, s.DevRelConfirmedBy = nil, nil, nil, nil
	return true, nil
}

// NeedsAttention reports whether a meeting soon is not in sync: it should
// stand out wherever it is listed.
func NeedsAttention(state SyncState, m Meeting, now time.Time) bool {
	return (state == SyncUnsynced || state == SyncStale) && m.Status == MeetingScheduled &&
		m.StartsAt.After(now) && m.StartsAt.Before(now.Add(48*time.Hour))
}

// Working hours are when a meeting is placed by default: from 9:00 to
// 17:00, Monday to Friday, in the person's own zone.
const (
	WorkdayStart = 9
	WorkdayEnd   = 17
)

func workingHour(t time.Time) bool {
	wd := t.Weekday()
	return wd != time.Saturday && wd != time.Sunday && t.Hour() >= WorkdayStart && t.Hour() < WorkdayEnd
}

// NextWorkingHour is the first full hour at or after t, in loc, within
// working hours: where a new meeting starts unless the person says
// otherwise.
func NextWorkingHour(t time.Time, loc *time.Location) time.Time {
	l := t.In(loc)
	h := time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), 0, 0, 0, loc)
	if h.Before(l) {
		h = h.Add(time.Hour)
	}
	for !workingHour(h) {
		h = h.Add(time.Hour)
	}
	return h
}

// PrevWorkingHour is the last full hour at or before t, in loc, within
// working hours.
func PrevWorkingHour(t time.Time, loc *time.Location) time.Time {
	l := t.In(loc)
	h := time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), 0, 0, 0, loc)
	for !workingHour(h) {
		h = h.Add(-time.Hour)
	}
	return h
}
