package store

import (
	"context"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
	"gorm.io/gorm"
)

// CreateComment inserts c and sets its ID.
func (s Deals) CreateComment(ctx context.Context, c *domain.Comment) error {
	return s.write(ctx).Create(c).Error
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
