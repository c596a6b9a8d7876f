package store

import (
	"context"
	"errors"
	"time"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
	"gorm.io/gorm"
)

// CreatePromise inserts p.
func (s Offers) CreatePromise(ctx context.Context, p *domain.Promise) error {
	p.Version = 1
	err := s.write(ctx).Create(p).Error
	if errors.Is(err, gorm.ErrDuplicatedKey) && p.OfferID != nil {
		return domain.Conflictf("This offer was turned into a promise a moment ago; it is in the promise register once.")
	}
	return err
}

// ReviewPromise writes DevRel's feasibility rating only; the owner's
// status change is another column and is kept.
func (s Offers) ReviewPromise(ctx context.Context, p *domain.Promise) error {
	return s.updateOwned(ctx, "promises", p.ID, map[string]any{"feasibility": p.Feasibility, "feasibility_note": p.FeasibilityNote,
		"reviewed_by_id": p.ReviewedByID, "reviewed_at": p.ReviewedAt, "product_area": p.ProductArea, "updated_at": p.UpdatedAt})
}

// SetPromiseStatus writes a promise's status only.
func (s Offers) SetPromiseStatus(ctx context.Context, p *domain.Promise) error {
	return s.updateOwned(ctx, "promises", p.ID, map[string]any{"status": p.Status, "updated_at": p.UpdatedAt})
}

// PromiseByID loads one promise.
func (s Offers) PromiseByID(ctx context.Context, id int64) (domain.Promise, error) {
	return first[domain.Promise](ctx, s.core, id)
}

// Promises lists one page of the register: soonest due first.
func (s Offers) Promises(ctx context.Context, f read.PromiseFilter) ([]read.PromiseRow, int64, error) {
	q := s.read(ctx).Table("promises")
	if f.DealID != 0 {
		q = q.Where("promises.deal_id = ?", f.DealID)
	}
	switch f.Feasibility {
	case "":
	case read.AtRisk:
		q = q.Where("promises.feasibility IN ?", []domain.Feasibility{domain.FeasibilityRisky, domain.FeasibilityInfeasible})
	default:
		q = q.Where("promises.feasibility = ?", f.Feasibility)
	}
	if f.OwnerID != 0 {
		q = q.Where("promises.owner_id = ?", f.OwnerID)
	}
	if f.Status != "" {
		q = q.Where("promises.status = ?", f.Status)
	}
	today := domain.OverdueBefore(f.Now)
	switch f.Due {
	case "overdue":
		q = q.Where("promises.status = 'open' AND promises.due_date < ?", today)
	case "soon":
		q = q.Where("promises.status = 'open' AND promises.due_date >= ? AND promises.due_date <= ?", today, today.Add(30*24*time.Hour))
	}
	if f.DealOwnerID != 0 {
		q = q.Where("promises.deal_id IN (SELECT id FROM deals WHERE owner_id = ?)", f.DealOwnerID)
	}
	if f.RatedBy != 0 {
		q = q.Where("promises.deal_id IN (SELECT deal_id FROM assignments WHERE user_id = ? AND active)", f.RatedBy)
	}
	if f.ProductArea != "" {
		q = q.Where("promises.product_area = ?", f.ProductArea)
	}
	if f.Flagged {
		q = q.Where("promises.feasibility = ? AND promises.kind IN ?", domain.FeasibilityUnreviewed, domain.ReviewFirstKinds)
	}
	q = q.Session(&gorm.Session{})
	var n int64
	var err error
	if f.DealID != 0 {
		n, err = total(q, f.Page)
	} else {
		n, err = liveTotal(q, "promises", f.Page)
		q = q.Where(liveDeal("promises"))
	}
	if err != nil {
		return nil, 0, err
	}
	const order = "CASE WHEN promises.due_date IS NULL THEN 1 ELSE 0 END, promises.due_date, promises.id"
	var rows []read.PromiseRow
	page := q.Order(order).Limit(f.Page.Limit()).Offset(f.Page.Offset())
	if f.DealID != 0 { // a deal's few promises: the rows at once
		return rows, n, page.Select(promiseColumns).Scan(&rows).Error
	}
	// The page's ids first, then only those rows with their names: the
	// names' subqueries would otherwise run for every row sorted.
	var ids []int64
	if err := page.Pluck("promises.id", &ids).Error; err != nil || len(ids) == 0 {
		return rows, n, err
	}
	err = s.read(ctx).Table("promises").Select(promiseColumns).Where("promises.id IN ?", ids).Order(order).Scan(&rows).Error
	return rows, n, err
}

const promiseColumns = `promises.*,
	(SELECT title FROM deals WHERE deals.id = promises.deal_id) AS deal_title,
	(SELECT a.name FROM accounts a JOIN deals d ON d.account_id = a.id WHERE d.id = promises.deal_id) AS account_name,
	(SELECT name FROM users WHERE users.id = promises.owner_id) AS owner_name,
	(SELECT name FROM users WHERE users.id = promises.made_by_id) AS made_by_name,
	(SELECT name FROM users WHERE users.id = promises.reviewed_by_id) AS reviewer_name,
	(SELECT title FROM meetings WHERE meetings.id = promises.meeting_id) AS meeting_title`

// PromiseRow loads one promise with its names; found is false when there
// is none.
func (s Offers) PromiseRow(ctx context.Context, id int64) (read.PromiseRow, bool, error) {
	return s.promiseRowWhere(ctx, "promises.id = ?", id)
}

// PromiseOfOffer loads the promise an offer became, if it became one.
func (s Offers) PromiseOfOffer(ctx context.Context, offerID int64) (read.PromiseRow, bool, error) {
	return s.promiseRowWhere(ctx, "promises.offer_id = ?", offerID)
}

// promiseRowWhere loads the one promise matching a condition, with its
// names; found is false when none does.
func (s Offers) promiseRowWhere(ctx context.Context, cond string, arg any) (read.PromiseRow, bool, error) {
	var rows []read.PromiseRow
	if err := s.read(ctx).Table("promises").Select(promiseColumns).Where(cond, arg).Limit(1).Scan(&rows).Error; err != nil || len(rows) == 0 {
		return read.PromiseRow{}, false, err
	}
	return rows[0], true, nil
}
