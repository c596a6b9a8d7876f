package store

import (
	"context"
	"fmt"
	"time"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
	"gorm.io/gorm"
)

// AppendEvent writes one audit event and sets its ID.
func (s Events) AppendEvent(ctx context.Context, e *domain.Event) error {
	return s.write(ctx).Create(e).Error
}

// AppendNotifications writes inbox entries.
func (s Events) AppendNotifications(ctx context.Context, ns []domain.Notification) error {
	if len(ns) == 0 {
		return nil
	}
	return s.write(ctx).Create(&ns).Error
}

func (s *core) timeline(ctx context.Context) *gorm.DB {
	return s.read(ctx).Table("events").Select("events.*, users.name AS actor_name").
		Joins("LEFT JOIN users ON users.id = events.actor_id")
}

// DealTimeline lists a deal's events in the order they happened, the
// latest limit of them. Team-only events (the reserve) are left out unless
// withTeamOnly.
func (s Events) DealTimeline(ctx context.Context, dealID int64, withTeamOnly bool, limit int) ([]read.TimelineEntry, error) {
	q := s.timeline(ctx).Where("events.deal_id = ?", dealID)
	if !withTeamOnly {
		q = withoutPrivateOffers(q.Where("NOT events.team_only"))
	}
	var es []read.TimelineEntry
	return es, q.Order("events.at DESC, events.id DESC").Limit(limit).Scan(&es).Error
}

// EventsFor lists the events of one entity, oldest first.
func (s Events) EventsFor(ctx context.Context, entity domain.Entity, id int64) ([]domain.Event, error) {
	var es []domain.Event
	return es, s.read(ctx).Where("entity = ? AND entity_id = ?", entity, id).Order("at, id").Find(&es).Error
}

// UnreadNotifications counts a user's unread inbox entries.
func (s Events) UnreadNotifications(ctx context.Context, userID int64) (int64, error) {
	var n int64
	return n, s.read(ctx).Model(&domain.Notification{}).Where("user_id = ? AND read_at IS NULL", userID).Count(&n).Error
}

// Notifications lists a user's inbox, unread first, newest first.
func (s Events) Notifications(ctx context.Context, userID int64, p read.Page) ([]domain.Notification, int64, error) {
	q := s.read(ctx).Model(&domain.Notification{}).Where("user_id = ?", userID)
	var total int64
	if err := q.Session(&gorm.Session{}).Count(&total).Error; err != nil {
		return nil, 0, err
	}
	var ns []domain.Notification
	err := q.Order("CASE WHEN read_at IS NULL THEN 0 ELSE 1 END, created_at DESC, id DESC").
		Limit(p.Limit()).Offset(p.Offset()).Find(&ns).Error
	return ns, total, err
}

// MarkRead marks one of a user's notifications read (all when id is 0).
func (s Events) MarkRead(ctx context.Context, userID, id int64, at time.Time) (int64, error) {
	q := s.write(ctx).Model(&domain.Notification{}).Where("user_id = ? AND read_at IS NULL", userID)
	if id != 0 {
		q = q.Where("id = ?", id)
	}
	res := q.Update("read_at", at)
	return res.RowsAffected, res.Error
}

// SettleSyncNotifications marks read every unread notification asking
// for a meeting's sync: once the meeting is held or cancelled there is
// nothing left to confirm.
func (s Events) SettleSyncNotifications(ctx context.Context, meetingID int64, at time.Time) error {
	return s.write(ctx).Model(&domain.Notification{}).Where("read_at IS NULL AND link = ?", fmt.Sprintf("/meetings/%d#sync", meetingID)).
		Update("read_at", at).Error
}

// EntityTimeline lists one entity's events with who did them, newest first.
func (s Events) EntityTimeline(ctx context.Context, entity domain.Entity, id int64) ([]read.TimelineEntry, error) {
	var es []read.TimelineEntry
	return es, s.timeline(ctx).Where("events.entity = ? AND events.entity_id = ?", entity, id).Order("events.at DESC, events.id DESC").Scan(&es).Error
}
