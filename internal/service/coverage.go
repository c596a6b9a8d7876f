package service

import (
	"context"
	"slices"
	"sort"
	"time"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
)

// MeetingWindow is how far ahead the coverage review looks at meetings.
const MeetingWindow = 14 * 24 * time.Hour

// TrendWeeks is how many weeks the coverage trend reaches back.
const TrendWeeks = 12

// Coverage is the manager's review of pre-sale coverage.
type Coverage struct {
	Filter        read.CoverageFilter
	Total         read.CoverageRow
	ByStage       []read.CoverageRow
	BySalesperson []read.CoverageRow
	Cells         []read.PipelineCell
	Currencies    []string
	Meetings      map[domain.SyncState]int64
	WithDevRel    int64
	WithoutDevRel int64
	AtRisk        []read.MeetingRow
	Support       read.SupportAges
	DevRel        []read.DevRelCoverage
	Offers        map[domain.OfferStatus]int64
	Promises      read.PromiseRisk
	Trend         []read.WeekCoverage
	Money         Money
}

func share(part, whole int64) float64 {
	if whole == 0 {
		return 0
	}
	return float64(part) / float64(whole)
}

// AcceptanceRate is accepted offers of those the customer decided on.
func (c Coverage) AcceptanceRate() float64 {
	return share(c.Offers[domain.OfferAccepted], c.Offers[domain.OfferAccepted]+c.Offers[domain.OfferRejected])
}

// DeclineRate is offers the salesperson declined of those reviewed.
func (c Coverage) DeclineRate() float64 {
	reviewed := int64(0)
	for st, n := range c.Offers {
		if st != domain.OfferDraft && st != domain.OfferProposed && st != domain.OfferWithdrawn {
			reviewed += n
		}
	}
	return share(c.Offers[domain.OfferDeclined], reviewed)
}

// ReserveRate is offers held in reserve of those proposed in the period.
func (c Coverage) ReserveRate() float64 {
	total := int64(0)
	for _, n := range c.Offers {
		total += n
	}
	return share(c.Offers[domain.OfferReserved], total)
}

// Coverage computes the review. Every figure comes from an aggregate
// query; only grouped rows reach Go. The review read last for the same
// filter is used again while nothing in the organisation has changed and
// its minute lasts; what is returned is shared.
func (s *Desk) Coverage(ctx context.Context, actor domain.User, f read.CoverageFilter) (Coverage, error) {
	if err := domain.Authorize(actor, domain.ActionViewCoverage, domain.Organisation{}); err != nil {
		return Coverage{}, err
	}
	f.Now = time.Time{} // readCoverage sets it; the key's minute stands for it
	return keptOrgRead(ctx, s.core, orgKey{what: "coverage", args: argsOf(f)}, func(ctx context.Context) (Coverage, error) { return s.readCoverage(ctx, f) })
}

// readCoverage computes the coverage review from the database.
func (s *Desk) readCoverage(ctx context.Context, f read.CoverageFilter) (Coverage, error) {
	now := s.now().UTC()
	f.Now = now
	if f.To.IsZero() {
		f.To = now
	}
	if f.From.IsZero() {
		f.From = f.To.Add(-TrendWeeks * 7 * 24 * time.Hour)
	}
	c := Coverage{Filter: f}
	st := s.store
	var err error
	if c.Money, err = s.organisation.Money(ctx); err != nil {
		return c, err
	}
	if c.Cells, err = st.Coverage().OpenPipeline(ctx, f); err != nil {
		return c, err
	}
	c.aggregate()
	counts, err := st.Coverage().MeetingSyncCounts(ctx, f, now, now.Add(MeetingWindow))
	if err != nil {
		return c, err
	}
	c.Meetings = map[domain.SyncState]int64{}
	for _, n := range counts {
		c.Meetings[n.State] = n.Count
		if n.State == domain.SyncNotNeeded {
			c.WithoutDevRel += n.Count
		} else {
			c.WithDevRel += n.Count
		}
	}
	if c.AtRisk, err = st.Coverage().AtRiskMeetings(ctx, f, now, now.Add(MeetingWindow), 50); err != nil {
		return c, err
	}
	if c.Support, err = st.Coverage().OpenSupportAges(ctx, f); err != nil {
		return c, err
	}
	if c.DevRel, err = st.Coverage().DevRelLoadsWithMeetings(ctx, f, now, now.Add(MeetingWindow)); err != nil {
		return c, err
	}
	offers, err := st.Coverage().OfferStatusCounts(ctx, f)
	if err != nil {
		return c, err
	}
	c.Offers = map[domain.OfferStatus]int64{}
	for _, o := range offers {
		c.Offers[o.Status] = o.Count
	}
	if c.Promises, err = st.Coverage().PromiseRisks(ctx, f); err != nil {
		return c, err
	}
	weeks := WeekEnds(f.To, TrendWeeks)
	if c.Trend, err = st.Coverage().CoverageTrend(ctx, f, weeks); err != nil {
		return c, err
	}
	// Each week's value with the rates effective at its end.
	reporting := c.Money.Rates.Reporting
	history, err := st.Organisation().RateHistory(ctx, reporting, weeks[0], weeks[len(weeks)-1])
	for i := range c.Trend {
		t := &c.Trend[i]
		rates := domain.NewRates(reporting, t.At, history)
		t.OpenValue, t.CoveredValue = domain.Money{Currency: reporting}, domain.Money{Currency: reporting}
		for _, v := range t.Values {
			rates.Add(&t.OpenValue, v.Value, v.Currency)
			rates.Add(&t.CoveredValue, v.Covered, v.Currency)
		}
	}
	return c, err
}

// WeekEnds are the instants the trend is read at, oldest first: the
// midnight (UTC) that ends the period's last day and each week before it.
// The rollup keeps whole days.
func WeekEnds(end time.Time, weeks int) []time.Time {
	last := end.UTC().Truncate(24 * time.Hour).Add(24 * time.Hour)
	out := make([]time.Time, weeks)
	for i := range weeks {
		out[weeks-1-i] = last.Add(-time.Duration(i) * 7 * 24 * time.Hour)
	}
	return out
}

// aggregate folds the grouped cells into the totals, by stage and by
// salesperson: per currency as priced, and converted to the reporting
// currency.
func (c *Coverage) aggregate() {
	rates := c.Money.Rates
	byStage := map[string]*read.CoverageRow{}
	bySales := map[int64]*read.CoverageRow{}
	currencies := map[string]bool{}
	for _, cell := range c.Cells {
		currencies[cell.Currency] = true
		if byStage[string(cell.Stage)] == nil {
			byStage[string(cell.Stage)] = &read.CoverageRow{Key: string(cell.Stage)}
		}
		if bySales[cell.OwnerID] == nil {
			bySales[cell.OwnerID] = &read.CoverageRow{Key: cell.OwnerName, OwnerID: cell.OwnerID}
		}
		c.add(byStage[string(cell.Stage)], cell)
		c.add(bySales[cell.OwnerID], cell)
		c.add(&c.Total, cell)
	}
	for _, stage := range domain.Stages {
		if !stage.Closed() {
			row := byStage[string(stage)]
			if row == nil {
				row = &read.CoverageRow{Key: string(stage)}
			}
			c.ByStage = append(c.ByStage, *row)
		}
	}
	for _, r := range bySales {
		c.BySalesperson = append(c.BySalesperson, *r)
	}
	sort.Slice(c.BySalesperson, func(i, j int) bool { return c.BySalesperson[i].Key < c.BySalesperson[j].Key })
	for cur := range currencies {
		c.Currencies = append(c.Currencies, cur)
	}
	sort.Strings(c.Currencies)
	for _, rows := range [][]read.CoverageRow{c.ByStage, c.BySalesperson} {
		for i := range rows {
			sortValues(&rows[i], rates.Reporting)
		}
	}
	sortValues(&c.Total, rates.Reporting)
}

// add folds one cell into a row: its counts, its values per currency as
// priced, and converted to the reporting currency.
func (c *Coverage) add(r *read.CoverageRow, cell read.PipelineCell) {
	r.Deals += cell.Deals
	r.Covered += cell.Covered
	i := slices.IndexFunc(r.Values, func(v read.CurrencyValue) bool { return v.Currency == cell.Currency })
	if i < 0 {
		r.Values = append(r.Values, read.CurrencyValue{Currency: cell.Currency})
		i = len(r.Values) - 1
	}
	r.Values[i].Value += cell.Value
	r.Values[i].Covered += cell.CoveredValue
	rates := c.Money.Rates
	rates.Add(&r.Value, cell.Value, cell.Currency)
	rates.Add(&r.CoveredValue, cell.CoveredValue, cell.Currency)
	rates.Add(&r.Weighted, c.Money.Probabilities.Weigh(cell.Stage, cell.Value), cell.Currency)
}

// SalespersonStage is one salesperson's open pipeline in one stage.
type SalespersonStage struct {
	Owner string
	Stage domain.Stage
	read.CoverageRow
}

// BySalespersonAndStage folds the cells into one row per salesperson per
// open stage, salespeople in the order of BySalesperson.
func (c Coverage) BySalespersonAndStage() []SalespersonStage {
	type key struct {
		owner int64
		stage domain.Stage
	}
	rows := map[key]*read.CoverageRow{}
	for _, cell := range c.Cells {
		k := key{cell.OwnerID, cell.Stage}
		if rows[k] == nil {
			rows[k] = &read.CoverageRow{Key: cell.OwnerName, OwnerID: cell.OwnerID}
		}
		c.add(rows[k], cell)
	}
	var out []SalespersonStage
	for _, person := range c.BySalesperson {
		for _, stage := range domain.Stages {
			if r := rows[key{person.OwnerID, stage}]; r != nil {
				out = append(out, SalespersonStage{Owner: person.Key, Stage: stage, CoverageRow: *r})
			}
		}
	}
	return out
}

// sortValues orders a row's currencies and names its converted figures'
// currency even when the row is empty.
func sortValues(r *read.CoverageRow, reporting string) {
	sort.Slice(r.Values, func(a, b int) bool { return r.Values[a].Currency < r.Values[b].Currency })
	r.Value.Currency, r.CoveredValue.Currency, r.Weighted.Currency = reporting, reporting, reporting
}

// UncoveredSoon lists a salesperson's open deals with no DevRel and a
// meeting in the next two weeks.
func (s *Desk) UncoveredSoon(ctx context.Context, u domain.User) ([]read.DealRow, error) {
	now := s.now().UTC()
	return s.store.Coverage().UncoveredSoon(ctx, u.ID, now, now.Add(MeetingWindow), DeskList)
}

// AtRiskThisWeek is what a manager's desk shows.
type AtRiskThisWeek struct {
	Meetings []read.MeetingRow
	Support  read.SupportAges
	Promises read.PromiseRisk
	Total    read.CoverageRow
}

// AtRisk loads the manager's week: meetings in seven days without DevRel
// or not in sync, overdue requests, risky promises, and the summary.
func (s *Desk) AtRisk(ctx context.Context, actor domain.User) (AtRiskThisWeek, error) {
	var a AtRiskThisWeek
	if err := domain.Authorize(actor, domain.ActionViewCoverage, domain.Organisation{}); err != nil {
		return a, err
	}
	now := s.now().UTC()
	f := read.CoverageFilter{Now: now}
	var err error
	if a.Meetings, err = s.store.Coverage().AtRiskMeetings(ctx, f, now, now.Add(7*24*time.Hour), 20); err != nil {
		return a, err
	}
	if a.Support, err = s.store.Coverage().OpenSupportAges(ctx, f); err != nil {
		return a, err
	}
	if a.Promises, err = s.store.Coverage().PromiseRisks(ctx, f); err != nil {
		return a, err
	}
	money, err := s.organisation.Money(ctx)
	if err != nil {
		return a, err
	}
	cells, err := s.store.Coverage().OpenPipeline(ctx, f)
	c := Coverage{Cells: cells, Money: money}
	c.aggregate()
	a.Total = c.Total
	return a, err
}
