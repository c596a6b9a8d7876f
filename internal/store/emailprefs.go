package store

import (
	"context"

	"github.com/presale/presale/internal/domain"
	"gorm.io/gorm"
)

// SetEmailPrefs writes a person's e-mail choices, and token as their
// unsubscribe token unless they have one: links already sent keep working.
func (s People) SetEmailPrefs(ctx context.Context, u domain.User, token string) error {
	return s.write(ctx).Model(&domain.User{}).Where("id = ?", u.ID).
		Updates(map[string]any{"email_kinds": u.EmailKinds, "email_digest": u.EmailDigest,
			"email_token": gorm.Expr("CASE WHEN email_token = '' THEN ? ELSE email_token END", token)}).Error
}

// SetEmailKinds replaces a person's kinds of e-mail if they are still
// from; false when someone changed them meanwhile (read again, retry).
func (s People) SetEmailKinds(ctx context.Context, userID int64, from, to string) (bool, error) {
	res := s.write(ctx).Model(&domain.User{}).Where("id = ? AND email_kinds = ?", userID, from).Update("email_kinds", to)
	return res.RowsAffected == 1, res.Error
}

// StopDigest turns a person's daily digest off.
func (s People) StopDigest(ctx context.Context, userID int64) error {
	return s.write(ctx).Model(&domain.User{}).Where("id = ?", userID).Update("email_digest", false).Error
}

// SetEmailToken replaces a person's unsubscribe token.
func (s People) SetEmailToken(ctx context.Context, userID int64, token string) error {
	return s.write(ctx).Model(&domain.User{}).Where("id = ?", userID).Update("email_token", token).Error
}

// UserByEmailToken finds whose unsubscribe links carry token.
func (s People) UserByEmailToken(ctx context.Context, token string) (domain.User, error) {
	var u domain.User
	err := s.read(ctx).Where("email_token = ? AND email_token <> ''", token).First(&u).Error
	return u, notFound(err)
}
