package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/presale/presale/internal/domain"
)

// ClosedDeals are the evidence's rows of the deals closed from day from
// to day to (epoch days, both included), each with its DevRel's parts
// and its promises: three reads of the rollups KeepDerived keeps, whatever
// the number of deals.
func (s Coverage) ClosedDeals(ctx context.Context, from, to int64) ([]domain.ClosedDeal, error) {
	q := s.read(ctx)
	rows, err := q.Raw(`SELECT deal_id, closed_day, facts, currency, won, amount, days FROM evidence_deals
		WHERE closed_day BETWEEN ? AND ? AND deals > 0 ORDER BY deal_id`, from, to).Rows()
	if err != nil {
		return nil, err
	}
	var deals []domain.ClosedDeal
	at := map[int64]int{}
	for rows.Next() {
		var (
			d     domain.ClosedDeal
			facts string
			won   int64
		)
		if err := rows.Scan(&d.ID, &d.ClosedOn, &facts, &d.Currency, &won, &d.Amount, &d.Days); err != nil {
			rows.Close()
			return nil, err
		}
		if err := d.ReadEvidenceFacts(facts); err != nil {
			rows.Close()
			return nil, err
		}
		d.Won = won > 0
		at[d.ID] = len(deals)
		deals = append(deals, d)
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	const closedIn = ` JOIN evidence_deals e ON e.deal_id = x.deal_id AND e.deals > 0 WHERE e.closed_day BETWEEN ? AND ?`
	// Read without reflection: a year's closed deals are thousands of rows.
	each := func(query string, scan func(rows *sql.Rows, d *domain.ClosedDeal) error) error {
		rows, err := q.Raw(query, from, to).Rows()
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var d domain.ClosedDeal // the deal's id and one part of it
			if err := scan(rows, &d); err != nil {
				return err
			}
			if i, ok := at[d.ID]; ok {
				deals[i].DevRel = append(deals[i].DevRel, d.DevRel...)
				deals[i].Promises = append(deals[i].Promises, d.Promises...)
			}
		}
		return rows.Err()
	}
	err = each(`SELECT x.deal_id, x.user_id, x.meetings, x.in_sync FROM evidence_devrel x`+closedIn+` AND x.meetings > 0`, func(rows *sql.Rows, d *domain.ClosedDeal) error {
		var p domain.DevRelPart
		err := rows.Scan(&d.ID, &p.UserID, &p.Meetings, &p.InSync)
		d.DevRel = []domain.DevRelPart{p}
		return err
	})
	if err != nil {
		return nil, err
	}
	err = each(`SELECT x.deal_id, x.feasibility, x.status, x.promises FROM evidence_promises x`+closedIn+` AND x.promises > 0`, func(rows *sql.Rows, d *domain.ClosedDeal) error {
		var p domain.PromiseTally
		err := rows.Scan(&d.ID, &p.Feasibility, &p.Status, &p.Promises)
		d.Promises = []domain.PromiseTally{p}
		return err
	})
	if err != nil {
		return nil, err
	}
	return deals, nil
}

// GapRows are what each product area stands behind: the open questions
// and the risky or infeasible open promises naming it on live open deals,
// and the live deals lost to a missing capability from from to to (days,
// both included) whose questions or promises name it (once for each that
// does: GapsOf counts a deal once). One query.
func (s Coverage) GapRows(ctx context.Context, from, to time.Time) ([]domain.GapRow, error) {
	var rows []domain.GapRow
	open := `d.archived_at IS NULL AND d.stage NOT IN ('closed_won', 'closed_lost')`
	lost := `d.archived_at IS NULL AND d.stage = 'closed_lost' AND d.lost_reason = ? AND d.closed_at >= ? AND d.closed_at < ?`
	end := to.AddDate(0, 0, 1)
	err := s.read(ctx).Raw(`
		SELECT q.product_area AS area, 'question' AS kind, q.id AS item_id, q.text AS text, d.id AS deal_id, d.stage, d.amount_minor AS amount, d.currency
		FROM questions q JOIN deals d ON d.id = q.deal_id
		WHERE q.product_area <> '' AND q.status = ? AND `+open+`
		UNION ALL
		SELECT p.product_area, 'promise', p.id, p.text, d.id, d.stage, d.amount_minor, d.currency
		FROM promises p JOIN deals d ON d.id = p.deal_id
		WHERE p.product_area <> '' AND p.status = ? AND p.feasibility IN ? AND `+open+`
		UNION ALL
		SELECT q.product_area, 'lost', 0, '', d.id, d.stage, d.amount_minor, d.currency
		FROM questions q JOIN deals d ON d.id = q.deal_id
		WHERE q.product_area <> '' AND `+lost+`
		UNION ALL
		SELECT p.product_area, 'lost', 0, '', d.id, d.stage, d.amount_minor, d.currency
		FROM promises p JOIN deals d ON d.id = p.deal_id
		WHERE p.product_area <> '' AND `+lost+`
		ORDER BY 1, 2, 3, 5`,
		domain.QuestionOpen, domain.PromiseOpen, []domain.Feasibility{domain.FeasibilityRisky, domain.FeasibilityInfeasible},
		domain.LostMissingCapability, from, end, domain.LostMissingCapability, from, end).Scan(&rows).Error
	return rows, err
}
