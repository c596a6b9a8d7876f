package store

import (
	"context"
	"errors"
	"time"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// SyncOf loads a meeting's sync; found is false when none was recorded.
func (s Meetings) SyncOf(ctx context.Context, meetingID int64) (domain.Sync, bool, error) {
	var sy domain.Sync
	err := s.read(ctx).Where("meeting_id = ?", meetingID).First(&sy).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return domain.Sync{MeetingID: meetingID}, false, nil
	}
	return sy, err == nil, err
}

// LockSync returns a meeting's sync, creating its row first if none was
// recorded, and holds the row for the rest of the transaction. Two
// instances confirming at once then take turns instead of both inserting
// or both overwriting. SQLite's immediate transactions already take turns.
func (s Meetings) LockSync(ctx context.Context, meetingID int64, now time.Time) (domain.Sync, error) {
	w := s.write(ctx)
	err := w.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "meeting_id"}}, DoNothing: true}).
		Create(&domain.Sync{MeetingID: meetingID, Version: 1, CreatedAt: now, UpdatedAt: now}).Error
	if err != nil {
		return domain.Sync{}, err
	}
	q := w.Where("meeting_id = ?", meetingID)
	if s.postgres() {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	var sy domain.Sync
	return sy, q.First(&sy).Error
}

// SaveSyncNotes writes the sync's notes made on version expected and
// withdraws both confirmations; false means someone changed it first.
func (s Meetings) SaveSyncNotes(ctx context.Context, sy *domain.Sync, expected int64) (bool, error) {
	ok, err := s.updateVersioned(ctx, "syncs", sy.ID, expected, map[string]any{
		"notes": sy.Notes, "may_raise": sy.MayRaise, "avoid": sy.Avoid,
		"sales_confirmed_at": sy.SalesConfirmedAt, "sales_confirmed_by": sy.SalesConfirmedBy,
		"dev_rel_confirmed_at": sy.DevRelConfirmedAt, "dev_rel_confirmed_by": sy.DevRelConfirmedBy, "updated_at": sy.UpdatedAt})
	if ok {
		sy.Version = expected + 1
	}
	return ok, err
}

// ConfirmSyncSide writes one side's confirmation only, so the other
// side's is never overwritten.
func (s Meetings) ConfirmSyncSide(ctx context.Context, sy *domain.Sync, sales bool) error {
	cols := map[string]any{"dev_rel_confirmed_at": sy.DevRelConfirmedAt, "dev_rel_confirmed_by": sy.DevRelConfirmedBy, "updated_at": sy.UpdatedAt}
	if sales {
		cols = map[string]any{"sales_confirmed_at": sy.SalesConfirmedAt, "sales_confirmed_by": sy.SalesConfirmedBy, "updated_at": sy.UpdatedAt}
	}
	err := s.updateOwned(ctx, "syncs", sy.ID, cols)
	if err == nil {
		sy.Version++
	}
	return err
}

// SyncChangesSince lists the deal's offer, question and promise events
// after since, oldest first: what made a sync stale.
func (s Meetings) SyncChangesSince(ctx context.Context, dealID int64, since time.Time, withTeamOnly bool) ([]read.TimelineEntry, error) {
	q := s.timeline(ctx).Where("events.deal_id = ? AND events.at > ? AND events.entity IN ?", dealID, since, domain.SyncEntities)
	if !withTeamOnly {
		q = withoutPrivateOffers(q.Where("NOT events.team_only"))
	}
	var es []read.TimelineEntry
	return es, q.Order("events.at, events.id").Scan(&es).Error
}
