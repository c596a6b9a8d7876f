package store

import (
	"context"

	"github.com/presale/presale/internal/domain"
)

// AppendEvent writes one audit event and sets its ID.
func (s *Store) AppendEvent(ctx context.Context, e *domain.Event) error {
	return s.write(ctx).Create(e).Error
}

// AppendNotifications writes inbox entries.
func (s *Store) AppendNotifications(ctx context.Context, ns []domain.Notification) error {
	if len(ns) == 0 {
		return nil
	}
	return s.write(ctx).Create(&ns).Error
}

// DealTimeline lists a deal's events, oldest first. Team-only events (the
// reserve) are left out unless withTeamOnly.
func (s *Store) DealTimeline(ctx context.Context, dealID int64, withTeamOnly bool, limit int) ([]domain.Event, error) {
	q := s.read(ctx).Where("deal_id = ?", dealID).Order("at, id").Limit(limit)
	if !withTeamOnly {
		q = q.Where("team_only = ?", false)
	}
	var es []domain.Event
	return es, q.Find(&es).Error
}

// EventsFor lists the events of one entity, oldest first.
func (s *Store) EventsFor(ctx context.Context, entity string, id int64) ([]domain.Event, error) {
	var es []domain.Event
	return es, s.read(ctx).Where("entity = ? AND entity_id = ?", entity, id).Order("at, id").Find(&es).Error
}

// UnreadNotifications counts a user's unread inbox entries.
func (s *Store) UnreadNotifications(ctx context.Context, userID int64) (int64, error) {
	var n int64
	return n, s.read(ctx).Model(&domain.Notification{}).Where("user_id = ? AND read_at IS NULL", userID).Count(&n).Error
}
