package store

import (
	"context"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
	"gorm.io/gorm"
)

// CreateComment inserts c and sets its ID.
func (s Deals) CreateComment(ctx context.Context, c *domain.Comment) error {
	c.Version = 1
	return s.write(ctx).Create(c).Error
}

// CommentByID loads one comment.
func (s Deals) CommentByID(ctx context.Context, id int64) (domain.Comment, error) {
	return first[domain.Comment](ctx, s.core, id)
}

// EditComment writes a comment's new words if it is still at version
// expected; false when someone saved first.
func (s Deals) EditComment(ctx context.Context, c *domain.Comment, expected int64) (bool, error) {
	ok, err := s.updateVersioned(ctx, "comments", c.ID, expected, map[string]any{"body": c.Body, "edited_at": c.EditedAt})
	if ok {
		c.Version = expected + 1
	}
	return ok, err
}

func (s Deals) commentRows(ctx context.Context) *gorm.DB {
	return s.read(ctx).Table("comments").Select("comments.*, users.name AS author_name").
		Joins("JOIN users ON users.id = comments.author_id").Order("comments.created_at, comments.id")
}

// CommentsOnOffer lists an offer's conversation, oldest first.
func (s Deals) CommentsOnOffer(ctx context.Context, offerID int64) ([]read.CommentRow, error) {
	var rows []read.CommentRow
	return rows, s.commentRows(ctx).Where("comments.offer_id = ?", offerID).Scan(&rows).Error
}

// CommentsOnNotes lists the comments on a deal's notes, oldest first.
func (s Deals) CommentsOnNotes(ctx context.Context, dealID int64) ([]read.CommentRow, error) {
	var rows []read.CommentRow
	return rows, s.commentRows(ctx).Where("comments.deal_id = ? AND comments.note_id IS NOT NULL", dealID).Scan(&rows).Error
}

// NoteByID loads one internal note.
func (s Deals) NoteByID(ctx context.Context, id int64) (domain.DealNote, error) {
	return first[domain.DealNote](ctx, s.core, id)
}
