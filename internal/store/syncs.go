package store

import (
	"context"
	"errors"
	"time"

	"github.com/presale/presale/internal/domain"
	"gorm.io/gorm"
)

// SyncOf loads a meeting's sync; found is false when none was recorded.
func (s *Store) SyncOf(ctx context.Context, meetingID int64) (domain.Sync, bool, error) {
	var sy domain.Sync
	err := s.read(ctx).Where("meeting_id = ?", meetingID).First(&sy).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return domain.Sync{MeetingID: meetingID}, false, nil
	}
	return sy, err == nil, err
}

// SaveSync inserts or updates a meeting's sync.
func (s *Store) SaveSync(ctx context.Context, sy *domain.Sync) error {
	if sy.ID == 0 {
		return s.write(ctx).Create(sy).Error
	}
	return s.write(ctx).Select("*").Updates(sy).Error
}

// SyncChangesSince lists the deal's offer, question and promise events
// after since, oldest first: what made a sync stale.
func (s *Store) SyncChangesSince(ctx context.Context, dealID int64, since time.Time, withTeamOnly bool) ([]TimelineEntry, error) {
	q := s.timeline(ctx).Where("events.deal_id = ? AND events.at > ? AND events.entity IN ?", dealID, since, domain.SyncEntities)
	if !withTeamOnly {
		q = withoutPrivateOffers(q.Where("NOT events.team_only"))
	}
	var es []TimelineEntry
	return es, q.Order("events.at, events.id").Scan(&es).Error
}
