package service

import (
	"context"
	"fmt"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
)

// Notifications lists one page of a user's inbox. News its reader may no
// longer see (an offer held in reserve since, a deal team they left) says
// only that something changed, and leads to the deal.
func (s *Desk) Notifications(ctx context.Context, u domain.User, p read.Page) ([]domain.Notification, int64, error) {
	ns, total, err := s.store.Events().Notifications(ctx, u.ID, p)
	if err != nil || len(ns) == 0 {
		return ns, total, err
	}
	ids := make([]int64, len(ns))
	for i, n := range ns {
		ids[i] = n.EventID
	}
	reports, err := s.store.Events().Reports(ctx, ids)
	if err != nil {
		return nil, 0, err
	}
	for i, n := range ns {
		if r := reports[n.EventID]; !r.SeenBy(u) {
			ns[i].Message, ns[i].Link = r.UnseenNews(), "/notifications"
			if r.Event.DealID != nil {
				ns[i].Link = fmt.Sprint("/deals/", *r.Event.DealID)
			}
		}
	}
	return ns, total, nil
}

// UnreadCount counts a user's unread notifications.
func (s *Desk) UnreadCount(ctx context.Context, u domain.User) (int64, error) {
	return s.store.Events().UnreadNotifications(ctx, u.ID)
}

// MarkRead marks one notification read, or all of them when id is 0.
// Reading one's own inbox is not an audited change.
func (s *Desk) MarkRead(ctx context.Context, u domain.User, id int64) error {
	n, err := s.store.Events().MarkRead(ctx, u.ID, id, s.now().UTC())
	if err == nil && id != 0 && n == 0 {
		return domain.ErrNotFound
	}
	return err
}
