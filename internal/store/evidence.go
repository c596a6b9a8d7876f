package store

import (
	"context"

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
