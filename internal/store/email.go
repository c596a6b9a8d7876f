package store

import (
	"context"
	"time"

	"github.com/presale/presale/internal/domain"
)

// Notification loads one notification.
func (s Deliveries) Notification(ctx context.Context, id int64) (domain.Notification, error) {
	return first[domain.Notification](ctx, s.core, id)
}

// MarkEmailed records when a notification's e-mail was accepted; the
// first time only.
func (s Deliveries) MarkEmailed(ctx context.Context, id int64, at time.Time) error {
	return s.write(ctx).Model(&domain.Notification{}).Where("id = ? AND emailed_at IS NULL", id).Update("emailed_at", at).Error
}

// DigestReaders are the active people who chose the daily digest and
// have not had today's (in their zone) queued; the caller checks the hour.
func (s Deliveries) DigestReaders(ctx context.Context) ([]domain.User, error) {
	var us []domain.User
	return us, s.read(ctx).Where("active AND email_digest").Order("id").Find(&us).Error
}

// ClaimDigest marks the digest of a person's local day as queued; false
// when another instance or an earlier sweep did.
func (s Deliveries) ClaimDigest(ctx context.Context, userID int64, day string) (bool, error) {
	res := s.write(ctx).Model(&domain.User{}).Where("id = ? AND digest_sent_on <> ?", userID, day).Update("digest_sent_on", day)
	return res.RowsAffected == 1, res.Error
}
