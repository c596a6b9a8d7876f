package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
	"gorm.io/gorm"
)

// dealScope restricts a query over deals aliased d to the filter.
func dealScope(f read.CoverageFilter, q *gorm.DB) *gorm.DB {
	q = q.Where("d.archived_at IS NULL") // archived deals leave coverage
	if f.OwnerID != 0 {
		q = q.Where("d.owner_id = ?", f.OwnerID)
	}
	if f.DevRelID != 0 {
		q = q.Where("EXISTS (SELECT 1 FROM assignments fa WHERE fa.deal_id = d.id AND fa.user_id = ? AND fa.active)", f.DevRelID)
	}
	return q
}

// OpenPipeline groups the open pipeline by stage, owner and currency, with
// how much of it has DevRel. The organisation's, or one salesperson's, is
// read from the rollup; one DevRel's from their deals.
func (s Coverage) OpenPipeline(ctx context.Context, f read.CoverageFilter) ([]read.PipelineCell, error) {
	if f.DevRelID != 0 {
		return s.OpenPipelineFromRows(ctx, f)
	}
	q := s.read(ctx).Table("pipeline_rollup").
		Select("stage, owner_id, currency, deals, covered, value, covered_value").Where("deals <> 0")
	if f.OwnerID != 0 {
		q = q.Where("owner_id = ?", f.OwnerID)
	}
	// A cell per owner, stage and currency: read without reflection, the
	// rows being many and the columns few.
	rows, err := q.Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var cells []read.PipelineCell
	for rows.Next() {
		var c read.PipelineCell
		if err := rows.Scan(&c.Stage, &c.OwnerID, &c.Currency, &c.Deals, &c.Covered, &c.Value, &c.CoveredValue); err != nil {
			return nil, err
		}
		cells = append(cells, c)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return s.nameCells(ctx, cells)
}

// OpenPipelineFromRows is OpenPipeline computed from the deals themselves:
// one pass over them in SQL. Tests hold the rollup to it.
func (s Coverage) OpenPipelineFromRows(ctx context.Context, f read.CoverageFilter) ([]read.PipelineCell, error) {
	// The covered deals are read once, as a set, not probed per deal.
	q := s.read(ctx).Table("deals d").
		Select(`d.stage, d.owner_id, d.currency, COUNT(*) AS deals,
			SUM(CASE WHEN ca.deal_id IS NOT NULL THEN 1 ELSE 0 END) AS covered,
			SUM(d.amount_minor) AS value,
			SUM(CASE WHEN ca.deal_id IS NOT NULL THEN d.amount_minor ELSE 0 END) AS covered_value`).
		Joins("LEFT JOIN (SELECT DISTINCT deal_id FROM assignments WHERE active) ca ON ca.deal_id = d.id").
		Where("d.stage NOT IN ?", domain.ClosedStages)
	var cells []read.PipelineCell
	if err := dealScope(f, q).Group("d.owner_id, d.stage, d.currency").Scan(&cells).Error; err != nil {
		return nil, err
	}
	return s.nameCells(ctx, cells)
}

// nameCells gives the cells their owners' names, read for the few owners
// rather than joined on every deal, and sorts them by name and currency.
func (s Coverage) nameCells(ctx context.Context, cells []read.PipelineCell) ([]read.PipelineCell, error) {
	var ids []int64
	for _, c := range cells {
		ids = append(ids, c.OwnerID)
	}
	names, err := s.store().People().UserNames(ctx, ids)
	for i := range cells {
		cells[i].OwnerName = names[cells[i].OwnerID]
	}
	sort.Slice(cells, func(i, j int) bool {
		if cells[i].OwnerName != cells[j].OwnerName {
			return cells[i].OwnerName < cells[j].OwnerName
		}
		if cells[i].Currency != cells[j].Currency {
			return cells[i].Currency < cells[j].Currency
		}
		return cells[i].Stage.Order() < cells[j].Stage.Order()
	})
	return cells, err
}

// MeetingSyncCountsFromRows counts the scheduled meetings between from
// and to by sync state ("not_needed" is a meeting without DevRel), from
// each meeting's own (kept by store.KeepDerived).
func (s Coverage) MeetingSyncCountsFromRows(ctx context.Context, f read.CoverageFilter, from, to time.Time) ([]read.SyncCount, error) {
	q := s.read(ctx).Table("meetings m").
		Select("m.sync_state AS state, COUNT(*) AS count").
		Joins("JOIN deals d ON d.id = m.deal_id").
		Where("m.status = 'scheduled' AND m.starts_at >= ? AND m.starts_at < ?", from, to)
	var out []read.SyncCount
	return out, dealScope(f, q).Group("m.sync_state").Scan(&out).Error
}

// AtRiskMeetings lists the soonest scheduled meetings between from and to
// that are not in sync or have no DevRel: what a manager follows up.
func (s Coverage) AtRiskMeetings(ctx context.Context, f read.CoverageFilter, from, to time.Time, limit int) ([]read.MeetingRow, error) {
	q := s.read(ctx).Table("meetings m").
		Joins("JOIN deals d ON d.id = m.deal_id").
		Where("m.status = 'scheduled' AND m.starts_at >= ? AND m.starts_at < ?", from, to).
		Where("m.sync_state <> ?", domain.SyncInSync)
	var ids []int64
	if err := dealScope(f, q).Order("m.starts_at, m.id").Limit(limit).Pluck("m.id", &ids).Error; err != nil {
		return nil, err
	}
	var rows []read.MeetingRow
	if len(ids) == 0 {
		return rows, nil
	}
	return rows, s.store().Meetings().meetingRows(ctx).Where("meetings.id IN ?", ids).Order("meetings.starts_at, meetings.id").Scan(&rows).Error
}

// OpenSupportAges counts open requests by how long they have waited.
func (s Coverage) OpenSupportAges(ctx context.Context, f read.CoverageFilter) (read.SupportAges, error) {
	day := 24 * time.Hour
	now := f.Now
	today := now.UTC().Truncate(day)
	var a read.SupportAges
	// Each band is a count of one range of an index (migration 23), not
	// a test of every open request.
	open := func(cond string, args ...any) *gorm.DB {
		return liveDealScope("r", f, s.read(ctx).Table("support_requests r").Select("COUNT(*)").Where("r.status = 'open'").Where(cond, args...))
	}
	return a, s.read(ctx).Raw(`SELECT (?) AS under_two_days, (?) AS two_to_seven, (?) AS seven_to_fourteen, (?) AS over_fourteen, (?) AS past_needed_by`,
		open("r.created_at > ?", now.Add(-2*day)),
		open("r.created_at <= ? AND r.created_at > ?", now.Add(-2*day), now.Add(-7*day)),
		open("r.created_at <= ? AND r.created_at > ?", now.Add(-7*day), now.Add(-14*day)),
		open("r.created_at <= ?", now.Add(-14*day)),
		open("r.needed_by < ?", today)).Scan(&a).Error
}

// liveDealScope narrows q to the rows of table whose deal is live and in
// the coverage filter's scope, as dealScope does, without joining the
// deals: an index over table's own columns then answers alone.
func liveDealScope(table string, f read.CoverageFilter, q *gorm.DB) *gorm.DB {
	q = q.Where(liveDeal(table))
	if f.OwnerID != 0 {
		q = q.Where(table+".deal_id IN (SELECT id FROM deals WHERE owner_id = ?)", f.OwnerID)
	}
	if f.DevRelID != 0 {
		q = q.Where(table+".deal_id IN (SELECT deal_id FROM assignments WHERE user_id = ? AND active)", f.DevRelID)
	}
	return q
}

// DevRelLoadsWithMeetingsFromRows lists every active DevRel's active deals
// against capacity and the meetings of live deals they attend between
// from and to, counted from the rows.
func (s Coverage) DevRelLoadsWithMeetingsFromRows(ctx context.Context, f read.CoverageFilter, from, to time.Time) ([]read.DevRelCoverage, error) {
	q := s.read(ctx).Table("users u").
		Select(`u.id AS user_id, u.name, u.capacity, `+rolledLoadSQL("u.id")+` AS load,
			(SELECT COUNT(*) FROM meeting_attendees ma JOIN meetings m ON m.id = ma.meeting_id JOIN deals d ON d.id = m.deal_id
			 WHERE ma.user_id = u.id AND m.status = 'scheduled' AND m.starts_at >= ? AND m.starts_at < ? AND d.archived_at IS NULL) AS meetings`, from, to).
		Where("u.role = ? AND u.active", domain.RoleDevRel)
	if f.DevRelID != 0 {
		q = q.Where("u.id = ?", f.DevRelID)
	}
	var out []read.DevRelCoverage
	return out, q.Order("u.name").Scan(&out).Error
}

// OfferStatusCountsFromRows counts offers proposed in the period by where
// they stand now, from the offers themselves.
func (s Coverage) OfferStatusCountsFromRows(ctx context.Context, f read.CoverageFilter) ([]read.StatusCount, error) {
	q := s.read(ctx).Table("offers o").Select("o.status, COUNT(*) AS count").
		Joins("JOIN deals d ON d.id = o.deal_id").
		Where("o.created_at >= ? AND o.created_at < ?", f.From, f.To)
	var out []read.StatusCount
	return out, dealScope(f, q).Group("o.status").Scan(&out).Error
}

// PromiseRisksFromRows counts open promises by what makes them a risk,
// from the promises themselves.
func (s Coverage) PromiseRisksFromRows(ctx context.Context, f read.CoverageFilter) (read.PromiseRisk, error) {
	var r read.PromiseRisk
	q := s.read(ctx).Table("promises p").
		Select(`SUM(CASE WHEN p.feasibility = 'unreviewed' THEN 1 ELSE 0 END) AS unreviewed,
			SUM(CASE WHEN p.feasibility = 'risky' THEN 1 ELSE 0 END) AS risky,
			SUM(CASE WHEN p.feasibility = 'infeasible' THEN 1 ELSE 0 END) AS infeasible,
			SUM(CASE WHEN p.due_date < ? THEN 1 ELSE 0 END) AS overdue`, domain.OverdueBefore(f.Now)).
		Joins("JOIN deals d ON d.id = p.deal_id").Where("p.status = 'open'")
	return r, dealScope(f, q).Scan(&r).Error
}

// CoverageTrendFromRows rebuilds, for each instant given (oldest first),
// how many deals were open then and how many of those had a DevRel
// assigned then, with their values per currency, from the deals' and
// assignments' dates.
// Open deals are grouped in SQL by the week each opened and closed in, so
// the scan does not grow with the number of weeks; deals with DevRel are
// counted per deal, then summed.
func (s Coverage) CoverageTrendFromRows(ctx context.Context, f read.CoverageFilter, at []time.Time) ([]read.WeekCoverage, error) {
	// bucket is the first week whose end is at or after col (len(at) when
	// none is): a deal is open at week i when opened <= i < closed.
	bucket := func(col string) (string, []any) {
		var b strings.Builder
		var args []any
		b.WriteString("CASE")
		for i, t := range at {
			fmt.Fprintf(&b, " WHEN %s <= ? THEN %d", col, i)
			args = append(args, t)
		}
		fmt.Fprintf(&b, " ELSE %d END", len(at))
		return b.String(), args
	}
	opened, openedArgs := bucket("d.created_at")
	closed, closedArgs := bucket("d.closed_at")
	first, last := at[0], at[len(at)-1]
	var groups []struct {
		Currency       string
		Opened, Closed int
		Deals, Value   int64
	}
	q := s.read(ctx).Table("deals d").
		Select("d.currency, ("+opened+") AS opened, (CASE WHEN d.closed_at IS NULL THEN "+fmt.Sprint(len(at))+" ELSE ("+closed+") END) AS closed, COUNT(*) AS deals, SUM(d.amount_minor) AS value",
			append(openedArgs, closedArgs...)...).
		Where("d.created_at <= ? AND (d.closed_at IS NULL OR d.closed_at > ?)", last, first)
	if err := dealScope(f, q).Group("d.currency, opened, closed").Scan(&groups).Error; err != nil {
		return nil, err
	}

	// Per deal first (streamed in the index's deal order), then summed: a
	// deal with two DevRel counts once.
	var covCols []string
	var covArgs []any
	openAt := func(alias string) string {
		return fmt.Sprintf("d.created_at <= %[1]s AND (d.closed_at IS NULL OR d.closed_at > %[1]s)", alias)
	}
	for i, t := range at {
		covCols = append(covCols, fmt.Sprintf("MAX(CASE WHEN a.claimed_at <= ? AND (a.released_at IS NULL OR a.released_at > ?) AND %s THEN 1 ELSE 0 END) AS w%d", openAt("?"), i))
		covArgs = append(covArgs, t, t, t, t)
	}
	perDeal := s.read(ctx).Table("assignments a").Select("a.deal_id, d.currency, d.amount_minor, "+strings.Join(covCols, ", "), covArgs...).
		Joins("JOIN deals d ON d.id = a.deal_id").
		Where("d.created_at <= ? AND (d.closed_at IS NULL OR d.closed_at > ?)", last, first).
		Where("a.claimed_at <= ? AND (a.released_at IS NULL OR a.released_at > ?)", last, first).
		Where("d.archived_at IS NULL")
	if f.DevRelID != 0 {
		perDeal = perDeal.Where("a.user_id = ?", f.DevRelID)
	}
	if f.OwnerID != 0 {
		perDeal = perDeal.Where("d.owner_id = ?", f.OwnerID)
	}
	sums := []string{"currency"}
	for i := range at {
		sums = append(sums, fmt.Sprintf("SUM(w%d) AS w%d", i, i), fmt.Sprintf("SUM(w%d * amount_minor) AS v%d", i, i))
	}
	// Per currency: w0, v0, w1, v1, … (how many deals DevRel covered at
	// each instant, and their value).
	covered := map[string][]sql.NullInt64{}
	rows, err := s.read(ctx).Table("(?) AS per_deal", perDeal.Group("a.deal_id, d.currency, d.amount_minor")).
		Select(strings.Join(sums, ", ")).Group("currency").Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var cur string
		n := make([]sql.NullInt64, 2*len(at))
		dest := []any{&cur}
		for i := range n {
			dest = append(dest, &n[i])
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		covered[cur] = n
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]read.WeekCoverage, len(at))
	for i, t := range at {
		out[i].At = t
		values := map[string]*read.CurrencyValue{}
		value := func(cur string) *read.CurrencyValue {
			if values[cur] == nil {
				values[cur] = &read.CurrencyValue{Currency: cur}
			}
			return values[cur]
		}
		for _, g := range groups {
			if g.Opened <= i && i < g.Closed {
				out[i].Open += g.Deals
				value(g.Currency).Value += g.Value
			}
		}
		for cur, n := range covered {
			out[i].Covered += n[2*i].Int64
			value(cur).Covered += n[2*i+1].Int64
		}
		for _, cv := range values {
			out[i].Values = append(out[i].Values, *cv)
		}
		sort.Slice(out[i].Values, func(a, b int) bool { return out[i].Values[a].Currency < out[i].Values[b].Currency })
	}
	return out, nil
}

// UncoveredSoon lists the first limit of an owner's open deals with no
// DevRel and a meeting in the window, closing soonest first: the
// salesperson's desk asks for support on them. The owner's deals are
// walked in that order (an index) until limit qualify.
func (s Coverage) UncoveredSoon(ctx context.Context, ownerID int64, from, to time.Time, limit int) ([]read.DealRow, error) {
	var rows []read.DealRow
	err := s.read(ctx).Table("deals").Select(`deals.*,
		(SELECT name FROM accounts WHERE accounts.id = deals.account_id) AS account_name, '' AS owner_name, 0 AS dev_rel_count`).
		Where("deals.owner_id = ? AND deals.stage NOT IN ? AND deals.archived_at IS NULL", ownerID, domain.ClosedStages).
		Where("NOT "+activeDevRel).
		Where("EXISTS (SELECT 1 FROM meetings m WHERE m.deal_id = deals.id AND m.status = 'scheduled' AND m.starts_at >= ? AND m.starts_at < ?)", from, to).
		Order("deals.expected_close_date, deals.id").Limit(limit).Scan(&rows).Error
	return rows, err
}
