package domain

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// The evidence (issue 28): for the deals closed in a period, whether what
// the pattern asks for — DevRel in the room, in sync before each meeting,
// an idea held in reserve — is associated with winning. The figures are
// worked out here, from one row per closed deal, and nowhere else; the
// page, the CSV and the API draw them.

// MinDealsForRate is how many deals a win rate needs before it is shown:
// from fewer it is "too few deals to tell", not a percentage.
const MinDealsForRate = 10

// z95 is the standard normal quantile of a two-sided 95 % interval.
const z95 = 1.959963984540054

// Rate is a share of deals won.
type Rate struct {
	Won, Deals int
}

// Known reports whether the rate rests on enough deals to be shown.
func (r Rate) Known() bool { return r.Deals >= MinDealsForRate }

// Share is the share won, 0 to 1; 0 without deals.
func (r Rate) Share() float64 {
	if r.Deals == 0 {
		return 0
	}
	return float64(r.Won) / float64(r.Deals)
}

// Interval is the Wilson score interval of the share at 95 %: it stays
// within 0 and 1 and is honest for small counts and shares near either
// end, where the normal approximation is not. 0, 1 without deals.
func (r Rate) Interval() (lo, hi float64) {
	if r.Deals == 0 {
		return 0, 1
	}
	n, p, z2 := float64(r.Deals), r.Share(), z95*z95
	denom := 1 + z2/n
	centre := (p + z2/(2*n)) / denom
	half := z95 * math.Sqrt(p*(1-p)/n+z2/(4*n*n)) / denom
	return max(0, centre-half), min(1, centre+half)
}

// Median is the middle of values (the mean of the two middle ones for an
// even count, rounded); 0 for none. values is not changed.
func Median(values []int64) int64 {
	if len(values) == 0 {
		return 0
	}
	s := slices.Clone(values)
	slices.Sort(s)
	mid := len(s) / 2
	if len(s)%2 == 1 {
		return s[mid]
	}
	return int64(math.Round((float64(s[mid-1]) + float64(s[mid])) / 2))
}

// SizeBand is a third of the period's closed deals by value.
type SizeBand int

// The bands, smallest deals first.
const (
	BandSmall SizeBand = iota
	BandMedium
	BandLarge
)

// SizeBands are where a period's closed deals are cut into thirds by
// value (in the reporting currency): a deal worth up to Small is small,
// up to Medium medium, the rest large. Deals of equal value fall in one
// band, so the thirds are only as even as the values allow.
type SizeBands struct {
	Small, Medium int64
	Cut           bool // false for fewer than three deals: all in one band
}

// BandsOf cuts values into thirds.
func BandsOf(values []int64) SizeBands {
	n := len(values)
	if n < 3 {
		return SizeBands{}
	}
	s := slices.Clone(values)
	slices.Sort(s)
	return SizeBands{Small: s[n/3-1], Medium: s[2*n/3-1], Cut: true}
}

// Of is the band of a deal worth value.
func (b SizeBands) Of(value int64) SizeBand {
	switch {
	case !b.Cut || value <= b.Small:
		return BandSmall
	case value <= b.Medium:
		return BandMedium
	}
	return BandLarge
}

// Lever is what became of the ideas held in reserve on a deal.
type Lever int

// A deal's levers: none held; one held and never used; one released.
const (
	LeverNone Lever = iota
	LeverHeldUnused
	LeverReleased
)

// ClosedDeal is one closed deal as the evidence reads it.
type ClosedDeal struct {
	ID       int64
	Won      bool
	Amount   int64  // minor units of Currency, the deal's own
	Currency string // the deal's
	Value    int64  // Amount in the reporting currency, once converted
	ClosedOn int64  // the epoch day it closed
	Days     int64  // from opened to closed
	// InRoom: a DevRel attended at least one held meeting before the close.
	InRoom bool
	// InSync: in the room, and every such meeting was confirmed in sync
	// by both sides before it started.
	InSync   bool
	Lever    Lever
	DevRel   []DevRelPart   // each DevRel in the room, by id
	Promises []PromiseTally // its promises as they stand, by feasibility and status
}

// DevRelPart is one DevRel's part in a closed deal: the held meetings
// before the close they attended, and how many of those were in sync.
type DevRelPart struct {
	UserID           int64
	Meetings, InSync int64
}

// PromiseTally counts a deal's promises of one feasibility and status.
type PromiseTally struct {
	Feasibility Feasibility
	Status      PromiseStatus
	Promises    int64
}

// ReserveMove is an offer moved into or out of the reserve (a hold, a
// release, the undoing of either), from its event.
type ReserveMove struct {
	OfferID  int64
	At       time.Time
	Action   string
	From, To OfferStatus
}

// EvidenceOf is what a deal tells the evidence, from its rows: ok only
// for a deal closed and not archived. A deal reopened tells nothing until
// it closes again, and then from that close.
func EvidenceOf(f DealFacts) (ClosedDeal, bool) {
	d := f.Deal
	if !d.Stage.Closed() || d.ClosedAt == nil || d.ArchivedAt != nil {
		return ClosedDeal{}, false
	}
	closed := *d.ClosedAt
	e := ClosedDeal{ID: d.ID, Won: d.Stage == StageClosedWon, Amount: d.AmountMinor, Currency: d.Currency, ClosedOn: EpochDay(closed),
		Days: max(0, int64(closed.Sub(d.CreatedAt)/(24*time.Hour))), InSync: true, Lever: leverAt(f.ReserveMoves, closed)}
	parts := map[int64]*DevRelPart{}
	for _, m := range f.Meetings {
		devrel := DevRelAttending(m.Attendees)
		if m.Meeting.Status != MeetingHeld || !m.Meeting.StartsAt.Before(closed) || len(devrel) == 0 {
			continue
		}
		e.InRoom = true
		synced := SyncedBefore(m.Sync, m.Meeting.StartsAt, f.LastSyncChange)
		e.InSync = e.InSync && synced
		for _, id := range devrel {
			p := parts[id]
			if p == nil {
				p = &DevRelPart{UserID: id}
				parts[id] = p
			}
			p.Meetings++
			if synced {
				p.InSync++
			}
		}
	}
	e.InSync = e.InSync && e.InRoom
	for _, p := range parts {
		e.DevRel = append(e.DevRel, *p)
	}
	slices.SortFunc(e.DevRel, func(a, b DevRelPart) int { return int(a.UserID - b.UserID) })
	tally := map[[2]string]int64{}
	for _, p := range f.Promises {
		tally[[2]string{string(p.Feasibility), string(p.Status)}]++
	}
	for k, n := range tally {
		e.Promises = append(e.Promises, PromiseTally{Feasibility: Feasibility(k[0]), Status: PromiseStatus(k[1]), Promises: n})
	}
	slices.SortFunc(e.Promises, func(a, b PromiseTally) int {
		return strings.Compare(string(a.Feasibility)+" "+string(a.Status), string(b.Feasibility)+" "+string(b.Status))
	})
	return e, true
}

// SyncedBefore reports whether a meeting starting at start was in sync
// when it started: both sides confirmed before it, and nothing the sync
// covers changed between the later confirmation and the start (as far
// as the deal's last such change tells).
func SyncedBefore(s *Sync, start, lastChange time.Time) bool {
	later, ok := s.Confirmed()
	if !ok || later.After(start) {
		return false
	}
	return !(lastChange.After(later) && !lastChange.After(start))
}

// leverAt is what became of the deal's ideas held in reserve by the
// close: released if one was (and the release stands), else held if one
// was held and not taken back, else none.
func leverAt(moves []ReserveMove, closed time.Time) Lever {
	type state struct{ held, released bool }
	offers := map[int64]*state{}
	for _, m := range moves {
		if m.At.After(closed) {
			continue
		}
		o := offers[m.OfferID]
		if o == nil {
			o = &state{}
			offers[m.OfferID] = o
		}
		switch {
		case m.To == OfferReserved: // a hold, or a release undone
			o.held, o.released = true, false
		case m.From == OfferReserved && m.Action == string(OfferRelease):
			o.released = true
		case m.From == OfferReserved: // a hold undone: it never held
			o.held = false
		}
	}
	lever := LeverNone
	for _, o := range offers {
		switch {
		case o.released:
			return LeverReleased
		case o.held:
			lever = LeverHeldUnused
		}
	}
	return lever
}

// figures are a closed deal's rows in the evidence rollups, one
// deal to a row: its facts, each DevRel's part, its promises.
func (e ClosedDeal) figures() []Figure {
	won := int64(0)
	if e.Won {
		won = 1
	}
	out := []Figure{{FigureKey{Rollup: RollupEvidence, A: e.ID, B: e.ClosedOn, S: e.facts(), T: e.Currency}, [4]int64{1, won, e.Amount, e.Days}}}
	for _, p := range e.DevRel {
		out = append(out, Figure{FigureKey{Rollup: RollupEvidenceDevRel, A: e.ID, B: p.UserID}, [4]int64{p.Meetings, p.InSync}})
	}
	for _, p := range e.Promises {
		out = append(out, Figure{FigureKey{Rollup: RollupEvidencePromises, A: e.ID, S: string(p.Feasibility), T: string(p.Status)}, [4]int64{p.Promises}})
	}
	return out
}

// leverWords name the levers in the evidence rollup's word.
var leverWords = []string{LeverNone: "none", LeverHeldUnused: "held", LeverReleased: "released"}

// facts is the deal's facts as one word of the rollup's key:
// "room sync released", "away unsynced none".
func (e ClosedDeal) facts() string {
	room, sync := "away", "unsynced"
	if e.InRoom {
		room = "room"
	}
	if e.InSync {
		sync = "sync"
	}
	return room + " " + sync + " " + leverWords[e.Lever]
}

// ReadEvidenceFacts sets the facts a rollup's word names on e.
func (e *ClosedDeal) ReadEvidenceFacts(word string) error {
	parts := strings.Fields(word)
	if len(parts) != 3 || !slices.Contains(leverWords, parts[2]) {
		return fmt.Errorf("evidence facts %q", word)
	}
	e.InRoom, e.InSync, e.Lever = parts[0] == "room", parts[1] == "sync", Lever(slices.Index(leverWords, parts[2]))
	return nil
}

// Group is one side of a comparison: its deals and what they came to.
type Group struct {
	Name        string
	IDs         []int64 // the deals behind it, for the links
	Rate        Rate
	MedianValue int64 // minor units of the reporting currency
	MedianDays  int64
	WonValue    int64
}

// GroupOf sums deals into a group.
func GroupOf(name string, deals []ClosedDeal) Group {
	g := Group{Name: name, IDs: make([]int64, 0, len(deals))}
	values, days := make([]int64, 0, len(deals)), make([]int64, 0, len(deals))
	for _, d := range deals {
		g.IDs = append(g.IDs, d.ID)
		g.Rate.Deals++
		if d.Won {
			g.Rate.Won++
			g.WonValue += d.Value
		}
		values, days = append(values, d.Value), append(days, d.Days)
	}
	g.MedianValue, g.MedianDays = Median(values), Median(days)
	return g
}

// Comparison sets groups of deals side by side, pooled and within each
// size band; Pair names the two groups whose win rates it compares.
type Comparison struct {
	Name   string
	Groups []Group
	Bands  [3][]Group // the same groups within each size band
	Pair   [2]int
}

// Compare splits deals into the named groups (sideOf says which, or -1
// for a deal the comparison leaves out), pooled and by band.
func Compare(name string, groups []string, deals []ClosedDeal, bands SizeBands, sideOf func(ClosedDeal) int) Comparison {
	pooled := make([][]ClosedDeal, len(groups))
	var banded [3][][]ClosedDeal
	for b := range banded {
		banded[b] = make([][]ClosedDeal, len(groups))
	}
	for _, d := range deals {
		side := sideOf(d)
		if side < 0 {
			continue
		}
		pooled[side] = append(pooled[side], d)
		b := bands.Of(d.Value)
		banded[b][side] = append(banded[b][side], d)
	}
	c := Comparison{Name: name, Pair: [2]int{0, 1}}
	for i, g := range groups {
		c.Groups = append(c.Groups, GroupOf(g, pooled[i]))
		for b := range banded {
			c.Bands[b] = append(c.Bands[b], GroupOf(g, banded[b][i]))
		}
	}
	return c
}

// Difference is the win rate of the pair's first group less the
// second's, pooled; ok only when both rates are known.
func (c Comparison) Difference() (float64, bool) {
	return difference(c.Groups, c.Pair)
}

func difference(groups []Group, pair [2]int) (float64, bool) {
	if max(pair[0], pair[1]) >= len(groups) {
		return 0, false
	}
	a, b := groups[pair[0]].Rate, groups[pair[1]].Rate
	if !a.Known() || !b.Known() {
		return 0, false
	}
	return a.Share() - b.Share(), true
}

// BandedDifference is the pair's difference within size bands, averaged over the bands where both rates are known,
// each weighted as Cochran–Mantel–Haenszel weighs a stratum (nA·nB/(nA+nB)):
// the difference with deal size held still. ok when some band has both.
func (c Comparison) BandedDifference() (float64, bool) {
	var sum, weights float64
	for _, band := range c.Bands {
		d, ok := difference(band, c.Pair)
		if !ok {
			continue
		}
		a, b := float64(band[c.Pair[0]].Rate.Deals), float64(band[c.Pair[1]].Rate.Deals)
		w := a * b / (a + b)
		sum += w * d
		weights += w
	}
	if weights == 0 {
		return 0, false
	}
	return sum / weights, true
}

// DifferenceInterval is the 95 % interval of the pooled difference, by
// Newcombe's hybrid score method (from each rate's Wilson interval); ok
// only when both rates are known.
func (c Comparison) DifferenceInterval() (lo, hi float64, ok bool) {
	d, ok := c.Difference()
	if !ok {
		return 0, 0, false
	}
	a, b := c.Groups[c.Pair[0]].Rate, c.Groups[c.Pair[1]].Rate
	la, ua := a.Interval()
	lb, ub := b.Interval()
	pa, pb := a.Share(), b.Share()
	return d - math.Hypot(pa-la, ub-pb), d + math.Hypot(ua-pa, pb-lb), true
}

// BandedInterval is the 95 % interval of the banded difference: each
// band's variance weighted as the difference is, by the normal
// approximation; ok when the banded difference is.
func (c Comparison) BandedInterval() (lo, hi float64, ok bool) {
	d, ok := c.BandedDifference()
	if !ok {
		return 0, 0, false
	}
	var variance, weights float64
	for _, band := range c.Bands {
		if _, ok := difference(band, c.Pair); !ok {
			continue
		}
		a, b := band[c.Pair[0]].Rate, band[c.Pair[1]].Rate
		na, nb := float64(a.Deals), float64(b.Deals)
		w := na * nb / (na + nb)
		variance += w * w * (a.Share()*(1-a.Share())/na + b.Share()*(1-b.Share())/nb)
		weights += w
	}
	half := z95 * math.Sqrt(variance) / weights
	return d - half, d + half, true
}

// Confounded reports whether the pooled and the banded differences point
// different ways: one says the first group wins more often, the other
// less, so deal size, not the comparison, may be what the pooled figure
// shows.
func (c Comparison) Confounded() bool {
	pooled, ok := c.Difference()
	banded, bok := c.BandedDifference()
	return ok && bok && pooled*banded < 0
}

// Finding is what a comparison's pair shows, in the words the page uses:
// "associated with", never "caused".
type Finding int

// The findings: too few deals to tell; the first group won more often,
// less often, or about as often (within MinDifference).
const (
	FindingTooFew Finding = iota
	FindingMore
	FindingLess
	FindingSame
)

// MinDifference is how far apart two win rates must be to be told apart
// in words: two points.
const MinDifference = 0.02

// findingOf says what a difference shows.
func findingOf(d float64, ok bool) Finding {
	switch {
	case !ok:
		return FindingTooFew
	case d >= MinDifference:
		return FindingMore
	case d <= -MinDifference:
		return FindingLess
	}
	return FindingSame
}

// Pooled is what the pair shows over all its deals.
func (c Comparison) Pooled() Finding { return findingOf(c.Difference()) }

// Banded is what the pair shows with deal size held still.
func (c Comparison) Banded() Finding { return findingOf(c.BandedDifference()) }

// DevRelRow is one DevRel's deals in the room: how they went, and how
// many of the meetings they attended were in sync.
type DevRelRow struct {
	UserID           int64
	Group            Group
	Meetings, InSync int64
}

// SyncShare is the share of their meetings in sync, 0 to 1.
func (r DevRelRow) SyncShare() float64 {
	if r.Meetings == 0 {
		return 0
	}
	return float64(r.InSync) / float64(r.Meetings)
}

// PromiseOutcome counts the promises of one feasibility on the closed
// deals by where they stand: kept, dropped, still open.
type PromiseOutcome struct {
	Feasibility         Feasibility
	Kept, Dropped, Open int64
}

// QuarterRow is the first comparison over the deals closed in one
// calendar quarter (UTC), for the trend.
type QuarterRow struct {
	Start time.Time
	Room  Comparison
}

// EvidenceReport is what the evidence page shows, worked out from the
// closed deals of a period with their values in the reporting currency.
type EvidenceReport struct {
	Deals    int
	Bands    SizeBands
	Room     Comparison // DevRel in the room, or not
	Sync     Comparison // of those in the room: in sync before every meeting, or not
	Levers   Comparison // a lever released, one held and never used, none held
	Promises Comparison // deals with promises, and without
	Outcomes []PromiseOutcome
	DevRel   []DevRelRow
	Quarters []QuarterRow
}

// The groups of each comparison, as the page names them.
var (
	RoomGroups     = []string{"DevRel in the room", "No DevRel in the room"}
	SyncGroups     = []string{"In sync before every meeting", "Not in sync before every meeting"}
	LeverGroups    = []string{"A reserve lever released", "Held, never used", "None held"}
	PromiseGroups  = []string{"Promises made", "No promises"}
	feasibilityRow = []Feasibility{FeasibilityFeasible, FeasibilityRisky, FeasibilityInfeasible, FeasibilityUnreviewed}
)

// AnalyseEvidence works the report out from the closed deals.
func AnalyseEvidence(deals []ClosedDeal) EvidenceReport {
	values := make([]int64, len(deals))
	for i, d := range deals {
		values[i] = d.Value
	}
	r := EvidenceReport{Deals: len(deals), Bands: BandsOf(values)}
	side := func(yes bool) int {
		if yes {
			return 0
		}
		return 1
	}
	room := func(d ClosedDeal) int { return side(d.InRoom) }
	r.Room = Compare("DevRel in the room", RoomGroups, deals, r.Bands, room)
	r.Sync = Compare("In sync", SyncGroups, deals, r.Bands, func(d ClosedDeal) int {
		if !d.InRoom {
			return -1
		}
		return side(d.InSync)
	})
	r.Levers = Compare("Reserve levers", LeverGroups, deals, r.Bands, func(d ClosedDeal) int { return [...]int{LeverReleased: 0, LeverHeldUnused: 1, LeverNone: 2}[d.Lever] })
	r.Levers.Pair = [2]int{0, 2} // released against none held
	r.Promises = Compare("Promises", PromiseGroups, deals, r.Bands, func(d ClosedDeal) int { return side(len(d.Promises) > 0) })

	outcomes := map[Feasibility]*PromiseOutcome{}
	for _, f := range feasibilityRow {
		outcomes[f] = &PromiseOutcome{Feasibility: f}
	}
	rows := map[int64]*DevRelRow{}
	var attended = map[int64][]ClosedDeal{}
	for _, d := range deals {
		for _, p := range d.Promises {
			o := outcomes[p.Feasibility]
			if o == nil {
				continue
			}
			switch p.Status {
			case PromiseKept:
				o.Kept += p.Promises
			case PromiseDropped:
				o.Dropped += p.Promises
			default:
				o.Open += p.Promises
			}
		}
		for _, p := range d.DevRel {
			row := rows[p.UserID]
			if row == nil {
				row = &DevRelRow{UserID: p.UserID}
				rows[p.UserID] = row
			}
			row.Meetings += p.Meetings
			row.InSync += p.InSync
			attended[p.UserID] = append(attended[p.UserID], d)
		}
	}
	for _, f := range feasibilityRow {
		r.Outcomes = append(r.Outcomes, *outcomes[f])
	}
	for id, row := range rows {
		row.Group = GroupOf("", attended[id])
		r.DevRel = append(r.DevRel, *row)
	}
	slices.SortFunc(r.DevRel, func(a, b DevRelRow) int { return int(a.UserID - b.UserID) })

	byQuarter := map[time.Time][]ClosedDeal{}
	for _, d := range deals {
		q := QuarterOf(time.Unix(d.ClosedOn*86400, 0).UTC())
		byQuarter[q] = append(byQuarter[q], d)
	}
	for q, ds := range byQuarter {
		r.Quarters = append(r.Quarters, QuarterRow{Start: q, Room: Compare("DevRel in the room", RoomGroups, ds, r.Bands, room)})
	}
	slices.SortFunc(r.Quarters, func(a, b QuarterRow) int { return a.Start.Compare(b.Start) })
	return r
}

// QuarterOf is the first day of t's calendar quarter.
func QuarterOf(t time.Time) time.Time {
	return time.Date(t.Year(), time.Month((int(t.Month())-1)/3*3+1), 1, 0, 0, 0, 0, t.Location())
}
