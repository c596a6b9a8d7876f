package domain

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
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
	return middle(s[max(0, mid-1)], s[mid], len(s))
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

// figures are a closed deal's row in the evidence rollup: one a deal,
// its facts (with each DevRel's part and its promises) one word of the
// key, so that the period's deals are one read of one range of days.
func (e ClosedDeal) figures() []Figure {
	won := int64(0)
	if e.Won {
		won = 1
	}
	return []Figure{{FigureKey{Rollup: RollupEvidence, A: e.ID, B: e.ClosedOn, S: e.facts(), T: e.Currency}, [4]int64{1, won, e.Amount, e.Days}}}
}

// leverWords name the levers in the evidence rollup's word.
var leverWords = []string{LeverNone: "none", LeverHeldUnused: "held", LeverReleased: "released"}

// facts is the deal's facts as one word of the rollup's key: in the room
// or away, in sync or not, its lever, then each DevRel's part (id,
// meetings, in sync) and each tally of its promises, in their order:
// "room sync released devrel:12:3:2 promise:risky:kept:1".
func (e ClosedDeal) facts() string {
	room, sync := "away", "unsynced"
	if e.InRoom {
		room = "room"
	}
	if e.InSync {
		sync = "sync"
	}
	b := []byte(room + " " + sync + " " + leverWords[e.Lever])
	for _, p := range e.DevRel {
		b = fmt.Appendf(b, " devrel:%d:%d:%d", p.UserID, p.Meetings, p.InSync)
	}
	for _, p := range e.Promises {
		b = fmt.Appendf(b, " promise:%s:%s:%d", p.Feasibility, p.Status, p.Promises)
	}
	return string(b)
}

// ReadEvidenceFacts sets the facts a rollup's word names on e.
func (e *ClosedDeal) ReadEvidenceFacts(word string) error {
	bad := func() error { return fmt.Errorf("evidence facts %q", word) }
	at := 0
	for rest := word; rest != ""; {
		var w string
		w, rest, _ = strings.Cut(rest, " ")
		switch at++; at {
		case 1:
			e.InRoom = w == "room"
		case 2:
			e.InSync = w == "sync"
		case 3:
			lever := slices.Index(leverWords, w)
			if lever < 0 {
				return bad()
			}
			e.Lever = Lever(lever)
		default:
			var f [4]string
			if strings.Count(w, ":") != 3 {
				return bad()
			}
			for i := range f {
				f[i], w, _ = strings.Cut(w, ":")
			}
			switch f[0] {
			case "devrel":
				var p DevRelPart
				if !numbers(f[1:], &p.UserID, &p.Meetings, &p.InSync) {
					return bad()
				}
				e.DevRel = append(e.DevRel, p)
			case "promise":
				p := PromiseTally{Feasibility: Feasibility(f[1]), Status: PromiseStatus(f[2])}
				if !numbers(f[3:], &p.Promises) {
					return bad()
				}
				e.Promises = append(e.Promises, p)
			default:
				return bad()
			}
		}
	}
	if at < 3 {
		return bad()
	}
	return nil
}

// numbers reads words into numbers, one each; false if one is not.
func numbers(words []string, into ...*int64) bool {
	for i, w := range words {
		n, err := strconv.ParseInt(w, 10, 64)
		if err != nil {
			return false
		}
		*into[i] = n
	}
	return true
}

// Group is one side of a comparison: its deals and what they came to.
type Group struct {
	Name        string
	Rate        Rate
	MedianValue int64 // minor units of the reporting currency
	MedianDays  int64
	WonValue    int64
}

// GroupOf sums deals into a group.
func GroupOf(name string, deals []ClosedDeal) Group {
	return PeriodOf(deals).groups([]string{name}, func(*ClosedDeal) int { return 0 })[0]
}

// Comparison sets groups of deals side by side, pooled and within each
// size band; Pair names the two groups whose win rates it compares.
type Comparison struct {
	Name   string
	Groups []Group
	Bands  [3][]Group // the same groups within each size band
	Pair   [2]int
}

// Period is a period's closed deals, put in order of value and of days
// to close once, so that each group's medians are read off in one pass
// over each order instead of sorting every group's deals again.
type Period struct {
	Deals           []ClosedDeal
	Bands           SizeBands // thirds of the deals by value
	byValue, byDays []int32   // indexes into Deals
}

// PeriodOf orders the deals and cuts them into size bands; it keeps
// them, and changes none.
func PeriodOf(deals []ClosedDeal) Period {
	p := Period{Deals: deals, byValue: make([]int32, len(deals)), byDays: make([]int32, len(deals))}
	values := make([]int64, len(deals))
	for i, d := range deals {
		p.byValue[i], p.byDays[i], values[i] = int32(i), int32(i), d.Value
	}
	p.Bands = BandsOf(values)
	slices.SortFunc(p.byValue, func(a, b int32) int { return cmp.Compare(deals[a].Value, deals[b].Value) })
	slices.SortFunc(p.byDays, func(a, b int32) int { return cmp.Compare(deals[a].Days, deals[b].Days) })
	return p
}

// Compare splits the deals into the named groups (sideOf says which, or
// -1 for a deal the comparison leaves out), pooled and by band.
func (p Period) Compare(name string, groups []string, sideOf func(*ClosedDeal) int) Comparison {
	c := Comparison{Name: name, Pair: [2]int{0, 1}, Groups: p.groups(groups, sideOf)}
	k := len(groups)
	banded := p.groups(slices.Concat(groups, groups, groups), func(d *ClosedDeal) int {
		side := sideOf(d)
		if side < 0 {
			return -1
		}
		return int(p.Bands.Of(d.Value))*k + side
	})
	for b := range c.Bands {
		c.Bands[b] = banded[b*k : (b+1)*k : (b+1)*k]
	}
	return c
}

// groups sums the deals into a group per name: sideOf says which, or -1
// for none.
func (p Period) groups(names []string, sideOf func(*ClosedDeal) int) []Group {
	out := make([]Group, len(names))
	sides := make([]int32, len(p.Deals))
	for i := range p.Deals {
		d := &p.Deals[i]
		side := sideOf(d)
		sides[i] = int32(side)
		if side < 0 {
			continue
		}
		g := &out[side]
		g.Rate.Deals++
		if d.Won {
			g.Rate.Won++
			g.WonValue += d.Value
		}
	}
	for i := range out {
		out[i].Name = names[i]
	}
	medians(out, sides, p.byValue, func(i int32) int64 { return p.Deals[i].Value }, func(g *Group) *int64 { return &g.MedianValue })
	medians(out, sides, p.byDays, func(i int32) int64 { return p.Deals[i].Days }, func(g *Group) *int64 { return &g.MedianDays })
	return out
}

// medians sets each group's median of a figure, walking the deals in
// that figure's order: a group's middle deals are its middle ones there.
func medians(groups []Group, sides []int32, order []int32, figure func(int32) int64, median func(*Group) *int64) {
	seen := make([]int, len(groups))
	below := make([]int64, len(groups)) // an even group's lower middle figure
	for _, i := range order {
		side := sides[i]
		if side < 0 {
			continue
		}
		n, at := groups[side].Rate.Deals, seen[side]
		seen[side]++
		switch {
		case n%2 == 0 && at == n/2-1:
			below[side] = figure(i)
		case at == n/2:
			*median(&groups[side]) = middle(below[side], figure(i), n)
		}
	}
}

// middle is the median of n values whose middle ones are lo and hi (the
// same one for an odd n).
func middle(lo, hi int64, n int) int64 {
	if n%2 == 1 {
		return hi
	}
	return int64(math.Round((float64(lo) + float64(hi)) / 2))
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

// The comparisons, by the keys the page's links name them with.
const (
	EvidenceRoom     = "room"
	EvidenceSync     = "sync"
	EvidenceLevers   = "levers"
	EvidencePromises = "promises"
	EvidenceDevRel   = "devrel" // a DevRel's deals in the room, by their id
)

// evidenceSides say which group of each comparison a deal is in, or -1
// for a deal the comparison leaves out.
var evidenceSides = map[string]func(*ClosedDeal) int{
	EvidenceRoom: func(d *ClosedDeal) int { return yesNo(d.InRoom) },
	EvidenceSync: func(d *ClosedDeal) int {
		if !d.InRoom {
			return -1
		}
		return yesNo(d.InSync)
	},
	EvidenceLevers:   func(d *ClosedDeal) int { return [...]int{LeverReleased: 0, LeverHeldUnused: 1, LeverNone: 2}[d.Lever] },
	EvidencePromises: func(d *ClosedDeal) int { return yesNo(len(d.Promises) > 0) },
}

// yesNo is the first group for yes, the second for no.
func yesNo(yes bool) int {
	if yes {
		return 0
	}
	return 1
}

// attendedBy puts the deals a DevRel was in the room for in one group.
func attendedBy(id int64) func(*ClosedDeal) int {
	return func(d *ClosedDeal) int {
		if slices.ContainsFunc(d.DevRel, func(p DevRelPart) bool { return p.UserID == id }) {
			return 0
		}
		return -1
	}
}

// DealsBehind are the ids of the deals behind one count of the report, in
// the deals' order: group g of the comparison key names (within a size
// band of the period's, or pooled for band -1), or the deals the DevRel
// whose id is g was in the room for (EvidenceDevRel); false for no such
// count. The report keeps counts, not deals: a year's closed deals are
// thousands of ids a group, kept for every period read.
func (p Period) DealsBehind(key string, g int64, band int) ([]int64, bool) {
	sideOf, ok := evidenceSides[key]
	if key == EvidenceDevRel {
		sideOf, ok, g = attendedBy(g), true, 0
	}
	if !ok || g < 0 || g > 2 || band < -1 || band > 2 {
		return nil, false
	}
	var ids []int64
	for i := range p.Deals {
		d := &p.Deals[i]
		if sideOf(d) == int(g) && (band < 0 || int(p.Bands.Of(d.Value)) == band) {
			ids = append(ids, d.ID)
		}
	}
	return ids, true
}

// AnalyseEvidence works the report out from the closed deals.
func AnalyseEvidence(deals []ClosedDeal) EvidenceReport {
	p := PeriodOf(deals)
	r := EvidenceReport{Deals: len(deals), Bands: p.Bands}
	room := evidenceSides[EvidenceRoom]
	r.Room = p.Compare("DevRel in the room", RoomGroups, room)
	r.Sync = p.Compare("In sync", SyncGroups, evidenceSides[EvidenceSync])
	r.Levers = p.Compare("Reserve levers", LeverGroups, evidenceSides[EvidenceLevers])
	r.Levers.Pair = [2]int{0, 2} // released against none held
	r.Promises = p.Compare("Promises", PromiseGroups, evidenceSides[EvidencePromises])

	outcomes := map[Feasibility]*PromiseOutcome{}
	for _, f := range feasibilityRow {
		outcomes[f] = &PromiseOutcome{Feasibility: f}
	}
	rows := map[int64]*DevRelRow{}
	quarterOf := map[int64]time.Time{} // by close day
	for i := range deals {
		d := &deals[i]
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
		}
		if _, ok := quarterOf[d.ClosedOn]; !ok {
			quarterOf[d.ClosedOn] = QuarterOf(time.Unix(d.ClosedOn*86400, 0).UTC())
		}
	}
	for _, f := range feasibilityRow {
		r.Outcomes = append(r.Outcomes, *outcomes[f])
	}
	for _, row := range rows {
		r.DevRel = append(r.DevRel, *row)
	}
	slices.SortFunc(r.DevRel, func(a, b DevRelRow) int { return cmp.Compare(a.UserID, b.UserID) })
	for i := range r.DevRel {
		r.DevRel[i].Group = p.groups([]string{""}, attendedBy(r.DevRel[i].UserID))[0]
	}

	// The quarters' comparisons in one: a group per quarter and side.
	var starts []time.Time
	for _, q := range quarterOf {
		if !slices.Contains(starts, q) {
			starts = append(starts, q)
		}
	}
	slices.SortFunc(starts, time.Time.Compare)
	k := len(RoomGroups)
	all := p.Compare("DevRel in the room", slices.Repeat(RoomGroups, len(starts)), func(d *ClosedDeal) int {
		return slices.Index(starts, quarterOf[d.ClosedOn])*k + room(d)
	})
	for q, start := range starts {
		c := Comparison{Name: all.Name, Pair: all.Pair, Groups: all.Groups[q*k : (q+1)*k : (q+1)*k]}
		for b := range c.Bands {
			c.Bands[b] = all.Bands[b][q*k : (q+1)*k : (q+1)*k]
		}
		r.Quarters = append(r.Quarters, QuarterRow{Start: start, Room: c})
	}
	return r
}

// QuarterOf is the first day of t's calendar quarter.
func QuarterOf(t time.Time) time.Time {
	return time.Date(t.Year(), time.Month((int(t.Month())-1)/3*3+1), 1, 0, 0, 0, 0, t.Location())
}
