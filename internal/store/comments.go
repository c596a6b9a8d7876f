package store

import (
	"context"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
	"gorm.io/gorm"
)

// CreateComment inserts c and sets its ID.
func (s *Store) CreateComment(ctx context.Context, c *domain.Comment) error {
	return s.write(ctx).Create(c).Error
}

func (s *Store) commentRows(ctx context.Context) *gorm.DB {
	return s.read(ctx).Table("comments").Select("comments.*, users.name AS author_name").
		Joins("JOIN users ON users.id = comments.author_id").Order("comments.created_at, comments.id")
}

// CommentsOnOffer lists an offer's conversation, oldest first.
func (s *Store) CommentsOnOffer(ctx context.Context, offerID int64) ([]read.CommentRow, error) {
	var rows []read.CommentRow
	return rows, s.commentRows(ctx).Where("comments.offer_id = ?", offerID).Scan(&rows).Error
}

// CommentsOnNotes lists the comments on a deal's notes, oldest first.
func (s *Store) CommentsOnNotes(ctx context.Context, dealID int64) ([]read.CommentRow, error) {
	var rows []read.CommentRow
	return rows, s.commentRows(ctx).Where("comments.deal_id = ? AND comments.note_id IS NOT NULL", dealID).Scan(&rows).Error
}

// NoteByID loads one internal note.
func (s *Store) NoteByID(ctx context.Context, id int64) (domain.DealNote, error) {
	return first[domain.DealNote](ctx, s, id)
}

// CreateSavedView keeps a named pipeline filter for its user.
func (s *Store) CreateSavedView(ctx context.Context, v *read.SavedView) error {
	return s.write(ctx).Table("saved_views").Create(v).Error
}

// SavedViews lists a user's views by name.
func (s *Store) SavedViews(ctx context.Context, userID int64) ([]read.SavedView, error) {
	var vs []read.SavedView
	return vs, s.read(ctx).Table("saved_views").Where("user_id = ?", userID).Order("lower(name), id").Find(&vs).Error
}

// SavedViewNamed finds a user's view by name, case ignored.
func (s *Store) SavedViewNamed(ctx context.Context, userID int64, name string) (read.SavedView, bool, error) {
	var vs []read.SavedView
	err := s.read(ctx).Table("saved_views").Where("user_id = ? AND lower(name) = lower(?)", userID, name).Limit(1).Find(&vs).Error
	if err != nil || len(vs) == 0 {
		return read.SavedView{}, false, err
	}
	return vs[0], true, nil
}

// DeleteSavedView removes one of a user's views; another's is not found.
func (s *Store) DeleteSavedView(ctx context.Context, userID, id int64) error {
	res := s.write(ctx).Table("saved_views").Where("id = ? AND user_id = ?", id, userID).Delete(&read.SavedView{})
	if res.Error == nil && res.RowsAffected == 0 {
		return domain.ErrNotFound
	}
	return res.Error
}
