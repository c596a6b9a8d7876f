package store

import (
	"context"
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
	var parts []struct {
		DealID int64
		domain.DevRelPart
	}
	if err := q.Raw(`SELECT x.deal_id, x.user_id, x.meetings, x.in_sync FROM evidence_devrel x`+closedIn+` AND x.meetings > 0
		ORDER BY x.deal_id, x.user_id`, from, to).Scan(&parts).Error; err != nil {
		return nil, err
	}
	for _, p := range parts {
		if i, ok := at[p.DealID]; ok {
			deals[i].DevRel = append(deals[i].DevRel, p.DevRelPart)
		}
	}
	var promises []struct {
		DealID int64
		domain.PromiseTally
	}
	if err := q.Raw(`SELECT x.deal_id, x.feasibility, x.status, x.promises FROM evidence_promises x`+closedIn+` AND x.promises > 0
		ORDER BY x.deal_id, x.feasibility, x.status`, from, to).Scan(&promises).Error; err != nil {
		return nil, err
	}
	for _, p := range promises {
		if i, ok := at[p.DealID]; ok {
			deals[i].Promises = append(deals[i].Promises, p.PromiseTally)
		}
	}
	return deals, nil
}

// GapRows are what each product area stands behind: the open questions
// and the risky or infeasible open promises naming it on live open deals,
// and the live deals lost to a missing capability from from to to (days,
// both included) whose questions or promises name it. One query.
func (s Coverage) GapRows(ctx context.Context, from, to time.Time) ([]domain.GapRow, error) {
	var rows []domain.GapRow
	open := `d.archived_at IS NULL AND d.stage NOT IN ('closed_won', 'closed_lost')`
	err := s.read(ctx).Raw(`
		SELECT q.product_area AS area, 'question' AS kind, q.id AS item_id, q.text AS text, d.id AS deal_id, d.stage, d.amount_minor AS amount, d.currency
		FROM questions q JOIN deals d ON d.id = q.deal_id
		WHERE q.product_area <> '' AND q.status = ? AND `+open+`
		UNION ALL
		SELECT p.product_area, 'promise', p.id, p.text, d.id, d.stage, d.amount_minor, d.currency
		FROM promises p JOIN deals d ON d.id = p.deal_id
		WHERE p.product_area <> '' AND p.status = ? AND p.feasibility IN ? AND `+open+`
		UNION ALL
		SELECT DISTINCT x.area, 'lost', 0, '', d.id, d.stage, d.amount_minor, d.currency
		FROM deals d JOIN (SELECT deal_id, product_area AS area FROM questions WHERE product_area <> ''
			UNION SELECT deal_id, product_area FROM promises WHERE product_area <> '') x ON x.deal_id = d.id
		WHERE d.archived_at IS NULL AND d.stage = 'closed_lost' AND d.lost_reason = ? AND d.closed_at >= ? AND d.closed_at < ?
		ORDER BY 1, 2, 3, 5`,
		domain.QuestionOpen, domain.PromiseOpen, []domain.Feasibility{domain.FeasibilityRisky, domain.FeasibilityInfeasible},
		domain.LostMissingCapability, from, to.AddDate(0, 0, 1)).Scan(&rows).Error
	return rows, err
}
