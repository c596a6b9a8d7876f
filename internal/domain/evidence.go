package domain

import (
	"math"
	"slices"
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

// ClosedDeal is one deal closed in the period, as the evidence reads it.
type ClosedDeal struct {
	ID    int64
	Won   bool
	Value int64 // minor units of the reporting currency
	Days  int64 // from opened to closed
	// InRoom: a DevRel attended at least one held meeting before the close.
	InRoom bool
	// InSync: in the room, and every such meeting was confirmed in sync
	// by both sides before it started.
	InSync bool
	Lever  Lever
	DevRel []int64 // the DevRel who attended its held meetings
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
// size band.
type Comparison struct {
	Name   string
	Groups []Group
	Bands  [3][]Group // the same groups within each size band
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
	c := Comparison{Name: name}
	for i, g := range groups {
		c.Groups = append(c.Groups, GroupOf(g, pooled[i]))
		for b := range banded {
			c.Bands[b] = append(c.Bands[b], GroupOf(g, banded[b][i]))
		}
	}
	return c
}

// Difference is the first group's win rate less the second's, pooled;
// ok only when both rates are known.
func (c Comparison) Difference() (float64, bool) {
	if len(c.Groups) < 2 || !c.Groups[0].Rate.Known() || !c.Groups[1].Rate.Known() {
		return 0, false
	}
	return c.Groups[0].Rate.Share() - c.Groups[1].Rate.Share(), true
}

// BandedDifference is the first group's win rate less the second's
// within size bands, averaged over the bands where both rates are known,
// each weighted as Cochran–Mantel–Haenszel weighs a stratum (nA·nB/(nA+nB)):
// the difference with deal size held still. ok when some band has both.
func (c Comparison) BandedDifference() (float64, bool) {
	var sum, weights float64
	for _, band := range c.Bands {
		if len(band) < 2 || !band[0].Rate.Known() || !band[1].Rate.Known() {
			continue
		}
		a, b := float64(band[0].Rate.Deals), float64(band[1].Rate.Deals)
		w := a * b / (a + b)
		sum += w * (band[0].Rate.Share() - band[1].Rate.Share())
		weights += w
	}
	if weights == 0 {
		return 0, false
	}
	return sum / weights, true
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
