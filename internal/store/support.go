package store

import (
	"context"
	"time"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// CreateSupportRequest inserts r.
func (s Support) CreateSupportRequest(ctx context.Context, r *domain.SupportRequest) error {
	r.Version = 1
	return s.write(ctx).Create(r).Error
}

// SupportRequestByID loads one request.
func (s Support) SupportRequestByID(ctx context.Context, id int64) (domain.SupportRequest, error) {
	return first[domain.SupportRequest](ctx, s.core, id)
}

// ClaimRequest marks an open request claimed by userID. It reports false
// when the request was no longer open: someone else won.
func (s Support) ClaimRequest(ctx context.Context, id, userID int64, at time.Time) (bool, error) {
	res := s.write(ctx).Model(&domain.SupportRequest{}).Where("id = ? AND status = ?", id, domain.SupportOpen).
		Updates(map[string]any{"status": domain.SupportClaimed, "claimed_by_id": userID, "claimed_at": at, "updated_at": at,
			"version": gorm.Expr("version + 1")})
	return res.RowsAffected == 1, res.Error
}

// SaveSupportRequest writes a request's status and claim if it is still at
// version expected; false means someone claimed, released or cancelled it
// first.
func (s Support) SaveSupportRequest(ctx context.Context, r *domain.SupportRequest, expected int64) (bool, error) {
	ok, err := s.updateVersioned(ctx, "support_requests", r.ID, expected, map[string]any{
		"status": r.Status, "claimed_by_id": r.ClaimedByID, "claimed_at": r.ClaimedAt, "updated_at": r.UpdatedAt})
	if ok {
		r.Version = expected + 1
	}
	return ok, err
}

// LockUser holds a user's row for the rest of the transaction, so two
// claims by one DevRel cannot both pass the capacity check. SQLite's
// immediate transactions already run one at a time.
func (s Support) LockUser(ctx context.Context, id int64) (domain.User, error) {
	var u domain.User
	q := s.write(ctx)
	if s.postgres() {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	err := q.First(&u, id).Error
	return u, notFound(err)
}

// rolledLoadSQL is a DevRel's load (domain.User.HasRoomFor weighs it
// against capacity): the open, live deals they are actively assigned to,
// from the rollup store.KeepDerived keeps in the transaction of every
// claim, release, move and archiving.
func rolledLoadSQL(user string) string {
	return "COALESCE((SELECT deals FROM devrel_loads WHERE user_id = " + user + "), 0)"
}

// ActiveLoad is a DevRel's load.
func (s Support) ActiveLoad(ctx context.Context, userID int64) (int, error) {
	var n int64
	err := s.read(ctx).Raw("SELECT "+rolledLoadSQL("?"), userID).Scan(&n).Error
	return int(n), err
}

// ActiveAssignment finds a DevRel's active assignment on a deal.
func (s Support) ActiveAssignment(ctx context.Context, dealID, userID int64) (domain.Assignment, bool, error) {
	var a domain.Assignment
	err := s.read(ctx).Where("deal_id = ? AND user_id = ? AND active", dealID, userID).First(&a).Error
	if err == gorm.ErrRecordNotFound {
		return a, false, nil
	}
	return a, err == nil, err
}

// CreateAssignment inserts a.
func (s Support) CreateAssignment(ctx context.Context, a *domain.Assignment) error {
	return s.write(ctx).Create(a).Error
}

// EndAssignment ends a DevRel's active assignment on a deal.
func (s Support) EndAssignment(ctx context.Context, dealID, userID int64, at time.Time) (bool, error) {
	res := s.write(ctx).Model(&domain.Assignment{}).Where("deal_id = ? AND user_id = ? AND active", dealID, userID).
		Updates(map[string]any{"active": false, "released_at": at})
	return res.RowsAffected > 0, res.Error
}

// DevRelLoads lists active DevRel with their current load, by name.
func (s Support) DevRelLoads(ctx context.Context) ([]read.DevRelLoad, error) {
	var rows []read.DevRelLoad
	err := s.read(ctx).Table("users").
		Select("users.*, "+rolledLoadSQL("users.id")+" AS load").
		Where("users.role = ? AND users.active", domain.RoleDevRel).Order("users.name").Scan(&rows).Error
	return rows, err
}

func (s Support) supportRows(ctx context.Context, now time.Time) *gorm.DB {
	return s.read(ctx).Table("support_requests").
		Select(`support_requests.*, deals.title AS deal_title, deals.stage AS deal_stage, deals.amount_minor, deals.currency,
			accounts.name AS account_name, requester.name AS requested_by_name, claimer.name AS claimed_by_name,
			next.id AS next_meeting_id, next.title AS next_meeting_title, next.starts_at AS next_meeting_at`).
		Joins("JOIN deals ON deals.id = support_requests.deal_id").
		Joins("JOIN accounts ON accounts.id = deals.account_id").
		Joins("JOIN users requester ON requester.id = support_requests.requested_by_id").
		Joins("LEFT JOIN users claimer ON claimer.id = support_requests.claimed_by_id").
		Joins(`LEFT JOIN meetings next ON next.id = (SELECT m.id FROM meetings m WHERE m.deal_id = deals.id AND m.status = 'scheduled' AND m.starts_at >= ?
			ORDER BY m.starts_at LIMIT 1)`, now)
}

// SupportBoard lists requests, the most urgent first: by needed-by date
// (none last), then oldest.
func (s Support) SupportBoard(ctx context.Context, f read.SupportFilter) ([]read.SupportRow, int64, error) {
	status := f.Status
	if status == "" {
		status = domain.SupportOpen
	}
	q := s.read(ctx).Table("support_requests").Where("support_requests.status = ?", status)
	if f.Kind != "" {
		q = q.Where("support_requests.kind = ?", f.Kind)
	}
	if f.DealOwnerID != 0 {
		q = q.Where("support_requests.deal_id IN (SELECT id FROM deals WHERE owner_id = ?)", f.DealOwnerID)
	}
	if f.DevRelID != 0 {
		q = q.Where("support_requests.deal_id IN (SELECT deal_id FROM assignments WHERE user_id = ? AND active)", f.DevRelID)
	}
	day := 24 * time.Hour
	if f.Overdue {
		q = q.Where("support_requests.needed_by < ?", f.Now.UTC().Truncate(day))
	}
	// The bands match OpenSupportAges: newer than the lower bound's age,
	// as old as the upper one or older.
	if band, ok := read.SupportAgeBands[f.Age]; ok {
		if band[0] > 0 {
			q = q.Where("support_requests.created_at <= ?", f.Now.Add(-time.Duration(band[0])*day))
		}
		if band[1] > 0 {
			q = q.Where("support_requests.created_at > ?", f.Now.Add(-time.Duration(band[1])*day))
		}
	}
	n, err := liveTotal(q, "support_requests", f.Page)
	if err != nil {
		return nil, 0, err
	}
	q = q.Where(liveDeal("support_requests"))
	var ids []int64
	order := "CASE WHEN support_requests.needed_by IS NULL THEN 1 ELSE 0 END, support_requests.needed_by, support_requests.created_at, support_requests.id"
	if err := q.Order(order).Limit(f.Page.Limit()).Offset(f.Page.Offset()).Pluck("support_requests.id", &ids).Error; err != nil {
		return nil, 0, err
	}
	var rows []read.SupportRow
	if len(ids) == 0 {
		return rows, n, nil
	}
	err = s.supportRows(ctx, f.Now).Where("support_requests.id IN ?", ids).Order(order).Scan(&rows).Error
	return rows, n, err
}

// SupportRequestRow loads one request as the board shows it.
func (s Support) SupportRequestRow(ctx context.Context, id int64, now time.Time) (read.SupportRow, error) {
	var rows []read.SupportRow
	if err := s.supportRows(ctx, now).Where("support_requests.id = ?", id).Scan(&rows).Error; err != nil {
		return read.SupportRow{}, err
	}
	if len(rows) == 0 {
		return read.SupportRow{}, domain.ErrNotFound
	}
	return rows[0], nil
}

// DealSupportRequests lists a deal's requests, newest first.
func (s Support) DealSupportRequests(ctx context.Context, dealID int64, now time.Time) ([]read.SupportRow, error) {
	var rows []read.SupportRow
	err := s.supportRows(ctx, now).Where("support_requests.deal_id = ?", dealID).
		Order("support_requests.created_at DESC, support_requests.id DESC").Scan(&rows).Error
	return rows, err
}
