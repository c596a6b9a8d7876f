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
	lines, total, err := s.Inbox(ctx, u, p)
	ns := make([]domain.Notification, len(lines))
	for i, l := range lines {
		ns[i] = l.Notification
	}
	return ns, total, err
}

// Inbox is Notifications as the inbox page draws it: each line names its
// deal and quotes what was written, decided now by the one visibility
// rule (domain.Report.SeenBy): a note, a reserved idea, a sync its reader
// may not see is neither quoted nor told.
func (s *Desk) Inbox(ctx context.Context, u domain.User, p read.Page) ([]read.InboxLine, int64, error) {
	ns, total, err := s.store.Events().Notifications(ctx, u.ID, p)
	if err != nil || len(ns) == 0 {
		return nil, total, err
	}
	ids := make([]int64, len(ns))
	for i, n := range ns {
		ids[i] = n.EventID
	}
	reports, err := s.store.Events().Reports(ctx, ids)
	if err != nil {
		return nil, 0, err
	}
	lines := make([]read.InboxLine, len(ns))
	for i, n := range ns {
		r := reports[n.EventID]
		l := read.InboxLine{Notification: n, DealTitle: r.DealTitle}
		if r.Event.DealID != nil {
			l.DealID = *r.Event.DealID
		}
		if r.SeenBy(u) {
			l.Quote = r.Quote()
		} else {
			l.Message, l.Link = r.UnseenNews(), "/notifications"
			if l.DealID != 0 {
				l.Link = fmt.Sprint("/deals/", l.DealID)
			}
		}
		lines[i] = l
	}
	return lines, total, nil
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
