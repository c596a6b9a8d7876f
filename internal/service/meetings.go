package service

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/store"
)

// dealAllows loads a deal's team and asks the policy whether the actor
// may take action on the deal.
func (s *Service) dealAllows(ctx context.Context, tx *store.Store, actor domain.User, dealID int64, action domain.Action) (domain.DealTeam, error) {
	team, _, err := tx.DealTeam(ctx, dealID)
	if err != nil {
		return team, err
	}
	return team, domain.Authorize(actor, action, team)
}

// checkAttendees makes sure customer attendees belong to the deal's
// account and internal ones are active users.
func (s *Service) checkAttendees(ctx context.Context, tx *store.Store, deal domain.Deal, plan domain.MeetingPlan) error {
	contacts, err := tx.ContactsOf(ctx, deal.AccountID)
	if err != nil {
		return err
	}
	errs := domain.ValidationErrors{}
	for _, id := range plan.ContactIDs {
		if !slices.ContainsFunc(contacts, func(c domain.Contact) bool { return c.ID == id }) {
			errs.Add("contact_ids", "Choose customer attendees from this account's contacts.")
		}
	}
	users, err := tx.UsersByID(ctx, plan.AttendeeIDs)
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

// ScheduleMeeting puts a meeting on a deal (or logs one already held).
// Times are read in loc, the viewer's time zone, and stored in UTC.
func (s *Service) ScheduleMeeting(ctx context.Context, actor domain.User, dealID int64, in domain.MeetingInput, loc *time.Location) (domain.Meeting, error) {
	var m domain.Meeting
	err := s.write(ctx, &actor, func(tx *store.Store) ([]Change, error) {
		deal, err := tx.DealByID(ctx, dealID)
		if err != nil {
			return nil, err
		}
		if _, err := s.dealAllows(ctx, tx, actor, dealID, domain.ActionManageMeetings); err != nil {
			return nil, err
		}
		now := s.now().UTC()
		plan, err := in.Plan(domain.Meeting{DealID: dealID}, loc, now)
		if err != nil {
			return nil, err
		}
		if err := s.checkAttendees(ctx, tx, deal, plan); err != nil {
			return nil, err
		}
		m = plan.Meeting
		m.CreatedAt, m.UpdatedAt = now, now
		if err := tx.CreateMeeting(ctx, &m, plan.ContactIDs, plan.AttendeeIDs); err != nil {
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
func (s *Service) UpdateMeeting(ctx context.Context, actor domain.User, id, version int64, in domain.MeetingInput, loc *time.Location) (domain.Meeting, error) {
	var m domain.Meeting
	err := s.write(ctx, &actor, func(tx *store.Store) ([]Change, error) {
		var err error
		if m, err = tx.MeetingByID(ctx, id); err != nil {
			return nil, err
		}
		deal, err := tx.DealByID(ctx, m.DealID)
		if err != nil {
			return nil, err
		}
		if _, err := s.dealAllows(ctx, tx, actor, m.DealID, domain.ActionManageMeetings); err != nil {
			return nil, err
		}
		before := m.Snapshot()
		plan, err := in.Plan(m, loc, s.now().UTC())
		if err != nil {
			return nil, err
		}
		if err := s.checkAttendees(ctx, tx, deal, plan); err != nil {
			return nil, err
		}
		m = plan.Meeting
		m.UpdatedAt = s.now().UTC()
		if ok, err := tx.SaveMeeting(ctx, &m, version, plan.ContactIDs, plan.AttendeeIDs); err != nil || !ok {
			return nil, s.refuseStale(ctx, tx, err, domain.EntityMeeting, id, version)
		}
		return changed(domain.EntityMeeting, m.ID, &m.DealID, before, m.Snapshot()), nil
	})
	return m, err
}

// MarkMeetingHeld records that a meeting took place, with its outcome.
// Before its start it is marked held only when early says the owner
// confirmed it.
func (s *Service) MarkMeetingHeld(ctx context.Context, actor domain.User, id int64, outcome string, early bool) (domain.Meeting, error) {
	now := s.now()
	return s.moveMeeting(ctx, actor, id, func(m *domain.Meeting) error { return m.MarkHeldAt(outcome, now, early) })
}

// CancelMeeting calls a meeting off.
func (s *Service) CancelMeeting(ctx context.Context, actor domain.User, id int64) (domain.Meeting, error) {
	return s.moveMeeting(ctx, actor, id, func(m *domain.Meeting) error { return m.Cancel() })
}

// ReopenMeeting puts a held or cancelled meeting back on the schedule.
func (s *Service) ReopenMeeting(ctx context.Context, actor domain.User, id int64) (domain.Meeting, error) {
	return s.moveMeeting(ctx, actor, id, func(m *domain.Meeting) error { return m.Reopen() })
}

func (s *Service) moveMeeting(ctx context.Context, actor domain.User, id int64, move func(*domain.Meeting) error) (domain.Meeting, error) {
	var m domain.Meeting
	err := s.write(ctx, &actor, func(tx *store.Store) ([]Change, error) {
		var err error
		if m, err = tx.MeetingByID(ctx, id); err != nil {
			return nil, err
		}
		if _, err := s.dealAllows(ctx, tx, actor, m.DealID, domain.ActionManageMeetings); err != nil {
			return nil, err
		}
		before, from := m.Snapshot(), m.Status
		if err := move(&m); err != nil {
			return nil, err
		}
		m.UpdatedAt = s.now().UTC()
		if ok, err := tx.SetMeetingStatus(ctx, &m, from); err != nil || !ok {
			if err == nil {
				err = domain.Conflictf("Someone marked this meeting held or cancelled a moment ago. Reload it to see where it stands.")
			}
			return nil, err
		}
		if m.Status != domain.MeetingScheduled {
			if err := tx.SettleSyncNotifications(ctx, m.ID, m.UpdatedAt); err != nil {
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

func questionSnapshot(q domain.Question, raisedBy string) domain.Snapshot {
	return domain.Snapshot{{Field: "category", New: string(q.Category)}, {Field: "question", New: q.Text},
		{Field: "raised_by", New: raisedBy}, {Field: "status", New: string(q.Status)}, {Field: "answer", New: q.Answer}}
}

// RaiseQuestion records a customer's technical question at a meeting.
func (s *Service) RaiseQuestion(ctx context.Context, actor domain.User, meetingID int64, in domain.QuestionInput) (domain.Question, error) {
	var q domain.Question
	err := s.write(ctx, &actor, func(tx *store.Store) ([]Change, error) {
		m, err := tx.MeetingByID(ctx, meetingID)
		if err != nil {
			return nil, err
		}
		team, err := s.dealAllows(ctx, tx, actor, m.DealID, domain.ActionAddQuestion)
		if err != nil {
			return nil, err
		}
		q = domain.Question{DealID: m.DealID, MeetingID: &m.ID}
		if err := in.Apply(&q); err != nil {
			return nil, err
		}
		raisedBy := ""
		if q.RaisedByID != nil {
			deal, err := tx.DealByID(ctx, m.DealID)
			if err != nil {
				return nil, err
			}
			c, err := tx.ContactByID(ctx, *q.RaisedByID)
			if err != nil || c.AccountID != deal.AccountID {
				return nil, domain.ValidationErrors{"raised_by_id": "Choose who asked from the customer's contacts."}
			}
			raisedBy = c.Name
		}
		now := s.now().UTC()
		q.CreatedAt, q.UpdatedAt = now, now
		if err := tx.CreateQuestion(ctx, &q); err != nil {
			return nil, err
		}
		c := created(domain.EntityQuestion, q.ID, &q.DealID, questionSnapshot(q, raisedBy))
		c.Event.Action = "raised"
		c.Notify = team.DevRelIDs
		c.Text = fmt.Sprintf("New %s question on %q: %s", domain.InSentence(q.Category.Label()), m.Title, q.Text)
		c.Link = fmt.Sprintf("/meetings/%d", m.ID)
		return []Change{c}, nil
	})
	return q, err
}
