package store

import (
	"context"
	"time"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
)

// CreateToken inserts t and sets its ID.
func (s People) CreateToken(ctx context.Context, t *domain.APIToken) error {
	return s.write(ctx).Create(t).Error
}

// TokenByHash finds the token whose secret hashes to hash.
func (s People) TokenByHash(ctx context.Context, hash string) (domain.APIToken, error) {
	var t domain.APIToken
	err := s.read(ctx).Where("hash = ?", hash).First(&t).Error
	return t, notFound(err)
}

// TokenByID loads one token.
func (s People) TokenByID(ctx context.Context, id int64) (domain.APIToken, error) {
	return first[domain.APIToken](ctx, s.core, id)
}

// Tokens lists API tokens, newest first, with their users' names: one
// user's (userID) or everyone's (0).
func (s People) Tokens(ctx context.Context, userID int64) ([]read.TokenRow, error) {
	q := s.read(ctx).Table("api_tokens").Select("api_tokens.*, users.name AS user_name").
		Joins("JOIN users ON users.id = api_tokens.user_id").Order("api_tokens.created_at DESC, api_tokens.id DESC")
	if userID != 0 {
		q = q.Where("api_tokens.user_id = ?", userID)
	}
	var ts []read.TokenRow
	return ts, q.Scan(&ts).Error
}

// RevokeToken ends a token at at; it reports false when it had already
// ended.
func (s People) RevokeToken(ctx context.Context, id int64, at time.Time) (bool, error) {
	res := s.write(ctx).Model(&domain.APIToken{}).Where("id = ? AND revoked_at IS NULL", id).Update("revoked_at", at)
	return res.RowsAffected == 1, res.Error
}

// TokenUsed records a token's use at at, unless one since since is
// recorded already: a busy script writes once a minute, not per request.
func (s People) TokenUsed(ctx context.Context, id int64, at, since time.Time) error {
	return s.write(ctx).Model(&domain.APIToken{}).
		Where("id = ? AND (last_used_at IS NULL OR last_used_at < ?)", id, since).Update("last_used_at", at).Error
}
