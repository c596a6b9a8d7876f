package store

import (
	"context"
	"errors"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
	"gorm.io/gorm"
)

// ErrViewNameTaken is returned when the user has a view of that name
// (case ignored) already.
var ErrViewNameTaken = errors.New("view name in use")

// CreateSavedView keeps a named pipeline filter for its user; the unique
// index on (user, name) decides, so two saves at once cannot both land.
func (s Deals) CreateSavedView(ctx context.Context, v *read.SavedView) error {
	err := s.write(ctx).Table("saved_views").Create(v).Error
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return ErrViewNameTaken
	}
	return err
}

// SavedView is one of a user's views; another's is not found.
func (s Deals) SavedView(ctx context.Context, userID, id int64) (read.SavedView, error) {
	var v read.SavedView
	err := s.read(ctx).Table("saved_views").Where("id = ? AND user_id = ?", id, userID).Take(&v).Error
	return v, notFound(err)
}

// UpdateSavedView keeps a view's new name and query; the unique index
// decides a name the user has for another view, and another's view is
// not found.
func (s Deals) UpdateSavedView(ctx context.Context, v read.SavedView) error {
	res := s.write(ctx).Table("saved_views").Where("id = ? AND user_id = ?", v.ID, v.UserID).
		Updates(map[string]any{"name": v.Name, "query": v.Query})
	switch {
	case errors.Is(res.Error, gorm.ErrDuplicatedKey):
		return ErrViewNameTaken
	case res.Error == nil && res.RowsAffected == 0:
		return domain.ErrNotFound
	}
	return res.Error
}

// SavedViews lists a user's views by name.
func (s Deals) SavedViews(ctx context.Context, userID int64) ([]read.SavedView, error) {
	var vs []read.SavedView
	return vs, s.read(ctx).Table("saved_views").Where("user_id = ?", userID).Order("lower(name), id").Find(&vs).Error
}

// DeleteSavedView removes one of a user's views; another's is not found.
func (s Deals) DeleteSavedView(ctx context.Context, userID, id int64) error {
	res := s.write(ctx).Table("saved_views").Where("id = ? AND user_id = ?", id, userID).Delete(&read.SavedView{})
	if res.Error == nil && res.RowsAffected == 0 {
		return domain.ErrNotFound
	}
	return res.Error
}
