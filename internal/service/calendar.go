package service

import (
	"context"
	"time"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
)

// CalendarFeed is a user's meetings for their calendar: the last 30 days
// and everything ahead. The token is the credential; a deactivated user's
// feed is gone.
func (s *Meetings) CalendarFeed(ctx context.Context, token string) (CalendarFeed, error) {
	var f CalendarFeed
	u, err := s.store.People().UserByCalendarToken(ctx, token)
	if err != nil {
		return f, err
	}
	if !u.Active {
		return f, domain.ErrNotFound
	}
	f.User = u
	if f.Meetings, err = s.store.Meetings().CalendarMeetings(ctx, u.ID, s.now().UTC().Add(-30*24*time.Hour), 1000); err != nil {
		return f, err
	}
	ids := make([]int64, len(f.Meetings))
	for i, m := range f.Meetings {
		ids[i] = m.ID
	}
	f.People, err = s.store.Meetings().CalendarPeople(ctx, ids)
	return f, err
}

// CalendarFeed is what a user's calendar subscription shows: their
// meetings with who organises and attends each.
type CalendarFeed struct {
	User     domain.User
	Meetings []read.MeetingRow
	People   map[int64][]read.CalendarPerson
}
