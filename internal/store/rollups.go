package store

import (
	"context"
	"sort"
	"time"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
)

// The rollups (migration 14) hold the organisation's coverage figures,
// kept by store.KeepDerived in the transaction of every change. Figures scoped to
// one DevRel are read from that DevRel's rows instead.

// period is [from, to) as a rollup by unit (an hour or a day) reads it:
// the whole units strictly between first and last from the rollup (when
// whole), and the partial ones at either end from the rows.
type period struct {
	first, last int64
	whole       bool
	edges       [][2]time.Time
}

func splitPeriod(from, to time.Time, unit time.Duration) period {
	n := int64(unit / time.Second)
	p := period{first: from.Unix() / n, last: to.Unix() / n, edges: [][2]time.Time{{from, to}}}
	if p.first != p.last {
		start := func(u int64) time.Time { return time.Unix(u*n, 0).UTC() }
		p.whole, p.edges = true, [][2]time.Time{{from, start(p.first + 1)}, {start(p.last), to}}
	}
	return p
}

// CoverageTrend gives, for each instant in at (midnights UTC a week apart,
// oldest first), the open pipeline and how much of it had DevRel: today's
// figures less every change on or after that day.
func (s Coverage) CoverageTrend(ctx context.Context, f read.CoverageFilter, at []time.Time) ([]read.WeekCoverage, error) {
	if f.DevRelID != 0 {
		return s.CoverageTrendFromRows(ctx, f, at)
	}
	type figures struct{ Deals, Covered, Value, CoveredValue int64 }
	var now []struct {
		Currency                            string
		Deals, Covered, Value, CoveredValue int64
	}
	q := s.read(ctx).Table("pipeline_rollup").
		Select("currency, SUM(deals) AS deals, SUM(covered) AS covered, SUM(value) AS value, SUM(covered_value) AS covered_value").Group("currency")
	if f.OwnerID != 0 {
		q = q.Where("owner_id = ?", f.OwnerID)
	}
	if err := q.Scan(&now).Error; err != nil {
		return nil, err
	}
	// The changes since the first instant, summed per day in the order of
	// an index (no sort; the weeks are summed here): the figures at
	// instant i are today's less the days from i on.
	var changes []struct {
		Day                                 int64
		Currency                            string
		Deals, Covered, Value, CoveredValue int64
	}
	first := domain.EpochDay(at[0])
	q = s.read(ctx).Table("pipeline_days").
		Select("day, currency, SUM(deals) AS deals, SUM(covered) AS covered, SUM(value) AS value, SUM(covered_value) AS covered_value").
		Where("day >= ?", first).Group("day, currency")
	if f.OwnerID != 0 {
		q = q.Where("owner_id = ?", f.OwnerID)
	}
	if err := q.Scan(&changes).Error; err != nil {
		return nil, err
	}
	out := make([]read.WeekCoverage, len(at))
	for i, t := range at {
		byCurrency := map[string]*figures{}
		for _, n := range now {
			byCurrency[n.Currency] = &figures{n.Deals, n.Covered, n.Value, n.CoveredValue}
		}
		for _, c := range changes {
			if c.Day < domain.EpochDay(t) {
				continue
			}
			if byCurrency[c.Currency] == nil {
				byCurrency[c.Currency] = &figures{}
			}
			b := byCurrency[c.Currency]
			b.Deals, b.Covered, b.Value, b.CoveredValue = b.Deals-c.Deals, b.Covered-c.Covered, b.Value-c.Value, b.CoveredValue-c.CoveredValue
		}
		out[i].At = t
		for cur, b := range byCurrency {
			out[i].Open += b.Deals
			out[i].Covered += b.Covered
			if b.Deals != 0 || b.Value != 0 {
				out[i].Values = append(out[i].Values, read.CurrencyValue{Currency: cur, Value: b.Value, Covered: b.CoveredValue})
			}
		}
		sort.Slice(out[i].Values, func(a, b int) bool { return out[i].Values[a].Currency < out[i].Values[b].Currency })
	}
	return out, nil
}

// MeetingSyncCounts counts the scheduled meetings between from and to by
// sync state ("not_needed" is a meeting without DevRel), from the state
// each meeting keeps: the organisation's whole hours from the rollup, the
// partial first and last hours from the meetings.
func (s Coverage) MeetingSyncCounts(ctx context.Context, f read.CoverageFilter, from, to time.Time) ([]read.SyncCount, error) {
	counts := map[domain.SyncState]int64{}
	add := func(rows []read.SyncCount, err error) error {
		for _, r := range rows {
			counts[r.State] += r.Count
		}
		return err
	}
	stored := func(scope read.CoverageFilter, from, to time.Time) ([]read.SyncCount, error) {
		q := s.read(ctx).Table("meetings m").Select("m.sync_state AS state, COUNT(*) AS count").
			Joins("JOIN deals d ON d.id = m.deal_id").
			Where("m.status = 'scheduled' AND m.starts_at >= ? AND m.starts_at < ?", from, to)
		var out []read.SyncCount
		return out, dealScope(scope, q).Group("m.sync_state").Scan(&out).Error
	}
	if f.OwnerID != 0 || f.DevRelID != 0 {
		return stored(f, from, to)
	}
	p := splitPeriod(from, to, time.Hour)
	if p.whole {
		var rows []read.SyncCount
		err := s.read(ctx).Table("meeting_hours").Select("sync_state AS state, SUM(meetings) AS count").
			Where("hour > ? AND hour < ?", p.first, p.last).Group("sync_state").Scan(&rows).Error
		if err := add(rows, err); err != nil {
			return nil, err
		}
	}
	for _, e := range p.edges {
		if err := add(stored(f, e[0], e[1])); err != nil {
			return nil, err
		}
	}
	var out []read.SyncCount
	for st, n := range counts {
		if n != 0 {
			out = append(out, read.SyncCount{State: st, Count: n})
		}
	}
	return out, nil
}

// DevRelLoadsWithMeetings lists every active DevRel's active deals against
// capacity and the meetings of live deals they attend between from and
// to: loads and whole hours from the rollups, the partial first and last
// hours from the meetings.
func (s Coverage) DevRelLoadsWithMeetings(ctx context.Context, f read.CoverageFilter, from, to time.Time) ([]read.DevRelCoverage, error) {
	q := s.read(ctx).Table("users u").
		Select("u.id AS user_id, u.name, u.capacity, COALESCE(l.deals, 0) AS load").
		Joins("LEFT JOIN devrel_loads l ON l.user_id = u.id").
		Where("u.role = ? AND u.active", domain.RoleDevRel)
	if f.DevRelID != 0 {
		q = q.Where("u.id = ?", f.DevRelID)
	}
	var out []read.DevRelCoverage
	if err := q.Order("u.name").Scan(&out).Error; err != nil || len(out) == 0 {
		return out, err
	}
	ids := make([]int64, len(out))
	for i, d := range out {
		ids[i] = d.UserID
	}
	meetings := map[int64]int64{}
	type attendance struct {
		UserID   int64
		Meetings int64
	}
	add := func(rows []attendance, err error) error {
		for _, r := range rows {
			meetings[r.UserID] += r.Meetings
		}
		return err
	}
	direct := func(from, to time.Time) ([]attendance, error) {
		var rows []attendance
		return rows, s.read(ctx).Table("meetings m").Select("ma.user_id, COUNT(*) AS meetings").
			Joins("JOIN meeting_attendees ma ON ma.meeting_id = m.id").Joins("JOIN deals d ON d.id = m.deal_id").
			Where("m.status = 'scheduled' AND m.starts_at >= ? AND m.starts_at < ? AND d.archived_at IS NULL AND ma.user_id IN ?", from, to, ids).
			Group("ma.user_id").Scan(&rows).Error
	}
	p := splitPeriod(from, to, time.Hour)
	if p.whole {
		var rows []attendance
		err := s.read(ctx).Table("attendance_hours").Select("user_id, SUM(meetings) AS meetings").
			Where("user_id IN ? AND hour > ? AND hour < ?", ids, p.first, p.last).Group("user_id").Scan(&rows).Error
		if err := add(rows, err); err != nil {
			return nil, err
		}
	}
	for _, e := range p.edges {
		if err := add(direct(e[0], e[1])); err != nil {
			return nil, err
		}
	}
	for i := range out {
		out[i].Meetings = int(meetings[out[i].UserID])
	}
	return out, nil
}

// OfferStatusCounts counts offers proposed in the period by where they
// stand now: whole days from the rollup, the period's partial first and
// last days from the offers.
func (s Coverage) OfferStatusCounts(ctx context.Context, f read.CoverageFilter) ([]read.StatusCount, error) {
	if f.DevRelID != 0 || f.OwnerID != 0 {
		return s.OfferStatusCountsFromRows(ctx, f)
	}
	counts := map[domain.OfferStatus]int64{}
	add := func(rows []read.StatusCount, err error) error {
		for _, r := range rows {
			counts[r.Status] += r.Count
		}
		return err
	}
	p := splitPeriod(f.From, f.To, 24*time.Hour)
	if p.whole {
		var rows []read.StatusCount
		err := s.read(ctx).Table("offer_days").Select("status, SUM(offers) AS count").
			Where("day > ? AND day < ?", p.first, p.last).Group("status").Scan(&rows).Error
		if err := add(rows, err); err != nil {
			return nil, err
		}
	}
	for _, e := range p.edges {
		if err := add(s.OfferStatusCountsFromRows(ctx, read.CoverageFilter{From: e[0], To: e[1]})); err != nil {
			return nil, err
		}
	}
	var out []read.StatusCount
	for st, n := range counts {
		if n != 0 {
			out = append(out, read.StatusCount{Status: st, Count: n})
		}
	}
	return out, nil
}

// PromiseRisks counts open promises by what makes them a risk; the
// organisation's from the rollup.
func (s Coverage) PromiseRisks(ctx context.Context, f read.CoverageFilter) (read.PromiseRisk, error) {
	if f.DevRelID != 0 || f.OwnerID != 0 {
		return s.PromiseRisksFromRows(ctx, f)
	}
	var r read.PromiseRisk
	return r, s.read(ctx).Table("promise_rollup").
		Select(`SUM(CASE WHEN feasibility = 'unreviewed' THEN promises ELSE 0 END) AS unreviewed,
			SUM(CASE WHEN feasibility = 'risky' THEN promises ELSE 0 END) AS risky,
			SUM(CASE WHEN feasibility = 'infeasible' THEN promises ELSE 0 END) AS infeasible,
			SUM(CASE WHEN due_day >= 0 AND due_day < ? THEN promises ELSE 0 END) AS overdue`, domain.EpochDay(domain.OverdueBefore(f.Now))).
		Scan(&r).Error
}
