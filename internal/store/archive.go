package store

import (
	"context"
	"time"

	"github.com/presale/presale/internal/domain"
	"gorm.io/gorm"
)

// archivable are the tables whose rows can be archived, by entity.
var archivable = map[domain.Entity]string{domain.EntityDeal: "deals", domain.EntityAccount: "accounts", domain.EntityContact: "contacts"}

// SetArchived archives or restores one deal, account or contact at now,
// if it is not so already: the state is checked in the UPDATE,
// so of two people archiving at once only one does. It reports false when
// the thing was already in that state, ErrNotFound when there is none.
// Only the column the action owns is written, and the version moves on.
func (s *Store) SetArchived(ctx context.Context, entity domain.Entity, id int64, archive bool, now time.Time) (bool, error) {
	table := archivable[entity]
	q := s.write(ctx).Table(table).Where("id = ?", id)
	at := &now
	if archive {
		q = q.Where("archived_at IS NULL")
	} else {
		q, at = q.Where("archived_at IS NOT NULL"), nil
	}
	// updated_at dates the change for the coverage trend's rollup.
	res := q.Updates(map[string]any{"archived_at": at, "updated_at": now, "version": gorm.Expr("version + 1")})
	if res.Error != nil || res.RowsAffected == 1 {
		return res.RowsAffected == 1, res.Error
	}
	var n int64
	if err := s.write(ctx).Table(table).Where("id = ?", id).Count(&n).Error; err != nil {
		return false, err
	}
	if n == 0 {
		return false, domain.ErrNotFound
	}
	return false, nil
}
