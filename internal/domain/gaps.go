package domain

import (
	"cmp"
	"slices"
	"time"
)

// GapRow is one thing a product area stands behind: an open question or
// a risky or infeasible open promise on an open deal, or a deal lost to a
// missing capability whose questions or promises name the area.
type GapRow struct {
	Area     string
	Kind     GapKind
	ItemID   int64  // the question or promise; 0 for a lost deal
	Text     string // the question's or promise's words
	DealID   int64
	Stage    Stage
	Amount   int64 // minor units of Currency
	Currency string
}

// GapKind says what a GapRow is.
type GapKind string

// The kinds of GapRow.
const (
	GapQuestion GapKind = "question"
	GapPromise  GapKind = "promise"
	GapLost     GapKind = "lost"
)

// AreaItem is a question or a promise that names a product area, with
// its deal as it stands.
type AreaItem struct {
	Kind        GapKind // GapQuestion or GapPromise
	ID          int64
	Area        string
	Status      string // the question's or the promise's
	Feasibility Feasibility
	Text        string
	Deal        Deal
}

// GapRowOf is what an item stands behind in its area, if anything: an
// open question, or a risky or infeasible open promise, on a live open
// deal; or its live deal, lost to a missing capability from from to to
// (days, both included).
func GapRowOf(item AreaItem, from, to time.Time) (GapRow, bool) {
	d := item.Deal
	row := GapRow{Area: item.Area, Kind: item.Kind, ItemID: item.ID, Text: item.Text, DealID: d.ID, Stage: d.Stage, Amount: d.AmountMinor, Currency: d.Currency}
	switch {
	case d.ArchivedAt != nil:
		return GapRow{}, false
	case !d.Stage.Closed():
		if item.Kind == GapQuestion && item.Status == string(QuestionOpen) ||
			item.Kind == GapPromise && item.Status == string(PromiseOpen) && (item.Feasibility == FeasibilityRisky || item.Feasibility == FeasibilityInfeasible) {
			return row, true
		}
	case d.Stage == StageClosedLost && d.LostReason == LostMissingCapability && d.ClosedAt != nil &&
		!d.ClosedAt.Before(from) && d.ClosedAt.Before(to.AddDate(0, 0, 1)):
		row.Kind, row.ItemID, row.Text = GapLost, 0, ""
		return row, true
	}
	return GapRow{}, false
}

// GapItem is a question or a promise behind a gap.
type GapItem struct {
	ID   int64
	Text string
}

// Gap is one product area as the product team reads it: what is asked
// and promised on the open pipeline and cannot yet be done, the pipeline
// at stake on those deals, and what was lost for want of a capability.
type Gap struct {
	Area            string
	Questions       []GapItem
	Promises        []GapItem
	AtStake         []int64 // the open deals behind its questions and promises
	Value, Weighted Money   // of those deals, in the reporting currency
	Lost            []int64 // the deals lost to a missing capability that name it
	LostValue       Money
}

// GapsOf folds the rows into a gap per area, the most pipeline at stake
// first, then the most lost.
func GapsOf(rows []GapRow, rates Rates, probabilities Probabilities) []Gap {
	byArea := map[string]*Gap{}
	type counted struct {
		area string
		lost bool
		deal int64
	}
	seen := map[counted]bool{} // a deal counts once in each of an area's sums
	for _, r := range rows {
		g := byArea[r.Area]
		if g == nil {
			g = &Gap{Area: r.Area}
			g.Value.Currency, g.Weighted.Currency, g.LostValue.Currency = rates.Reporting, rates.Reporting, rates.Reporting
			byArea[r.Area] = g
		}
		switch r.Kind {
		case GapQuestion:
			g.Questions = append(g.Questions, GapItem{r.ItemID, r.Text})
		case GapPromise:
			g.Promises = append(g.Promises, GapItem{r.ItemID, r.Text})
		}
		key := counted{r.Area, r.Kind == GapLost, r.DealID}
		if seen[key] {
			continue
		}
		seen[key] = true
		if r.Kind == GapLost {
			g.Lost = append(g.Lost, r.DealID)
			rates.Add(&g.LostValue, r.Amount, r.Currency)
			continue
		}
		g.AtStake = append(g.AtStake, r.DealID)
		rates.Add(&g.Value, r.Amount, r.Currency)
		rates.Add(&g.Weighted, probabilities.Weigh(r.Stage, r.Amount), r.Currency)
	}
	out := make([]Gap, 0, len(byArea))
	for _, g := range byArea {
		out = append(out, *g)
	}
	slices.SortFunc(out, func(a, b Gap) int {
		return cmp.Or(cmp.Compare(b.Value.Minor, a.Value.Minor), cmp.Compare(b.LostValue.Minor, a.LostValue.Minor), cmp.Compare(a.Area, b.Area))
	})
	return out
}
