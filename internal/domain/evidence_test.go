package domain_test

import (
	"math"
	"slices"
	"testing"

	"github.com/presale/presale/internal/domain"
)

// The Wilson interval, against figures worked by hand (and in published
// tables): 5 of 10 is 23.7 % to 76.3 %; none of 20 is 0 to 16.1 %; all of
// 20 is 83.9 % to 100 %.
func TestTheWilsonInterval(t *testing.T) {
	for _, c := range []struct {
		won, deals int
		lo, hi     float64
	}{
		{5, 10, 0.2366, 0.7634},
		{0, 20, 0, 0.1611},
		{20, 20, 0.8389, 1},
		{1, 3, 0.0615, 0.7923},
		{0, 0, 0, 1},
	} {
		lo, hi := domain.Rate{Won: c.won, Deals: c.deals}.Interval()
		if math.Abs(lo-c.lo) > 0.00005 || math.Abs(hi-c.hi) > 0.00005 {
			t.Errorf("%d of %d: %.4f–%.4f, want %.4f–%.4f", c.won, c.deals, lo, hi, c.lo, c.hi)
		}
	}
}

// A rate from fewer than ten deals is too few to tell.
func TestTooFewDealsToTell(t *testing.T) {
	if (domain.Rate{Won: 9, Deals: 9}).Known() || !(domain.Rate{Won: 0, Deals: 10}).Known() {
		t.Fatal("nine deals are too few, ten are enough")
	}
	if got := (domain.Rate{Won: 3, Deals: 12}).Share(); got != 0.25 {
		t.Fatalf("3 of 12: %v", got)
	}
}

func TestMedian(t *testing.T) {
	in := []int64{9, 1, 5}
	for _, c := range []struct {
		values []int64
		want   int64
	}{{nil, 0}, {in, 5}, {[]int64{4, 1, 3, 2}, 3}, {[]int64{1, 2}, 2}, {[]int64{7}, 7}} {
		if got := domain.Median(c.values); got != c.want {
			t.Errorf("median of %v: %d, want %d", c.values, got, c.want)
		}
	}
	if !slices.Equal(in, []int64{9, 1, 5}) {
		t.Fatal("the median sorted what it was given")
	}
}

// Thirds by value: 1..9 cut after 3 and 6; ten deals leave the fourth to
// the large; equal values stay in one band; under three deals, one band.
func TestSizeBandsEdges(t *testing.T) {
	nine := domain.BandsOf([]int64{9, 8, 7, 6, 5, 4, 3, 2, 1})
	if nine.Small != 3 || nine.Medium != 6 {
		t.Fatalf("1..9 cut at %+v", nine)
	}
	for v, want := range map[int64]domain.SizeBand{1: domain.BandSmall, 3: domain.BandSmall, 4: domain.BandMedium, 6: domain.BandMedium, 7: domain.BandLarge, 100: domain.BandLarge} {
		if got := nine.Of(v); got != want {
			t.Errorf("%d in band %d, want %d", v, got, want)
		}
	}
	ten := domain.BandsOf([]int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
	if ten.Small != 3 || ten.Medium != 6 || ten.Of(10) != domain.BandLarge {
		t.Fatalf("1..10 cut at %+v", ten)
	}
	same := domain.BandsOf([]int64{5, 5, 5, 5, 5, 5})
	if same.Of(5) != domain.BandSmall {
		t.Fatal("equal values are split across bands")
	}
	if few := domain.BandsOf([]int64{1, 1000}); few.Cut || few.Of(1000) != domain.BandSmall {
		t.Fatalf("two deals are cut: %+v", few)
	}
}

// A group sums its deals: won, won value, the medians of value and days.
func TestAGroupOfDeals(t *testing.T) {
	g := domain.GroupOf("DevRel in the room", []domain.ClosedDeal{
		{ID: 1, Won: true, Value: 100, Days: 30}, {ID: 2, Won: false, Value: 300, Days: 90}, {ID: 3, Won: true, Value: 200, Days: 60}, {ID: 4, Won: true, Value: 50, Days: 10},
	})
	if g.Rate != (domain.Rate{Won: 3, Deals: 4}) || g.WonValue != 350 || g.MedianValue != 150 || g.MedianDays != 45 || !slices.Equal(g.IDs, []int64{1, 2, 3, 4}) {
		t.Fatalf("%+v", g)
	}
}

// Simpson's paradox, by hand: DevRel is on most large deals, which win
// less often. Within each band the deals with DevRel in the room win ten
// points more often, yet pooled they win twenty points less: the
// comparison says so.
func TestTheBandedViewRecoversWhatThePooledHides(t *testing.T) {
	var deals []domain.ClosedDeal
	add := func(n, won int, value int64, inRoom bool) {
		for i := range n {
			deals = append(deals, domain.ClosedDeal{ID: int64(len(deals) + 1), Won: i < won, Value: value, InRoom: inRoom})
		}
	}
	add(10, 8, 100, true)   // small, in the room: 80 %
	add(40, 28, 100, false) // small, not: 70 %
	add(40, 12, 1000, true) // large, in the room: 30 %
	add(10, 2, 1000, false) // large, not: 20 %
	values := make([]int64, len(deals))
	for i, d := range deals {
		values[i] = d.Value
	}
	c := domain.Compare("DevRel in the room", []string{"In the room", "Not"}, deals, domain.BandsOf(values), func(d domain.ClosedDeal) int {
		if d.InRoom {
			return 0
		}
		return 1
	})
	if c.Groups[0].Rate != (domain.Rate{Won: 20, Deals: 50}) || c.Groups[1].Rate != (domain.Rate{Won: 30, Deals: 50}) {
		t.Fatalf("pooled: %+v", c.Groups)
	}
	pooled, ok := c.Difference()
	if !ok || math.Abs(pooled+0.2) > 1e-9 {
		t.Fatalf("pooled difference %v %v", pooled, ok)
	}
	banded, ok := c.BandedDifference()
	if !ok || math.Abs(banded-0.1) > 1e-9 {
		t.Fatalf("banded difference %v %v", banded, ok)
	}
	if !c.Confounded() {
		t.Fatal("the pooled and the banded results point different ways, unsaid")
	}
	// Without the confounder both agree.
	same := domain.Compare("DevRel in the room", []string{"In the room", "Not"}, deals[:50], domain.BandsOf(values[:50]), func(d domain.ClosedDeal) int {
		if d.InRoom {
			return 0
		}
		return 1
	})
	if same.Confounded() {
		t.Fatal("one band alone cannot disagree with itself")
	}
	// A deal a comparison leaves out counts in no group.
	none := domain.Compare("x", []string{"a", "b"}, deals, domain.BandsOf(values), func(domain.ClosedDeal) int { return -1 })
	if none.Groups[0].Rate.Deals+none.Groups[1].Rate.Deals != 0 {
		t.Fatal("a deal left out was counted")
	}
}
