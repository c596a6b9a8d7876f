package domain_test

import (
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

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
	if g.Rate != (domain.Rate{Won: 3, Deals: 4}) || g.WonValue != 350 || g.MedianValue != 150 || g.MedianDays != 45 {
		t.Fatalf("%+v", g)
	}
}

// A comparison's groups read their medians off the period's orders: on
// random deals (ties, odd and even groups, empty ones) each group, pooled
// and banded, is what summing its own deals plainly gives.
func TestAComparisonsGroupsAreTheirDealsSummed(t *testing.T) {
	rng := rand.New(rand.NewPCG(28, 1))
	for round := range 200 {
		deals := make([]domain.ClosedDeal, rng.IntN(40))
		values := make([]int64, len(deals))
		for i := range deals {
			deals[i] = domain.ClosedDeal{ID: int64(i + 1), Won: rng.IntN(2) == 0, Value: rng.Int64N(8) * 100, Days: rng.Int64N(5), Lever: domain.Lever(rng.IntN(3))}
			values[i] = deals[i].Value
		}
		bands := domain.BandsOf(values)
		side := func(d *domain.ClosedDeal) int { return int(d.Lever) - 1 } // -1, 0 or 1
		c := domain.PeriodOf(deals).Compare("levers", []string{"a", "b"}, side)
		plain := func(band int, g int) domain.Group {
			var in []domain.ClosedDeal
			for _, d := range deals {
				if side(&d) == g && (band < 0 || int(bands.Of(d.Value)) == band) {
					in = append(in, d)
				}
			}
			var vs, ds []int64
			want := domain.Group{Name: []string{"a", "b"}[g]}
			for _, d := range in {
				want.Rate.Deals++
				if d.Won {
					want.Rate.Won++
					want.WonValue += d.Value
				}
				vs, ds = append(vs, d.Value), append(ds, d.Days)
			}
			want.MedianValue, want.MedianDays = domain.Median(vs), domain.Median(ds)
			return want
		}
		// The deals behind each count of the report's levers are those
		// it counted, pooled and in each band.
		report := domain.AnalyseEvidence(deals)
		for g := range 3 {
			for b := -1; b < 3; b++ {
				group := report.Levers.Groups[g]
				if b >= 0 {
					group = report.Levers.Bands[b][g]
				}
				ids, ok := domain.PeriodOf(deals).DealsBehind(domain.EvidenceLevers, int64(g), b)
				if !ok || len(ids) != group.Rate.Deals {
					t.Fatalf("round %d, lever group %d band %d: %d deals behind a count of %d", round, g, b, len(ids), group.Rate.Deals)
				}
				for _, id := range ids {
					if d := deals[id-1]; [...]int{domain.LeverReleased: 0, domain.LeverHeldUnused: 1, domain.LeverNone: 2}[d.Lever] != g || b >= 0 && int(bands.Of(d.Value)) != b {
						t.Fatalf("round %d: deal %+v is behind lever group %d band %d", round, d, g, b)
					}
				}
			}
		}
		for g := range 2 {
			if got, want := c.Groups[g], plain(-1, g); !reflect.DeepEqual(got, want) {
				t.Fatalf("round %d, pooled group %d: %+v, want %+v", round, g, got, want)
			}
			for b := range 3 {
				if got, want := c.Bands[b][g], plain(b, g); !reflect.DeepEqual(got, want) {
					t.Fatalf("round %d, band %d group %d: %+v, want %+v", round, b, g, got, want)
				}
			}
		}
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
	c := domain.PeriodOf(deals).Compare("DevRel in the room", []string{"In the room", "Not"}, func(d *domain.ClosedDeal) int {
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
	same := domain.PeriodOf(deals[:50]).Compare("DevRel in the room", []string{"In the room", "Not"}, func(d *domain.ClosedDeal) int {
		if d.InRoom {
			return 0
		}
		return 1
	})
	if same.Confounded() {
		t.Fatal("one band alone cannot disagree with itself")
	}
	// A deal a comparison leaves out counts in no group.
	none := domain.PeriodOf(deals).Compare("x", []string{"a", "b"}, func(*domain.ClosedDeal) int { return -1 })
	if none.Groups[0].Rate.Deals+none.Groups[1].Rate.Deals != 0 {
		t.Fatal("a deal left out was counted")
	}
}

// What a closed deal tells the evidence, worked from its rows by hand.
func TestEvidenceOfAClosedDeal(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC).AddDate(0, 0, d) }
	at := func(d int) *time.Time { t := day(d); return &t }
	dev, sam := domain.User{ID: 7, Role: domain.RoleDevRel}, domain.User{ID: 2, Role: domain.RoleSales}
	synced := &domain.Sync{SalesConfirmedAt: at(9), DevRelConfirmedAt: at(9)}
	held := func(id int64, start int, sync *domain.Sync, who ...domain.User) domain.MeetingFacts {
		return domain.MeetingFacts{Meeting: domain.Meeting{ID: id, Status: domain.MeetingHeld, StartsAt: day(start)}, Attendees: who, Sync: sync}
	}
	facts := domain.DealFacts{
		Deal: domain.Deal{ID: 1, Stage: domain.StageClosedWon, AmountMinor: 5_000_00, Currency: "EUR", CreatedAt: day(0), ClosedAt: at(30)},
		Meetings: []domain.MeetingFacts{
			held(1, 10, synced, sam, dev),
			held(2, 12, nil, sam), // no DevRel: not the room's
			{Meeting: domain.Meeting{ID: 3, Status: domain.MeetingScheduled, StartsAt: day(20)}, Attendees: []domain.User{dev}}, // not held
			held(4, 31, nil, dev), // after the close
		},
		Promises: []domain.Promise{{Feasibility: domain.FeasibilityRisky, Status: domain.PromiseKept}, {Feasibility: domain.FeasibilityRisky, Status: domain.PromiseKept},
			{Feasibility: domain.FeasibilityFeasible, Status: domain.PromiseOpen}},
		ReserveMoves: []domain.ReserveMove{{OfferID: 5, At: day(11), Action: "hold", From: domain.OfferProposed, To: domain.OfferReserved},
			{OfferID: 5, At: day(15), Action: "release", From: domain.OfferReserved, To: domain.OfferCleared}},
	}
	e, ok := domain.EvidenceOf(facts)
	if !ok || !e.Won || !e.InRoom || !e.InSync || e.Lever != domain.LeverReleased || e.Days != 30 || e.Amount != 5_000_00 || e.ClosedOn != domain.EpochDay(day(30)) ||
		!slices.Equal(e.DevRel, []domain.DevRelPart{{UserID: 7, Meetings: 1, InSync: 1}}) ||
		!slices.Equal(e.Promises, []domain.PromiseTally{{Feasibility: domain.FeasibilityFeasible, Status: domain.PromiseOpen, Promises: 1}, {Feasibility: domain.FeasibilityRisky, Status: domain.PromiseKept, Promises: 2}}) {
		t.Fatalf("%+v %v", e, ok)
	}
	// A second meeting in the room, unsynced: the deal is not in sync.
	facts.Meetings = append(facts.Meetings, held(6, 14, &domain.Sync{SalesConfirmedAt: at(13)}, dev))
	if e, _ := domain.EvidenceOf(facts); e.InSync || !slices.Equal(e.DevRel, []domain.DevRelPart{{UserID: 7, Meetings: 2, InSync: 1}}) {
		t.Fatalf("one unsynced meeting: %+v", e)
	}
	// Reopened, it tells nothing; archived, nothing.
	open := facts
	open.Deal.Stage, open.Deal.ClosedAt = domain.StageNegotiation, nil
	archived := facts
	archived.Deal.ArchivedAt = at(40)
	for name, f := range map[string]domain.DealFacts{"open": open, "archived": archived} {
		if _, ok := domain.EvidenceOf(f); ok {
			t.Errorf("a deal %s tells the evidence", name)
		}
	}
	// Without a DevRel in the room it is neither in the room nor in sync.
	away := facts
	away.Meetings = []domain.MeetingFacts{held(2, 12, nil, sam)}
	if e, _ := domain.EvidenceOf(away); e.InRoom || e.InSync || len(e.DevRel) != 0 {
		t.Fatalf("away: %+v", e)
	}
}

// In sync when it started: both confirmed before it, nothing changed
// between the later confirmation and the start.
func TestSyncedBeforeTheStart(t *testing.T) {
	start := time.Date(2026, 5, 4, 14, 0, 0, 0, time.UTC)
	h := func(n int) *time.Time { t := start.Add(time.Duration(n) * time.Hour); return &t }
	for _, c := range []struct {
		name   string
		sync   *domain.Sync
		change *time.Time
		want   bool
	}{
		{"both before, nothing since", &domain.Sync{SalesConfirmedAt: h(-3), DevRelConfirmedAt: h(-2)}, h(-5), true},
		{"a change between the confirmations and the start", &domain.Sync{SalesConfirmedAt: h(-3), DevRelConfirmedAt: h(-2)}, h(-1), false},
		{"a change after the start", &domain.Sync{SalesConfirmedAt: h(-3), DevRelConfirmedAt: h(-2)}, h(2), true},
		{"one side confirmed after the start", &domain.Sync{SalesConfirmedAt: h(-3), DevRelConfirmedAt: h(1)}, h(-5), false},
		{"one side only", &domain.Sync{SalesConfirmedAt: h(-3)}, h(-5), false},
		{"no sync", nil, h(-5), false},
	} {
		if got := domain.SyncedBefore(c.sync, start, *c.change); got != c.want {
			t.Errorf("%s: %v", c.name, got)
		}
	}
}

// The reserve's levers at the close: a release that stands; a hold never
// used (also when its release was undone, or came after the close); an
// undone hold never held.
func TestTheLeversAtTheClose(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, d) }
	hold := func(id int64, d int) domain.ReserveMove {
		return domain.ReserveMove{OfferID: id, At: day(d), Action: "hold", From: domain.OfferCleared, To: domain.OfferReserved}
	}
	release := func(id int64, d int) domain.ReserveMove {
		return domain.ReserveMove{OfferID: id, At: day(d), Action: "release", From: domain.OfferReserved, To: domain.OfferCleared}
	}
	undo := func(m domain.ReserveMove, d int) domain.ReserveMove {
		return domain.ReserveMove{OfferID: m.OfferID, At: day(d), Action: "undo", From: m.To, To: m.From}
	}
	closed := day(30)
	for _, c := range []struct {
		name  string
		moves []domain.ReserveMove
		want  domain.Lever
	}{
		{"none held", nil, domain.LeverNone},
		{"held and released", []domain.ReserveMove{hold(1, 1), release(1, 5)}, domain.LeverReleased},
		{"held", []domain.ReserveMove{hold(1, 1)}, domain.LeverHeldUnused},
		{"a release undone", []domain.ReserveMove{hold(1, 1), release(1, 5), undo(release(1, 5), 6)}, domain.LeverHeldUnused},
		{"a hold undone", []domain.ReserveMove{hold(1, 1), undo(hold(1, 1), 2)}, domain.LeverNone},
		{"released after the close", []domain.ReserveMove{hold(1, 1), release(1, 31)}, domain.LeverHeldUnused},
		{"one held, another released", []domain.ReserveMove{hold(1, 1), hold(2, 2), release(2, 3)}, domain.LeverReleased},
	} {
		facts := domain.DealFacts{Deal: domain.Deal{ID: 1, Stage: domain.StageClosedLost, CreatedAt: day(0), ClosedAt: &closed}, ReserveMoves: c.moves}
		if e, _ := domain.EvidenceOf(facts); e.Lever != c.want {
			t.Errorf("%s: lever %d, want %d", c.name, e.Lever, c.want)
		}
	}
}

// A closed deal keeps one row in the evidence rollup, and the facts its
// row names (its DevRel's parts and its promises among them) read back as
// they were.
func TestAClosedDealsEvidenceRow(t *testing.T) {
	closed := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	dev := domain.User{ID: 7, Role: domain.RoleDevRel}
	start := closed.AddDate(0, 0, -3)
	facts := domain.DealFacts{Deal: domain.Deal{ID: 9, Stage: domain.StageClosedWon, AmountMinor: 100, Currency: "USD", CreatedAt: closed.AddDate(0, -1, 0), ClosedAt: &closed},
		Meetings:     []domain.MeetingFacts{{Meeting: domain.Meeting{Status: domain.MeetingHeld, StartsAt: start}, Attendees: []domain.User{dev}}},
		Promises:     []domain.Promise{{Feasibility: domain.FeasibilityRisky, Status: domain.PromiseKept}, {Feasibility: domain.FeasibilityRisky, Status: domain.PromiseKept}},
		ReserveMoves: []domain.ReserveMove{{OfferID: 1, At: start, Action: "hold", From: domain.OfferCleared, To: domain.OfferReserved}}}
	var rows []domain.Figure
	for _, f := range domain.FiguresOf(facts) {
		if f.Key.Rollup == domain.RollupEvidence {
			rows = append(rows, f)
		}
	}
	if len(rows) != 1 || rows[0].N != [4]int64{1, 1, 100, 31} || rows[0].Key.S != "room unsynced held devrel:7:1:0 promise:risky:kept:2" {
		t.Fatalf("%+v", rows)
	}
	var e domain.ClosedDeal
	err := e.ReadEvidenceFacts(rows[0].Key.S)
	if err != nil || !e.InRoom || e.InSync || e.Lever != domain.LeverHeldUnused || !slices.Equal(e.DevRel, []domain.DevRelPart{{UserID: 7, Meetings: 1}}) ||
		!slices.Equal(e.Promises, []domain.PromiseTally{{Feasibility: domain.FeasibilityRisky, Status: domain.PromiseKept, Promises: 2}}) {
		t.Fatalf("%q read as %+v %v", rows[0].Key.S, e, err)
	}
	for _, bad := range []string{"room sync", "room sync maybe", "room sync none devrel:7:x:0", "room sync none devrel:7:1", "room sync none hint:1"} {
		if err := new(domain.ClosedDeal).ReadEvidenceFacts(bad); err == nil {
			t.Errorf("%q was read", bad)
		}
	}
}

// The difference's interval, by hand: 5 of 10 against none of 20 is 50
// points, 19.1 to 76.3 (Newcombe); within bands, the weighted normal
// interval of the Simpson set is 10 points ± 1.96·√(Σw²·var)/Σw.
func TestTheDifferencesIntervals(t *testing.T) {
	c := domain.Comparison{Groups: []domain.Group{{Rate: domain.Rate{Won: 5, Deals: 10}}, {Rate: domain.Rate{Won: 0, Deals: 20}}}, Pair: [2]int{0, 1}}
	lo, hi, ok := c.DifferenceInterval()
	if !ok || math.Abs(lo-0.1912) > 0.0001 || math.Abs(hi-0.7634) > 0.0001 {
		t.Fatalf("5/10 against 0/20: %.4f–%.4f %v", lo, hi, ok)
	}
	band := func(wonA, a, wonB, b int) []domain.Group {
		return []domain.Group{{Rate: domain.Rate{Won: wonA, Deals: a}}, {Rate: domain.Rate{Won: wonB, Deals: b}}}
	}
	c.Bands = [3][]domain.Group{band(8, 10, 28, 40), band(12, 40, 2, 10), band(1, 5, 1, 5)} // the last too small to count
	// w = 8 each; var = 64·(.8·.2/10 + .7·.3/40) + 64·(.3·.7/40 + .2·.8/10) = 64·2·(.016+.00525)
	half := 1.959963984540054 * math.Sqrt(64*2*(0.016+0.00525)) / 16
	lo, hi, ok = c.BandedInterval()
	if !ok || math.Abs(lo-(0.1-half)) > 1e-9 || math.Abs(hi-(0.1+half)) > 1e-9 {
		t.Fatalf("banded: %.4f–%.4f, want 10 ± %.4f", lo, hi, half)
	}
}

// The deals behind a DevRel's row are those they were in the room for; an
// unknown comparison, group or band is no count.
func TestTheDealsBehindACount(t *testing.T) {
	deals := []domain.ClosedDeal{
		{ID: 1, InRoom: true, DevRel: []domain.DevRelPart{{UserID: 7, Meetings: 1}}},
		{ID: 2, InRoom: true, DevRel: []domain.DevRelPart{{UserID: 8, Meetings: 2}, {UserID: 7, Meetings: 1}}},
		{ID: 3},
	}
	p := domain.PeriodOf(deals)
	if ids, ok := p.DealsBehind(domain.EvidenceDevRel, 7, -1); !ok || !slices.Equal(ids, []int64{1, 2}) {
		t.Fatalf("DevRel 7's deals: %v %v", ids, ok)
	}
	if ids, ok := p.DealsBehind(domain.EvidenceRoom, 1, -1); !ok || !slices.Equal(ids, []int64{3}) {
		t.Fatalf("not in the room: %v %v", ids, ok)
	}
	for _, c := range []struct {
		key  string
		g    int64
		band int
	}{{"quarters", 0, -1}, {domain.EvidenceRoom, 3, -1}, {domain.EvidenceRoom, -1, -1}, {domain.EvidenceRoom, 0, 3}, {domain.EvidenceRoom, 0, -2}} {
		if ids, ok := p.DealsBehind(c.key, c.g, c.band); ok {
			t.Errorf("%+v is a count: %v", c, ids)
		}
	}
}
