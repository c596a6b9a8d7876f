package store

import (
	"context"
	"strings"
	"time"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// CreateWebhookEndpoint inserts e and sets its ID.
func (s Deliveries) CreateWebhookEndpoint(ctx context.Context, e *domain.WebhookEndpoint) error {
	return s.write(ctx).Create(e).Error
}

// WebhookEndpoints lists every endpoint, newest first.
func (s Deliveries) WebhookEndpoints(ctx context.Context) ([]domain.WebhookEndpoint, error) {
	var es []domain.WebhookEndpoint
	return es, s.read(ctx).Order("id DESC").Find(&es).Error
}

// ActiveWebhookEndpoints lists the endpoints changes are reported to. On
// PostgreSQL they are held (FOR KEY SHARE, the lock a delivery's foreign
// key takes anyway) until the change commits, so an endpoint being
// deleted is either waited for and not found, or waits for the change
// and deletes its deliveries too.
func (s Deliveries) ActiveWebhookEndpoints(ctx context.Context) ([]domain.WebhookEndpoint, error) {
	var es []domain.WebhookEndpoint
	q := s.read(ctx)
	if s.postgres() {
		q = q.Clauses(clause.Locking{Strength: "KEY SHARE"})
	}
	return es, q.Where("active").Order("id").Find(&es).Error
}

// LockWebhookEndpoint loads an endpoint to change it, held (on PostgreSQL)
// until the transaction ends: two rotations or a rotation and a delete
// take turns.
func (s Deliveries) LockWebhookEndpoint(ctx context.Context, id int64) (domain.WebhookEndpoint, error) {
	var e domain.WebhookEndpoint
	q := s.write(ctx)
	if s.postgres() {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	return e, notFound(q.First(&e, id).Error)
}

// WebhookEndpoint loads one endpoint.
func (s Deliveries) WebhookEndpoint(ctx context.Context, id int64) (domain.WebhookEndpoint, error) {
	return first[domain.WebhookEndpoint](ctx, s.core, id)
}

// SetWebhookEndpointActive pauses or resumes an endpoint.
func (s Deliveries) SetWebhookEndpointActive(ctx context.Context, id int64, active bool) error {
	return s.write(ctx).Model(&domain.WebhookEndpoint{}).Where("id = ?", id).Update("active", active).Error
}

// RotateWebhookSecret writes an endpoint's new secret and the one it
// replaces: only those columns.
func (s Deliveries) RotateWebhookSecret(ctx context.Context, e domain.WebhookEndpoint) error {
	return s.write(ctx).Model(&domain.WebhookEndpoint{}).Where("id = ?", e.ID).
		Updates(map[string]any{"secret": e.Secret, "previous_secret": e.PreviousSecret, "previous_secret_until": e.PreviousSecretUntil}).Error
}

// DeleteWebhookEndpoint deletes an endpoint with its deliveries; their
// queued jobs find nothing to send.
func (s Deliveries) DeleteWebhookEndpoint(ctx context.Context, id int64) error {
	if err := s.write(ctx).Where("endpoint_id = ?", id).Delete(&domain.WebhookDelivery{}).Error; err != nil {
		return err
	}
	res := s.write(ctx).Delete(&domain.WebhookEndpoint{}, id)
	if res.Error == nil && res.RowsAffected == 0 {
		return domain.ErrNotFound
	}
	return res.Error
}

// CreateWebhookDeliveries inserts deliveries and sets their IDs.
func (s Deliveries) CreateWebhookDeliveries(ctx context.Context, ds []domain.WebhookDelivery) ([]int64, error) {
	if len(ds) == 0 {
		return nil, nil
	}
	if err := s.write(ctx).Create(&ds).Error; err != nil {
		return nil, err
	}
	ids := make([]int64, len(ds))
	for i, d := range ds {
		ids[i] = d.ID
	}
	return ids, nil
}

// WebhookDelivery loads one delivery.
func (s Deliveries) WebhookDelivery(ctx context.Context, id int64) (domain.WebhookDelivery, error) {
	return first[domain.WebhookDelivery](ctx, s.core, id)
}

// WebhookDeliveries lists one page of an endpoint's deliveries, newest
// first.
func (s Deliveries) WebhookDeliveries(ctx context.Context, endpointID int64, p read.Page) ([]domain.WebhookDelivery, int64, error) {
	q := s.read(ctx).Model(&domain.WebhookDelivery{}).Where("endpoint_id = ?", endpointID)
	n, err := total(q, p)
	if err != nil {
		return nil, 0, err
	}
	var ds []domain.WebhookDelivery
	return ds, n, q.Order("id DESC").Limit(p.Limit()).Offset(p.Offset()).Find(&ds).Error
}

// RecordWebhookAttempt writes the outcome of one attempt: only the
// columns an attempt owns.
func (s Deliveries) RecordWebhookAttempt(ctx context.Context, id int64, status domain.DeliveryStatus, code int, lastError string, delivered *time.Time, at time.Time) error {
	return s.write(ctx).Model(&domain.WebhookDelivery{}).Where("id = ?", id).Updates(map[string]any{
		"status": status, "attempts": gorm.Expr("attempts + 1"), "response_code": code, "last_error": lastError,
		"delivered_at": delivered, "updated_at": at,
	}).Error
}

// SetDeliveryJobs records which job sends each delivery: jobs[i] sends
// deliveries[i]. One statement per 500.
func (s Deliveries) SetDeliveryJobs(ctx context.Context, deliveries, jobs []int64) error {
	for start := 0; start < len(deliveries); start += 500 {
		end := min(start+500, len(deliveries))
		var b strings.Builder
		args := make([]any, 0, 2*(end-start)+1)
		b.WriteString("CASE id")
		for i := start; i < end; i++ {
			b.WriteString(" WHEN ? THEN CAST(? AS BIGINT)")
			args = append(args, deliveries[i], jobs[i])
		}
		b.WriteString(" END")
		if err := s.write(ctx).Model(&domain.WebhookDelivery{}).Where("id IN ?", deliveries[start:end]).
			Update("job_id", gorm.Expr(b.String(), args...)).Error; err != nil {
			return err
		}
	}
	return nil
}

// WithholdWebhookDelivery marks a delivery not sent, with why.
func (s Deliveries) WithholdWebhookDelivery(ctx context.Context, id int64, why string, at time.Time) error {
	return s.write(ctx).Model(&domain.WebhookDelivery{}).Where("id = ?", id).
		Updates(map[string]any{"status": domain.DeliveryWithheld, "last_error": why, "updated_at": at}).Error
}

// RequeueWebhookDelivery sets a delivery pending again, for a redelivery.
func (s Deliveries) RequeueWebhookDelivery(ctx context.Context, id int64, at time.Time) error {
	return s.write(ctx).Model(&domain.WebhookDelivery{}).Where("id = ?", id).
		Updates(map[string]any{"status": domain.DeliveryPending, "updated_at": at}).Error
}

// Reminder is something that needs attention by now and has not been
// announced yet.
type Reminder struct {
	ID      int64
	DealID  int64
	OwnerID int64 // the deal's
}

// OverdueRequests are open support requests on live deals past their
// needed-by date (before today) not yet announced as overdue.
func (s Deliveries) OverdueRequests(ctx context.Context, today time.Time) ([]Reminder, error) {
	var rs []Reminder
	return rs, s.read(ctx).Table("support_requests").
		Select("support_requests.id, support_requests.deal_id, deals.owner_id").
		Joins("JOIN deals ON deals.id = support_requests.deal_id AND deals.archived_at IS NULL").
		Where("support_requests.status = ? AND support_requests.needed_by < ?", domain.SupportOpen, today).
		Where("NOT EXISTS (SELECT 1 FROM events e WHERE e.entity = ? AND e.entity_id = support_requests.id AND e.action = ?)",
			domain.EntitySupportRequest, domain.ActionOverdue).
		Order("support_requests.id").Limit(500).Scan(&rs).Error
}

// UnsyncedSoon are scheduled meetings starting between now and until with
// DevRel attending and their sync not in place, not yet announced.
func (s Deliveries) UnsyncedSoon(ctx context.Context, now, until time.Time) ([]Reminder, error) {
	var rs []Reminder
	return rs, s.read(ctx).Table("meetings").
		Select("meetings.id, meetings.deal_id, meetings.deal_owner_id AS owner_id").
		Where(liveDeal("meetings")).
		Where("meetings.status = ? AND meetings.starts_at >= ? AND meetings.starts_at < ? AND meetings.sync_state IN ?",
			domain.MeetingScheduled, now, until, []domain.SyncState{domain.SyncUnsynced, domain.SyncStale}).
		Where("NOT EXISTS (SELECT 1 FROM events e WHERE e.entity = ? AND e.entity_id = meetings.id AND e.action = ?)",
			domain.EntityMeeting, domain.ActionSyncDue).
		Order("meetings.starts_at").Limit(500).Scan(&rs).Error
}

// Announced reports whether an event with this action on this entity has
// been written: a reminder is said once.
func (s Deliveries) Announced(ctx context.Context, entity domain.Entity, id int64, action string) (bool, error) {
	var n int64
	err := s.read(ctx).Model(&domain.Event{}).Where("entity = ? AND entity_id = ? AND action = ?", entity, id, action).Limit(1).Count(&n).Error
	return n > 0, err
}
