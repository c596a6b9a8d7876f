package store

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
	"gorm.io/gorm"
)

// CreateDeal inserts d and sets its ID.
func (s Deals) CreateDeal(ctx context.Context, d *domain.Deal) error {
	d.Version = 1
	return s.write(ctx).Create(d).Error
}

// UpdateDeal writes d if its version is still expected, and bumps the
// version. It reports false when someone else saved first.
func (s Deals) UpdateDeal(ctx context.Context, d *domain.Deal, expected int64) (bool, error) {
	ok, err := s.updateVersioned(ctx, "deals", d.ID, expected, map[string]any{
		"title": d.Title, "account_id": d.AccountID, "owner_id": d.OwnerID, "stage": d.Stage, "amount_minor": d.AmountMinor,
		"currency": d.Currency, "expected_close_date": d.ExpectedCloseDate, "technical_status": d.TechnicalStatus,
		"description": d.Description, "closed_at": d.ClosedAt, "updated_at": d.UpdatedAt, "lost_reason": d.LostReason, "lost_note": d.LostNote,
	})
	if ok {
		d.Version = expected + 1
	}
	return ok, err
}

// DealByID loads one deal.
func (s Deals) DealByID(ctx context.Context, id int64) (domain.Deal, error) {
	return first[domain.Deal](ctx, s.core, id)
}

// TouchDeals records activity on deals for the pipeline's sort.
func (s Deals) TouchDeals(ctx context.Context, ids []int64, at time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	return s.write(ctx).Model(&domain.Deal{}).Where("id IN ?", ids).Update("last_activity_at", at).Error
}

// DealRevision tells which revision of a deal, and of the directory of
// names (people, accounts, contacts), the database holds now: a page
// kept from the same two is still true.
func (s Deals) DealRevision(ctx context.Context, id int64) (read.Revision, error) {
	return s.revision(ctx, "deals WHERE deals.id = ?", id)
}

// MeetingRevision is DealRevision for a meeting's deal.
func (s Deals) MeetingRevision(ctx context.Context, meetingID int64) (read.Revision, error) {
	return s.revision(ctx, "meetings JOIN deals ON deals.id = meetings.deal_id WHERE meetings.id = ?", meetingID)
}

// revision reads the revisions of the deal that from (a join ending in a
// condition on id) finds.
func (s Deals) revision(ctx context.Context, from string, id int64) (read.Revision, error) {
	var r []read.Revision
	err := s.read(ctx).Raw(`SELECT deals.revision AS deal, (SELECT n FROM revisions WHERE name = 'directory') AS directory
		FROM `+from, id).Scan(&r).Error
	if err != nil {
		return read.Revision{}, err
	}
	if len(r) == 0 {
		return read.Revision{}, domain.ErrNotFound
	}
	return r[0], nil
}

// DealSorts are the orders the pipeline offers, by their URL value.
var DealSorts = map[string]string{
	"activity":  "deals.last_activity_at DESC",
	"-activity": "deals.last_activity_at ASC",
	"close":     "deals.expected_close_date ASC",
	"-close":    "deals.expected_close_date DESC",
	"amount":    "deals.amount_minor DESC",
	"-amount":   "deals.amount_minor ASC",
	"title":     "lower(deals.title) ASC",
	"id":        "deals.id ASC",
	"-title":    "lower(deals.title) DESC",
}

// liveDeal keeps the rows of table whose deal is not archived: the
// archived are few, so the set is read once.
func liveDeal(table string) string {
	return table + ".deal_id NOT IN (SELECT id FROM deals WHERE archived_at IS NOT NULL)"
}

// liveDealOfEach is liveDeal asked of each row, by its deal's key, rather
// than of a set of every archived deal built first: for a search, whose
// matches are few, building the set took most of a rare word's time.
func liveDealOfEach(table string) string {
	return "NOT EXISTS (SELECT 1 FROM deals ld WHERE ld.id = " + table + ".deal_id AND ld.archived_at IS NOT NULL)"
}

const activeDevRel = "EXISTS (SELECT 1 FROM assignments a WHERE a.deal_id = deals.id AND a.active)"

// CountDeals counts the deals a filter selects.
func (s Deals) CountDeals(ctx context.Context, f read.DealFilter) (int64, error) {
	var n int64
	return n, s.dealsWhere(ctx, f).Count(&n).Error
}

// dealRows reads deals with the names a list shows them with.
func (s Deals) dealRows(ctx context.Context) *gorm.DB {
	return s.read(ctx).Table("deals").Select(`deals.*,
		(SELECT name FROM accounts WHERE accounts.id = deals.account_id) AS account_name,
		(SELECT name FROM users WHERE users.id = deals.owner_id) AS owner_name,
		(SELECT COUNT(*) FROM assignments a WHERE a.deal_id = deals.id AND a.active) AS dev_rel_count`)
}

// dealsWhere selects the deals a filter asks for: every condition touches
// deals only (the account search through a subquery), so a count needs no
// join.
func (s Deals) dealsWhere(ctx context.Context, f read.DealFilter) *gorm.DB {
	q := s.read(ctx).Table("deals").Where(archivedIs("deals", f.Archived))
	if len(f.IDs) > 0 {
		q = q.Where("deals.id IN ?", f.IDs)
	}
	if f.AfterID != 0 {
		q = q.Where("deals.id > ?", f.AfterID)
	}
	if f.NoNextStep {
		q = q.Where("deals.stage NOT IN ? AND "+noNextStep, domain.ClosedStages)
	}
	if t := strings.TrimSpace(f.Q); t != "" {
		p := likePattern(strings.ToLower(t))
		q = q.Where(`(lower(deals.title) LIKE ? ESCAPE '\'
			OR deals.account_id IN (SELECT id FROM accounts WHERE lower(accounts.name) LIKE ? ESCAPE '\'))`, p, p)
	}
	if f.TechnicalStatus != "" {
		q = q.Where("deals.technical_status = ?", f.TechnicalStatus)
	}
	if f.AccountID != 0 {
		q = q.Where("deals.account_id = ?", f.AccountID)
	}
	q = byOwnerAndStage(q, "deals", f)
	if f.AssignedTo != 0 {
		q = q.Where("deals.id IN (SELECT deal_id FROM assignments WHERE user_id = ? AND active)", f.AssignedTo)
	}
	switch f.DevRel {
	case "with":
		q = q.Where(activeDevRel)
	case "without":
		q = q.Where("NOT " + activeDevRel)
	}
	return q
}

// Deals lists one page of the pipeline and what all matching deals add up
// to in the reporting currency (not for an uncounted page). Every filter
// and the order run in SQL; ids break ties so pages never overlap or skip.
func (s Deals) Deals(ctx context.Context, f read.DealFilter) ([]read.DealRow, read.DealSums, error) {
	q := s.dealsWhere(ctx, f).Session(&gorm.Session{}) // the sums and the page branch from here
	var sums read.DealSums
	var err error
	switch {
	case f.Page.Uncounted:
	case rolledUp(f):
		sums, err = s.rolledUpSums(ctx, f)
	default:
		sums, err = s.dealSums(q, f)
	}
	if err != nil {
		return nil, sums, err
	}
	// The page's ids first, from indexes where the order allows; then only
	// those rows, with their names.
	var ids []int64
	if err := pageOf(q, f).Pluck("deals.id", &ids).Error; err != nil || len(ids) == 0 {
		return nil, sums, err
	}
	rows, err := s.dealRowsOf(ctx, ids)
	return rows, sums, err
}

// pageOf orders q, the deals f selects, by f's sort and takes f's page.
func pageOf(q *gorm.DB, f read.DealFilter) *gorm.DB {
	order, ok := DealSorts[f.Sort]
	if !ok {
		order = DealSorts["activity"]
	}
	if by, ok := amountSorts[f.Sort]; ok {
		order = convertedAmount(f.AmountFactors) + by
	}
	return q.Order(order + ", deals.id DESC").Limit(f.Page.Limit()).Offset(f.Page.Offset())
}

// DealsByStage is Deals for each of stages (f names none), as the board
// reads them: the page f asks for in every stage, and what each stage
// adds up to. Where the rollup answers the sums, it is three statements
// for any number of stages: the sums, every stage's page of ids in one
// union, and those rows.
func (s Deals) DealsByStage(ctx context.Context, f read.DealFilter, stages []domain.Stage) (map[domain.Stage][]read.DealRow, map[domain.Stage]read.DealSums, error) {
	sums := make(map[domain.Stage]read.DealSums, len(stages))
	var err error
	if rolledUp(f) {
		if sums, err = s.rolledUpSumsByStage(ctx, f); err != nil {
			return nil, nil, err
		}
	}
	union := make([]string, len(stages))
	pages := make([]any, len(stages))
	for i, st := range stages {
		sf := f
		sf.Stage = st
		q := s.dealsWhere(ctx, sf).Session(&gorm.Session{}) // the sums and the page branch from here
		if !rolledUp(f) {
			if sums[st], err = s.dealSums(q, sf); err != nil {
				return nil, nil, err
			}
		}
		union[i] = fmt.Sprintf("SELECT * FROM (?) AS stage%d", i)
		pages[i] = pageOf(q, sf).Select("deals.id")
	}
	var ids []int64
	if len(stages) > 0 {
		if err := s.read(ctx).Raw(strings.Join(union, " UNION ALL "), pages...).Scan(&ids).Error; err != nil {
			return nil, nil, err
		}
	}
	// Each part of the union comes out in its own order (a subquery's
	// LIMIT is read in its ORDER BY on both engines); the parts may
	// interleave, and the rows are parted by stage again.
	rows, err := s.dealRowsOf(ctx, ids)
	byStage := make(map[domain.Stage][]read.DealRow, len(stages))
	for _, r := range rows {
		byStage[r.Stage] = append(byStage[r.Stage], r)
	}
	return byStage, sums, err
}

// dealRowsOf loads the deals of ids, with their names, in the order of
// ids: a list reads its page's ids first, so the names are read for the
// page's rows only, not for every row the order passed over.
func (s Deals) dealRowsOf(ctx context.Context, ids []int64) ([]read.DealRow, error) {
	var rows []read.DealRow
	if len(ids) == 0 {
		return rows, nil
	}
	err := s.dealRows(ctx).Where("deals.id IN ?", ids).Scan(&rows).Error
	at := make(map[int64]int, len(ids))
	for i, id := range ids {
		at[id] = i
	}
	sort.Slice(rows, func(i, j int) bool { return at[rows[i].ID] < at[rows[j].ID] })
	return rows, err
}

// dealSums adds up the deals q selects in one pass, without grouping: how
// many, their value and weighted value converted with the filter's factors
// and percents, how many have no rate, and which of the watched currencies
// are present.
func (s Deals) dealSums(q *gorm.DB, f read.DealFilter) (read.DealSums, error) {
	value := convertedAmount(f.AmountFactors)
	var weight strings.Builder
	weight.WriteString("CASE deals.stage")
	for _, st := range domain.Stages {
		fmt.Fprintf(&weight, " WHEN '%s' THEN %d", st, f.StagePercents[st])
	}
	weight.WriteString(" ELSE 0 END")
	cols := []string{"COUNT(*) AS deals", "SUM(v) AS value", "SUM(v * w) / 100.0 AS weighted", "SUM(CASE WHEN v IS NULL THEN 1 ELSE 0 END) AS unrated"}
	var args []any
	for i, c := range f.Watch {
		cols = append(cols, fmt.Sprintf("SUM(CASE WHEN currency = ? THEN 1 ELSE 0 END) AS w%d", i))
		args = append(args, c)
	}
	// Each deal's converted value and weight once, in a subquery the
	// engine keeps apart (not merged into the sums, which would work each
	// CASE out again per use).
	apart := "LIMIT -1"
	if s.postgres() {
		apart = "OFFSET 0"
	}
	each := q.Select("deals.currency AS currency, (" + value + ") AS v, (" + weight.String() + ") AS w")
	var deals, unrated sql.NullInt64
	var total, weighted sql.NullFloat64
	watched := make([]sql.NullInt64, len(f.Watch))
	dest := []any{&deals, &total, &weighted, &unrated}
	for i := range watched {
		dest = append(dest, &watched[i])
	}
	if err := s.r.WithContext(q.Statement.Context).Table("(? "+apart+") AS each_deal", each).Select(strings.Join(cols, ", "), args...).Row().Scan(dest...); err != nil {
		return read.DealSums{}, err
	}
	sums := read.DealSums{Deals: deals.Int64, Value: total.Float64, Weighted: weighted.Float64}
	for i, c := range f.Watch {
		if watched[i].Int64 > 0 {
			sums.Watched = append(sums.Watched, c)
		}
	}
	if unrated.Int64 > 0 {
		// Rare: name the currencies left out.
		if err := q.Where("("+value+") IS NULL").Distinct("deals.currency").Order("deals.currency").Pluck("deals.currency", &sums.Unrated).Error; err != nil {
			return sums, err
		}
	}
	return sums, nil
}

// byOwnerAndStage narrows q, over a table with owner_id and stage
// columns (the deals, or their rollup), by the filter's owner, stage and
// open or closed.
func byOwnerAndStage(q *gorm.DB, table string, f read.DealFilter) *gorm.DB {
	if f.OwnerID != 0 {
		q = q.Where(table+".owner_id = ?", f.OwnerID)
	}
	if f.Stage != "" {
		q = q.Where(table+".stage = ?", f.Stage)
	}
	switch f.Open {
	case "open":
		q = q.Where(table+".stage NOT IN ?", domain.ClosedStages)
	case "closed":
		q = q.Where(table+".stage IN ?", domain.ClosedStages)
	}
	return q
}

// rolledUp reports whether the deal rollup answers the filter's sums: it
// narrows live deals by owner, stage or open and closed alone. Any other
// condition, one added later too, sends the sums to the rows.
func rolledUp(f read.DealFilter) bool {
	f.OwnerID, f.Stage, f.Open, f.Sort, f.Page = 0, "", "", "", read.Page{}
	f.AmountFactors, f.StagePercents, f.Watch = nil, nil, nil
	return reflect.ValueOf(f).IsZero()
}

// DealSumsFromRows is what Deals adds up, always from the deals
// themselves: the straightforward query the rollup must agree with.
func (s Deals) DealSumsFromRows(ctx context.Context, f read.DealFilter) (read.DealSums, error) {
	return s.dealSums(s.dealsWhere(ctx, f), f)
}

// rolledUpSums adds up what dealSums does from the deal rollup, a row per
// owner, stage and currency, converted here with the same factors.
func (s Deals) rolledUpSums(ctx context.Context, f read.DealFilter) (read.DealSums, error) {
	cells, err := s.rolledUpCells(ctx, f)
	return sumCells(cells, f), err
}

// rolledUpSumsByStage is rolledUpSums for each stage f selects.
func (s Deals) rolledUpSumsByStage(ctx context.Context, f read.DealFilter) (map[domain.Stage]read.DealSums, error) {
	cells, err := s.rolledUpCells(ctx, f)
	byStage := map[domain.Stage][]rollupCell{}
	for _, c := range cells {
		byStage[c.Stage] = append(byStage[c.Stage], c)
	}
	sums := make(map[domain.Stage]read.DealSums, len(byStage))
	for st, cs := range byStage {
		sums[st] = sumCells(cs, f)
	}
	return sums, err
}

// rollupCell is what the rollup holds of the deals of one stage in one
// currency (of the owners a filter selects).
type rollupCell struct {
	Stage        domain.Stage
	Currency     string
	Deals, Value int64
}

// rolledUpCells reads the rollup's cells f selects, by stage and currency.
func (s Deals) rolledUpCells(ctx context.Context, f read.DealFilter) ([]rollupCell, error) {
	q := byOwnerAndStage(s.read(ctx).Table("deal_rollup").Select("stage, currency, SUM(deals) AS deals, SUM(value) AS value").
		Where("deals <> 0").Group("stage, currency"), "deal_rollup", f)
	var cells []rollupCell
	return cells, q.Scan(&cells).Error
}

// sumCells adds up cells converted with f's factors and weighted by its
// percents.
func sumCells(cells []rollupCell, f read.DealFilter) read.DealSums {
	var sums read.DealSums
	present, unrated := map[string]bool{}, map[string]bool{}
	for _, c := range cells {
		sums.Deals += c.Deals
		present[c.Currency] = true
		factor, ok := f.AmountFactors[c.Currency]
		if len(f.AmountFactors) == 0 {
			factor, ok = 1, true
		}
		if !ok {
			unrated[c.Currency] = true
			continue
		}
		v := float64(c.Value) * factor
		sums.Value += v
		sums.Weighted += v * float64(f.StagePercents[c.Stage]) / 100
	}
	for _, c := range f.Watch {
		if present[c] {
			sums.Watched = append(sums.Watched, c)
		}
	}
	sums.Unrated = slices.Sorted(maps.Keys(unrated))
	return sums
}

// amountSorts order by the value in the reporting currency; a deal whose
// currency has no rate comes last either way.
var amountSorts = map[string]string{"amount": " DESC NULLS LAST", "-amount": " ASC NULLS LAST"}

// convertedAmount is a deal's amount in the reporting currency, from the
// factors given (one per currency with a rate), NULL without one. The
// factors are numbers formatted here, not user input.
func convertedAmount(factors map[string]float64) string {
	if len(factors) == 0 {
		return "deals.amount_minor"
	}
	// In the domain's order, the common currencies first: SQLite tries the
	// branches in turn for every row.
	var currencies []string
	for _, c := range domain.Currencies {
		if _, ok := factors[c]; ok {
			currencies = append(currencies, c)
		}
	}
	var b strings.Builder
	b.WriteString("CASE deals.currency")
	for _, c := range currencies {
		fmt.Fprintf(&b, " WHEN '%s' THEN deals.amount_minor * %s", c, strconv.FormatFloat(factors[c], 'g', -1, 64))
	}
	b.WriteString(" END")
	return b.String()
}

// DealTeam returns who works a deal: the owner and active DevRel.
func (s Deals) DealTeam(ctx context.Context, dealID int64) (domain.DealTeam, []read.TeamMember, error) {
	d, err := s.DealByID(ctx, dealID)
	if err != nil {
		return domain.DealTeam{}, nil, err
	}
	return s.TeamOf(ctx, d)
}

// TeamOf is DealTeam for a deal already loaded.
func (s Deals) TeamOf(ctx context.Context, d domain.Deal) (domain.DealTeam, []read.TeamMember, error) {
	team, members, _, err := s.team(ctx, d, false)
	return team, members, err
}

// TeamAndFormer is TeamOf with the names of the DevRel who were on the
// deal and are not now (such as those freed when it closed), from the
// same read of its assignments.
func (s Deals) TeamAndFormer(ctx context.Context, d domain.Deal) (domain.DealTeam, []read.TeamMember, []string, error) {
	return s.team(ctx, d, true)
}

func (s Deals) team(ctx context.Context, d domain.Deal, withFormer bool) (domain.DealTeam, []read.TeamMember, []string, error) {
	var rows []struct {
		read.TeamMember
		Active bool
	}
	q := s.read(ctx).Table("assignments").Select("assignments.user_id, users.name, assignments.role, assignments.override, assignments.claimed_at, assignments.active").
		Joins("JOIN users ON users.id = assignments.user_id").Where("assignments.deal_id = ?", d.ID)
	if !withFormer {
		q = q.Where("assignments.active")
	}
	err := q.Order("assignments.role, users.name").Scan(&rows).Error
	team := domain.DealTeam{DealID: d.ID, OwnerID: d.OwnerID}
	var members []read.TeamMember
	for _, r := range rows {
		if r.Active {
			members = append(members, r.TeamMember)
			team.DevRelIDs = append(team.DevRelIDs, r.UserID)
		}
	}
	var former []string
	for _, r := range rows {
		if !r.Active && !slices.Contains(team.DevRelIDs, r.UserID) && !slices.Contains(former, r.Name) {
			former = append(former, r.Name)
		}
	}
	slices.Sort(former)
	return team, members, former, err
}

// DealUpdates returns the deal's latest n field updates, newest first:
// what changed while someone else was editing.
func (s Deals) DealUpdates(ctx context.Context, dealID int64, n int) ([]read.TimelineEntry, error) {
	return s.store().Updates(ctx, domain.EntityDeal, dealID, n)
}

// CreateNote inserts an internal note.
func (s Deals) CreateNote(ctx context.Context, n *domain.DealNote) error {
	return s.write(ctx).Create(n).Error
}

// NotesOf lists a deal's internal notes, newest first.
func (s Deals) NotesOf(ctx context.Context, dealID int64) ([]read.NoteRow, error) {
	var ns []read.NoteRow
	return ns, s.read(ctx).Table("deal_notes").Select("deal_notes.*, users.name AS author_name").
		Joins("JOIN users ON users.id = deal_notes.author_id").Where("deal_notes.deal_id = ?", dealID).
		Order("deal_notes.created_at DESC, deal_notes.id DESC").Scan(&ns).Error
}

// AssignedDeals lists the first limit open deals a DevRel is actively
// assigned to, closing soonest first.
func (s Deals) AssignedDeals(ctx context.Context, userID int64, limit int) ([]read.DealRow, error) {
	var ids []int64
	err := s.read(ctx).Table("deals").
		Where("deals.id IN (SELECT deal_id FROM assignments WHERE user_id = ? AND active) AND deals.archived_at IS NULL", userID).
		Order("CASE WHEN deals.expected_close_date IS NULL THEN 1 ELSE 0 END, deals.expected_close_date, deals.id").Limit(limit).Pluck("deals.id", &ids).Error
	if err != nil {
		return nil, err
	}
	return s.dealRowsOf(ctx, ids)
}
