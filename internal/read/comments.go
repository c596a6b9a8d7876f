package read

import "github.com/presale/presale/internal/domain"

// CommentRow is a comment with its author's name.
type CommentRow struct {
	domain.Comment
	AuthorName string
}
