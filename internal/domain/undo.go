package domain

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// UndoWindow is how long a one-click change can be taken back.
const UndoWindow = 5 * time.Minute

// Undo is what it takes to take back one one-click change: the thing, the
// state it left and the state it reached, its version after the change,
// who made it and when. It travels in the person's own session, never in
// a form, so nobody can undo what they did not do.
type Undo struct {
	Entity   Entity
	ID       int64
	From, To string
	Version  int64
	By       int64
	At       time.Time
	// Was is the thing as it stood before the change where the state
	// alone does not say it (an offer's): an undo puts it back exactly.
	Was UndoWas
}

// UndoWas is when the thing last changed before the undone change, and
// who decided it then and when (an offer's review); zero when unknown.
type UndoWas struct {
	UpdatedAt time.Time
	DecidedBy int64
	DecidedAt time.Time
}

// UndoOfMeeting takes back marking a meeting held or cancelled: it is
// scheduled again. A meeting still scheduled (reopened) has none.
func UndoOfMeeting(m Meeting, by int64, at time.Time) (Undo, bool) {
	if m.Status == MeetingScheduled {
		return Undo{}, false
	}
	return Undo{Entity: EntityMeeting, ID: m.ID, From: string(MeetingScheduled), To: string(m.Status), By: by, At: at}, true
}

// UndoOfStageMove takes back moving a deal from one stage to another: it
// goes back to where it stood. Closing a deal frees its DevRel, which
// going back would not restore, so a move that closes has none.
func UndoOfStageMove(before Stage, d Deal, by int64, at time.Time) (Undo, bool) {
	if before == d.Stage || (d.Stage.Closed() && !before.Closed()) {
		return Undo{}, false
	}
	return Undo{Entity: EntityDeal, ID: d.ID, From: string(before), To: string(d.Stage), Version: d.Version, By: by, At: at}, true
}

// UndoOfClaim takes back claiming a request: it is open again.
func UndoOfClaim(r SupportRequest, by int64, at time.Time) Undo {
	return Undo{Entity: EntitySupportRequest, ID: r.ID, From: string(SupportOpen), To: string(SupportClaimed), By: by, At: at}
}

// UndoOfViewDelete takes back deleting a saved view: it is kept again
// under its name, with its filters.
func UndoOfViewDelete(id int64, name, query string, by int64, at time.Time) Undo {
	return Undo{Entity: EntitySavedView, ID: id, From: name, To: query, By: by, At: at}
}

// Allows says whether actor may take the change back at now: only who
// made it, and only within the window.
func (u Undo) Allows(actor User, now time.Time) error {
	if u.By != actor.ID {
		return ErrNotFound
	}
	if now.Sub(u.At) > UndoWindow {
		return Conflictf("It is too late to undo that: a change can be taken back for %d minutes. Change it again from its page.", int(UndoWindow.Minutes()))
	}
	return nil
}

// String encodes the undo for the session; From and To are escaped, as a
// view's name may hold the separator.
func (u Undo) String() string {
	return strings.Join([]string{string(u.Entity), strconv.FormatInt(u.ID, 10), url.QueryEscape(u.From), url.QueryEscape(u.To),
		strconv.FormatInt(u.Version, 10), strconv.FormatInt(u.By, 10), strconv.FormatInt(u.At.Unix(), 10),
		nanos(u.Was.UpdatedAt), strconv.FormatInt(u.Was.DecidedBy, 10), nanos(u.Was.DecidedAt)}, "|")
}

// nanos writes a time exactly, the zero time as 0.
func nanos(t time.Time) string {
	if t.IsZero() {
		return "0"
	}
	return strconv.FormatInt(t.UnixNano(), 10)
}

// ParseUndo reads an undo from the session.
func ParseUndo(s string) (Undo, error) {
	f := strings.Split(s, "|")
	if len(f) != 10 {
		return Undo{}, fmt.Errorf("undo: %d fields", len(f))
	}
	u := Undo{Entity: Entity(f[0])}
	var at, was, decided int64
	var err error
	if u.From, err = url.QueryUnescape(f[2]); err != nil {
		return Undo{}, fmt.Errorf("undo: from: %w", err)
	}
	if u.To, err = url.QueryUnescape(f[3]); err != nil {
		return Undo{}, fmt.Errorf("undo: to: %w", err)
	}
	for i, dst := range map[int]*int64{1: &u.ID, 4: &u.Version, 5: &u.By, 6: &at, 7: &was, 8: &u.Was.DecidedBy, 9: &decided} {
		if *dst, err = strconv.ParseInt(f[i], 10, 64); err != nil {
			return Undo{}, fmt.Errorf("undo: field %d: %w", i, err)
		}
	}
	u.At = time.Unix(at, 0).UTC()
	if was != 0 {
		u.Was.UpdatedAt = time.Unix(0, was).UTC()
	}
	if decided != 0 {
		u.Was.DecidedAt = time.Unix(0, decided).UTC()
	}
	return u, nil
}
