package service

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/store"
)

// checkAttendees makes sure customer attendees belong to the deal's
// account and internal ones are active users.
func checkAttendees(ctx context.Context, tx *store.Store, deal domain.Deal, plan domain.MeetingPlan) error {
	contacts, err := tx.Accounts().ContactsOf(ctx, deal.AccountID)
	if err != nil {
		return err
	}
	errs := domain.ValidationErrors{}
	for _, id := range plan.ContactIDs {
		if !slices.ContainsFunc(contacts, func(c domain.Contact) bool { return c.ID == id }) {
			errs.Add("contact_ids", "Choose customer attendees from this account's contacts.")
		}
	}
	users, err := tx.People().UsersByID(ctx, plan.AttendeeIDs)
	if err != nil {
		return err
	}
	for _, id := range plan.AttendeeIDs {
		if u, ok := users[id]; !ok || !u.Active {
			errs.Add("internal_attendee_ids", "Choose internal attendees from the active users.")
		}
	}
	return errs.Err()
}

// Meetings are the use cases of meetings: scheduling and moving them,
// their sync (syncs.go), the questions raised in them (questions.go), the
// brief (briefs.go), what their pages read (queries_meetings.go) and the
// calendar feed (calendar.go).
type Meetings struct{ *core }

// ScheduleMeeting puts a meeting on a deal (or logs one already held).
// Times are read in loc, the viewer's time zone, and stored in UTC.
func (s *Meetings) ScheduleMeeting(ctx context.Context, actor domain.User, dealID int64, in domain.MeetingInput, loc *time.Location) (domain.Meeting, error) {
	var m domain.Meeting
	err := s.write(ctx, &actor, func(tx *store.Store) ([]Change, error) {
		deal, err := tx.Deals().DealByID(ctx, dealID)
		if err != nil {
			return nil, err
		}
		if _, err := dealAllows(ctx, tx, actor, dealID, domain.ActionManageMeetings); err != nil {
			return nil, err
		}
		now := s.now().UTC()
		plan, err := in.Plan(domain.Meeting{DealID: dealID}, loc, now)
		if err != nil {
			return nil, err
		}
		if err := checkAttendees(ctx, tx, deal, plan); err != nil {
			return nil, err
		}
		m = plan.Meeting
		m.CreatedAt, m.UpdatedAt = now, now
		if err := tx.Meetings().CreateMeeting(ctx, &m, plan.ContactIDs, plan.AttendeeIDs); err != nil {
			return nil, err
		}
		c := created(domain.EntityMeeting, m.ID, &dealID, m.Snapshot())
		c.Notify = plan.AttendeeIDs
		c.Text = fmt.Sprintf("%s added you to %q (%s)", actor.Name, m.Title, deal.Title)
		c.Link = fmt.Sprintf("/meetings/%d", m.ID)
		return []Change{c}, nil
	})
	return m, err
}

// UpdateMeeting edits a meeting's details and attendees.
func (s *Meetings) UpdateMeeting(ctx context.Context, actor domain.User, id, version int64, in domain.MeetingInput, loc *time.Location) (domain.Meeting, error) {
	var m domain.Meeting
	err := s.write(ctx, &actor, func(tx *store.Store) ([]Change, error) {
		var err error
		if m, err = tx.Meetings().MeetingByID(ctx, id); err != nil {
			return nil, err
		}
		deal, err := tx.Deals().DealByID(ctx, m.DealID)
		if err != nil {
			return nil, err
		}
		if _, err := dealAllows(ctx, tx, actor, m.DealID, domain.ActionManageMeetings); err != nil {
			return nil, err
		}
		before := m.Snapshot()
		plan, err := in.Plan(m, loc, s.now().UTC())
		if err != nil {
			return nil, err
		}
		if err := checkAttendees(ctx, tx, deal, plan); err != nil {
			return nil, err
		}
		m = plan.Meeting
		m.UpdatedAt = s.now().UTC()
		if ok, err := tx.Meetings().SaveMeeting(ctx, &m, version, plan.ContactIDs, plan.AttendeeIDs); err != nil || !ok {
			return nil, refuseStale(ctx, tx, err, domain.EntityMeeting, id, version)
		}
		// Its attendees are not on the timeline, yet they decide its sync
		// state and the attendances' copies of its start.
		return append(changed(domain.EntityMeeting, m.ID, &m.DealID, before, m.Snapshot()), touched(m.DealID)), nil
	})
	return m, err
}

// MarkMeetingHeld records that a meeting took place, with its outcome.
// Before its start it is marked held only when early says the owner
// confirmed it.
func (s *Meetings) MarkMeetingHeld(ctx context.Context, actor domain.User, id int64, outcome string, early bool) (domain.Meeting, error) {
	now := s.now()
	return s.moveMeeting(ctx, actor, id, func(m *domain.Meeting) error { return m.MarkHeldAt(outcome, now, early) })
}

// CancelMeeting calls a meeting off.
func (s *Meetings) CancelMeeting(ctx context.Context, actor domain.User, id int64) (domain.Meeting, error) {
	return s.moveMeeting(ctx, actor, id, func(m *domain.Meeting) error { return m.Cancel() })
}

// ReopenMeeting puts a held or cancelled meeting back on the schedule.
func (s *Meetings) ReopenMeeting(ctx context.Context, actor domain.User, id int64) (domain.Meeting, error) {
	return s.moveMeeting(ctx, actor, id, func(m *domain.Meeting) error { return m.Reopen() })
}

func (s *Meetings) moveMeeting(ctx context.Context, actor domain.User, id int64, move func(*domain.Meeting) error) (domain.Meeting, error) {
	var m domain.Meeting
	err := s.write(ctx, &actor, func(tx *store.Store) ([]Change, error) {
		var err error
		if m, err = tx.Meetings().MeetingByID(ctx, id); err != nil {
			return nil, err
		}
		if _, err := dealAllows(ctx, tx, actor, m.DealID, domain.ActionManageMeetings); err != nil {
			return nil, err
		}
		before, from := m.Snapshot(), m.Status
		if err := move(&m); err != nil {
			return nil, err
		}
		m.UpdatedAt = s.now().UTC()
		if ok, err := tx.Meetings().SetMeetingStatus(ctx, &m, from); err != nil || !ok {
			if err == nil {
				err = domain.Conflictf("Someone marked this meeting held or cancelled a moment ago. Reload it to see where it stands.")
			}
			return nil, err
		}
		if m.Status != domain.MeetingScheduled {
			if err := tx.Events().SettleSyncNotifications(ctx, m.ID, m.UpdatedAt); err != nil {
				return nil, err
			}
		}
		c := changed(domain.EntityMeeting, m.ID, &m.DealID, before, m.Snapshot())
		for i := range c {
			c[i].Event.Action = domain.MeetingAction(m.Status)
		}
		return c, nil
	})
	return m, err
}
