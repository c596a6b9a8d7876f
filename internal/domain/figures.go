package domain

import (
	"cmp"
	"slices"
	"time"
)

// Derived state: what coverage counts, each meeting's sync state and each
// DevRel's load are worked out here, from one deal's rows, and nowhere
// else. The store keeps what FiguresOf gives in the transaction of every
// change to the deal (the figures before are subtracted, the new ones
// added) and rebuilds it from the rows to check it.

// DealFacts are the rows of one deal that its derived state depends on.
type DealFacts struct {
	Deal        Deal
	Assignments []Assignment // active or ended
	Offers      []Offer
	Promises    []Promise
	Meetings    []MeetingFacts
	// LastSyncChange is the time of the deal's latest change to its
	// offers, questions or promises (SyncEntities); zero if none.
	LastSyncChange time.Time
	// ReserveMoves are its offers' moves into and out of the reserve, in
	// the order they were made.
	ReserveMoves []ReserveMove
}

// MeetingFacts are a meeting with what its sync state depends on.
type MeetingFacts struct {
	Meeting   Meeting
	Attendees []User // the internal attendees, with their roles now
	Sync      *Sync
}

// SyncState is the meeting's sync state (SyncFreshness) from its facts.
func (m MeetingFacts) SyncState(lastChange time.Time) SyncState {
	return SyncFreshness(len(DevRelAttending(m.Attendees)) > 0, m.Sync, lastChange)
}

// Rollup names one of the tables coverage reads its organisation-wide
// figures from.
type Rollup string

// The rollups, each a sum of every deal's figures.
const (
	RollupPipeline     Rollup = "pipeline_rollup"  // open pipeline by owner, stage, currency: deals, covered, value, covered value
	RollupPipelineDays Rollup = "pipeline_days"    // how it changed, by day, owner, currency
	RollupDeals        Rollup = "deal_rollup"      // live deals by owner, stage, currency: deals, value
	RollupOffers       Rollup = "offer_days"       // offers by the day proposed and status
	RollupPromises     Rollup = "promise_rollup"   // open promises by feasibility and due day (-1: none)
	RollupMeetings     Rollup = "meeting_hours"    // scheduled meetings by hour and sync state
	RollupAttendance   Rollup = "attendance_hours" // scheduled meetings by hour and attendee
	RollupLoads        Rollup = "devrel_loads"     // each DevRel's load: active assignments on open deals
	// The evidence's rows, one closed deal to a row (ClosedDeal.figures).
	RollupEvidence Rollup = "evidence_deals" // by close day, deal, facts, currency: 1, won, amount, days
)

// Rollups are every rollup, in the order changes to them are written
// (one order for every writer, so two never wait on each other in turn).
var Rollups = []Rollup{RollupPipeline, RollupPipelineDays, RollupDeals, RollupOffers, RollupPromises, RollupMeetings, RollupAttendance, RollupLoads,
	RollupEvidence}

// FigureKey is where in its rollup a figure counts: up to two numbers
// (an id, a day or an hour) and two words (a stage, a currency, a state).
type FigureKey struct {
	Rollup Rollup
	A, B   int64
	S, T   string
}

// Figure is what one deal adds to one cell of a rollup.
type Figure struct {
	Key FigureKey
	N   [4]int64
}

// Figures are a deal's figures, merged by key and in key order.
type Figures []Figure

// FiguresOf works out everything a deal adds to the rollups. An archived
// deal adds nothing: it has left every list and figure.
func FiguresOf(f DealFacts) Figures {
	d := f.Deal
	if d.ArchivedAt != nil {
		return merged(pipelineHistory(f))
	}
	var out []Figure
	add := func(k FigureKey, n ...int64) {
		var v [4]int64
		copy(v[:], n)
		out = append(out, Figure{k, v})
	}
	open := !d.Stage.Closed()
	covered := int64(0)
	if f.Covered() {
		covered = 1
	}
	add(FigureKey{Rollup: RollupDeals, A: d.OwnerID, S: string(d.Stage), T: d.Currency}, 1, d.AmountMinor)
	if open {
		add(FigureKey{Rollup: RollupPipeline, A: d.OwnerID, S: string(d.Stage), T: d.Currency}, 1, covered, d.AmountMinor, covered*d.AmountMinor)
		loaded := map[int64]bool{} // a DevRel's load counts deals
		for _, a := range f.Assignments {
			if a.Active && !loaded[a.UserID] {
				loaded[a.UserID] = true
				add(FigureKey{Rollup: RollupLoads, A: a.UserID}, 1)
			}
		}
	}
	for _, o := range f.Offers {
		add(FigureKey{Rollup: RollupOffers, A: EpochDay(o.CreatedAt), S: string(o.Status)}, 1)
	}
	for _, p := range f.Promises {
		if p.Status == PromiseOpen {
			add(FigureKey{Rollup: RollupPromises, A: DueDay(p.DueDate), S: string(p.Feasibility)}, 1)
		}
	}
	for _, m := range f.Meetings {
		if m.Meeting.Status != MeetingScheduled {
			continue
		}
		hour := EpochHour(m.Meeting.StartsAt)
		add(FigureKey{Rollup: RollupMeetings, A: hour, S: string(m.SyncState(f.LastSyncChange))}, 1)
		for _, u := range m.Attendees {
			add(FigureKey{Rollup: RollupAttendance, A: hour, B: u.ID}, 1)
		}
	}
	if e, ok := EvidenceOf(f); ok {
		out = append(out, e.figures()...)
	}
	return merged(append(out, pipelineHistory(f)...))
}

// Covered reports whether a DevRel is actively assigned to the deal.
func (f DealFacts) Covered() bool {
	return slices.ContainsFunc(f.Assignments, func(a Assignment) bool { return a.Active })
}

// pipelineHistory is the deal's part in the pipeline's trend, from its
// own dates: it joins the open pipeline on the day it was created and
// leaves it on the day it closed or was archived; it is covered from the
// day a DevRel claimed it to the day the last one left. The trend so
// shows the deals as they stand now (owner, currency, amount), at the
// times they were open, and the rebuild gives it back exactly.
func pipelineHistory(f DealFacts) []Figure {
	d := f.Deal
	var end *time.Time
	if d.Stage.Closed() {
		end = cmp.Or(d.ClosedAt, &d.CreatedAt)
	}
	if d.ArchivedAt != nil && (end == nil || d.ArchivedAt.Before(*end)) {
		end = d.ArchivedAt
	}
	var out []Figure
	at := func(t time.Time, sign int64, coveredOnly bool) {
		k := FigureKey{Rollup: RollupPipelineDays, A: EpochDay(t), B: d.OwnerID, T: d.Currency}
		if coveredOnly {
			out = append(out, Figure{k, [4]int64{0, sign, 0, sign * d.AmountMinor}})
			return
		}
		out = append(out, Figure{k, [4]int64{sign, 0, sign * d.AmountMinor, 0}})
	}
	if end != nil && !end.After(d.CreatedAt) {
		return nil // never open
	}
	at(d.CreatedAt, 1, false)
	if end != nil {
		at(*end, -1, false)
	}
	for _, span := range coveredSpans(f.Assignments, d.CreatedAt, end) {
		at(span[0], 1, true)
		if !span[1].IsZero() {
			at(span[1], -1, true)
		}
	}
	return out
}

// coveredSpans are the times a deal open from from to end (nil: still
// open) had a DevRel assigned: the union of its assignments' spans, an
// active one running on (a zero end).
func coveredSpans(as []Assignment, from time.Time, end *time.Time) [][2]time.Time {
	type span struct{ from, to time.Time } // to zero: still running
	var spans []span
	for _, a := range as {
		s := span{from: a.ClaimedAt}
		switch {
		case a.Active:
		case a.ReleasedAt != nil:
			s.to = *a.ReleasedAt
		default:
			continue // ended, with no time: it never counted
		}
		if s.from.Before(from) {
			s.from = from
		}
		if end != nil && (s.to.IsZero() || s.to.After(*end)) {
			s.to = *end
		}
		if !s.to.IsZero() && !s.to.After(s.from) {
			continue
		}
		spans = append(spans, s)
	}
	slices.SortFunc(spans, func(a, b span) int { return a.from.Compare(b.from) })
	var out [][2]time.Time
	for _, s := range spans {
		if n := len(out); n > 0 && (out[n-1][1].IsZero() || !s.from.After(out[n-1][1])) {
			if !out[n-1][1].IsZero() && (s.to.IsZero() || s.to.After(out[n-1][1])) {
				out[n-1][1] = s.to
			}
			continue
		}
		out = append(out, [2]time.Time{s.from, s.to})
	}
	return out
}

// merged sums figures with the same key and sorts them by key, leaving
// out those that add nothing.
func merged(fs []Figure) Figures {
	slices.SortFunc(fs, func(a, b Figure) int { return CompareKeys(a.Key, b.Key) })
	var out Figures
	for _, f := range fs {
		if n := len(out); n > 0 && out[n-1].Key == f.Key {
			for i := range f.N {
				out[n-1].N[i] += f.N[i]
			}
			continue
		}
		out = append(out, f)
	}
	return slices.DeleteFunc(out, func(f Figure) bool { return f.N == [4]int64{} })
}

// CompareKeys orders keys by rollup (in the order of Rollups), then by
// their parts.
func CompareKeys(a, b FigureKey) int {
	return cmp.Or(cmp.Compare(slices.Index(Rollups, a.Rollup), slices.Index(Rollups, b.Rollup)),
		cmp.Compare(a.A, b.A), cmp.Compare(a.B, b.B), cmp.Compare(a.S, b.S), cmp.Compare(a.T, b.T))
}

// Change is what replacing before by after adds to the rollups: after
// less before, key by key.
func (after Figures) Since(before Figures) Figures {
	neg := make([]Figure, len(before))
	for i, f := range before {
		neg[i] = Figure{f.Key, [4]int64{-f.N[0], -f.N[1], -f.N[2], -f.N[3]}}
	}
	return merged(append(slices.Clone([]Figure(after)), neg...))
}

// Sum adds up many deals' figures: the rollups as they should stand.
func Sum(all ...Figures) Figures {
	var fs []Figure
	for _, f := range all {
		fs = append(fs, f...)
	}
	return merged(fs)
}

// Totals add up many deals' figures as they come, key by key: a rebuild
// of 50,000 deals holds one number per cell, not every deal's figures.
type Totals map[FigureKey][4]int64

// Add adds a deal's figures.
func (t Totals) Add(fs Figures) {
	for _, f := range fs {
		n := t[f.Key]
		for i := range n {
			n[i] += f.N[i]
		}
		t[f.Key] = n
	}
}

// Figures are the totals as figures, in key order.
func (t Totals) Figures() Figures {
	fs := make([]Figure, 0, len(t))
	for k, n := range t {
		fs = append(fs, Figure{k, n})
	}
	return merged(fs)
}

// EpochDay is the rollups' day of t: whole days since 1970-01-01 UTC.
func EpochDay(t time.Time) int64 { return t.Unix() / 86400 }

// EpochHour is the rollups' hour of t.
func EpochHour(t time.Time) int64 { return t.Unix() / 3600 }

// DueDay is a promise's due day in the rollup: -1 when it has none.
func DueDay(due *time.Time) int64 {
	if due == nil {
		return -1
	}
	return EpochDay(*due)
}
