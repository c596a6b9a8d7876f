package store

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"github.com/presale/presale/internal/domain"
)

// ClosedDeals are the evidence's rows of the deals closed from day from
// to day to (epoch days, both included), each with its DevRel's parts and
// its promises: one read of one range of the rollup KeepDerived keeps,
// without reflection (a year's closed deals are thousands of rows).
func (s Coverage) ClosedDeals(ctx context.Context, from, to int64) ([]domain.ClosedDeal, error) {
	q := s.read(ctx)
	const period = ` FROM evidence_deals WHERE closed_day BETWEEN ? AND ? AND deals > 0`
	var n int64 // counted first: growing a slice of thousands of deals costs more
	if err := q.Raw(`SELECT COUNT(*)`+period, from, to).Scan(&n).Error; err != nil {
		return nil, err
	}
	rows, err := q.Raw(`SELECT deal_id, closed_day, facts, currency, won, amount, days`+period, from, to).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	deals := make([]domain.ClosedDeal, 0, n)
	for rows.Next() {
		var (
			d     domain.ClosedDeal
			facts string
			won   int64
		)
		if err := rows.Scan(&d.ID, &d.ClosedOn, &facts, &d.Currency, &won, &d.Amount, &d.Days); err != nil {
			return nil, err
		}
		if err := d.ReadEvidenceFacts(facts); err != nil {
			return nil, err
		}
		d.Won = won > 0
		deals = append(deals, d)
	}
	return deals, rows.Err()
}

// GapRows are what each product area stands behind (domain.GapRowOf),
// in the order of area, kind, item and deal: read from the questions and
// promises that name an area (few beside all of them, found by a partial
// index on each engine) and their deals, two queries.
func (s Coverage) GapRows(ctx context.Context, from, to time.Time) ([]domain.GapRow, error) {
	q := s.read(ctx)
	var items []struct {
		domain.AreaItem
		DealID int64
	}
	err := q.Raw(`SELECT 'question' AS kind, id, product_area AS area, status, '' AS feasibility, text, deal_id FROM questions WHERE product_area <> ''
		UNION ALL
		SELECT 'promise', id, product_area, status, feasibility, text, deal_id FROM promises WHERE product_area <> ''`).Scan(&items).Error
	if err != nil || len(items) == 0 {
		return nil, err
	}
	deals := map[int64]domain.Deal{}
	ids := make([]int64, len(items))
	for i, it := range items {
		ids[i] = it.DealID
	}
	for chunk := range slices.Chunk(slices.Compact(slices.Sorted(slices.Values(ids))), 500) {
		var part []domain.Deal
		if err := q.Where("id IN ?", chunk).Find(&part).Error; err != nil {
			return nil, err
		}
		for _, d := range part {
			deals[d.ID] = d
		}
	}
	var rows []domain.GapRow
	for _, it := range items {
		it.Deal = deals[it.DealID]
		if row, ok := domain.GapRowOf(it.AreaItem, from, to); ok {
			rows = append(rows, row)
		}
	}
	slices.SortFunc(rows, func(a, b domain.GapRow) int {
		return cmp.Or(strings.Compare(a.Area, b.Area), strings.Compare(string(a.Kind), string(b.Kind)), cmp.Compare(a.ItemID, b.ItemID), cmp.Compare(a.DealID, b.DealID))
	})
	return rows, nil
}
