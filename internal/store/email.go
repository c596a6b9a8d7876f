package store

import (
	"context"
	"time"

	"github.com/presale/presale/internal/domain"
	"gorm.io/gorm"
)

// SetEmailPrefs writes a person's e-mail choices, and token as their
// unsubscribe token unless they have one: links already sent keep working.
func (s *Store) SetEmailPrefs(ctx context.Context, u domain.User, token string) error {
	return s.write(ctx).Model(&domain.User{}).Where("id = ?", u.ID).
		Updates(map[string]any{"email_kinds": u.EmailKinds, "email_digest": u.EmailDigest,
			"email_token": gorm.Expr("CASE WHEN email_token = '' THEN ? ELSE email_token END", token)}).Error
}

// SetEmailKinds replaces a person's kinds of e-mail if they are still
// from; false when someone changed them meanwhile (read again, retry).
func (s *Store) SetEmailKinds(ctx context.Context, userID int64, from, to string) (bool, error) {
	res := s.write(ctx).Model(&domain.User{}).Where("id = ? AND email_kinds = ?", userID, from).Update("email_kinds", to)
	return res.RowsAffected == 1, res.Error
}

// StopDigest turns a person's daily digest off.
func (s *Store) StopDigest(ctx context.Context, userID int64) error {
	return s.write(ctx).Model(&domain.User{}).Where("id = ?", userID).Update("email_digest", false).Error
}

// SetEmailToken replaces a person's unsubscribe token.
func (s *Store) SetEmailToken(ctx context.Context, userID int64, token string) error {
	return s.write(ctx).Model(&domain.User{}).Where("id = ?", userID).Update("email_token", token).Error
}

// UserByEmailToken finds whose unsubscribe links carry token.
func (s *Store) UserByEmailToken(ctx context.Context, token string) (domain.User, error) {
	var u domain.User
	err := s.read(ctx).Where("email_token = ? AND email_token <> ''", token).First(&u).Error
	return u, notFound(err)
}

// Notification loads one notification.
func (s *Store) Notification(ctx context.Context, id int64) (domain.Notification, error) {
	return first[domain.Notification](ctx, s, id)
}

// MarkEmailed records when a notification's e-mail was accepted; the
// first time only.
func (s *Store) MarkEmailed(ctx context.Context, id int64, at time.Time) error {
	return s.write(ctx).Model(&domain.Notification{}).Where("id = ? AND emailed_at IS NULL", id).Update("emailed_at", at).Error
}

// DigestReaders are the active people who chose the daily digest and
// have not had today's (in their zone) queued; the caller checks the hour.
func (s *Store) DigestReaders(ctx context.Context) ([]domain.User, error) {
	var us []domain.User
	return us, s.read(ctx).Where("active AND email_digest").Order("id").Find(&us).Error
}

// ClaimDigest marks the digest of a person's local day as queued; false
// when another instance or an earlier sweep did.
func (s *Store) ClaimDigest(ctx context.Context, userID int64, day string) (bool, error) {
	res := s.write(ctx).Model(&domain.User{}).Where("id = ? AND digest_sent_on <> ?", userID, day).Update("digest_sent_on", day)
	return res.RowsAffected == 1, res.Error
}
