package service

import (
	"context"
	"time"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
)

// MeetingDetail is what the meeting page shows.
type MeetingDetail struct {
	Owner           read.Person       // the deal's
	Members         []read.TeamMember // the deal's DevRel
	Meeting         domain.Meeting
	Deal            domain.Deal
	Account         domain.Account
	Team            domain.DealTeam
	Contacts        []domain.Contact // customer attendees
	Attendees       []domain.User    // internal attendees
	AccountContacts []domain.Contact
	Questions       []read.QuestionRow
	Areas           domain.Choices // the product areas its questions name, or may
	sync            syncRead       // for SyncDetailOf
}

// MeetingDetail loads a meeting with its deal and attendees. As with the
// deal page, the one read last is used again while its deal's revision
// and the directory's are unchanged; what is returned is shared.
func (s *Meetings) MeetingDetail(ctx context.Context, id int64) (MeetingDetail, error) {
	m, _, err := s.meetingDetail(ctx, id)
	return m, err
}

// meetingDetail is MeetingDetail with the revision it is true at.
func (s *Meetings) meetingDetail(ctx context.Context, id int64) (MeetingDetail, read.Revision, error) {
	rev, err := s.store.Deals().MeetingRevision(ctx, id)
	if err != nil {
		return MeetingDetail{}, rev, err
	}
	now := s.now().UTC()
	m, _, err := s.meetingPages.through(keptKey{id: id}, rev, now, time.Time{}, func() (MeetingDetail, time.Time, error) {
		m, err := s.readMeetingDetail(ctx, id, rev)
		return m, now.Add(keptFor), err
	})
	return m, rev, err
}

// readMeetingDetail reads a meeting's page from the database.
func (s *Meetings) readMeetingDetail(ctx context.Context, id int64, rev read.Revision) (MeetingDetail, error) {
	st := s.store
	var m MeetingDetail
	var err error
	if m.Meeting, err = st.Meetings().MeetingByID(ctx, id); err != nil {
		return m, err
	}
	if m.Deal, err = st.Deals().DealByID(ctx, m.Meeting.DealID); err != nil {
		return m, err
	}
	if m.Team, m.Members, err = st.Deals().TeamOf(ctx, m.Deal); err != nil {
		return m, err
	}
	owner, err := st.People().UserByID(ctx, m.Deal.OwnerID)
	m.Owner = read.PersonOf(owner)
	if err != nil {
		return m, err
	}
	if m.Account, err = st.Accounts().AccountByID(ctx, m.Deal.AccountID); err != nil {
		return m, err
	}
	if m.Contacts, err = st.Meetings().MeetingContacts(ctx, id); err != nil {
		return m, err
	}
	if m.Attendees, err = st.Meetings().MeetingAttendees(ctx, id); err != nil {
		return m, err
	}
	if m.AccountContacts, err = st.Accounts().ContactsOf(ctx, m.Account.ID); err != nil {
		return m, err
	}
	if m.Questions, err = st.Meetings().Questions(ctx, m.Deal.ID, id); err != nil {
		return m, err
	}
	dir, err := s.directoryAt(ctx, rev.Directory)
	if err != nil {
		return m, err
	}
	m.Areas = dir.lists[domain.ListProductAreas]
	m.sync, err = s.readSync(ctx, id)
	return m, err
}

// MeetingFormChoices are the options of the meeting form.
type MeetingFormChoices struct {
	Deal     domain.Deal
	Account  domain.Account
	Team     domain.DealTeam
	Contacts []domain.Contact
	Users    []domain.User // active, for internal attendees
}

// MeetingChoices loads the meeting form's options for a deal.
func (s *Meetings) MeetingChoices(ctx context.Context, dealID int64) (MeetingFormChoices, error) {
	var c MeetingFormChoices
	var err error
	if c.Deal, err = s.store.Deals().DealByID(ctx, dealID); err != nil {
		return c, err
	}
	if c.Team, _, err = s.store.Deals().DealTeam(ctx, dealID); err != nil {
		return c, err
	}
	if c.Account, err = s.store.Accounts().AccountByID(ctx, c.Deal.AccountID); err != nil {
		return c, err
	}
	if c.Contacts, err = s.store.Accounts().ContactsOf(ctx, c.Deal.AccountID); err != nil {
		return c, err
	}
	users, err := s.store.People().Users(ctx, "")
	for _, u := range users {
		if u.Active {
			c.Users = append(c.Users, u)
		}
	}
	return c, err
}

// Agenda lists one page of meetings around now, and whether more follow.
func (s *Meetings) Agenda(ctx context.Context, f read.AgendaFilter) ([]read.MeetingRow, bool, error) {
	f.Now = time.Time{}
	return keptList(ctx, s.core, orgKey{what: "agenda", args: argsOf(f)}, func(ctx context.Context) ([]read.MeetingRow, bool, error) {
		f.Now = s.now().UTC()
		return s.store.Meetings().Agenda(ctx, f)
	})
}

// DealMeetings lists a deal's meetings, those ahead first.
func (s *Meetings) DealMeetings(ctx context.Context, dealID int64) ([]read.MeetingRow, error) {
	if _, err := s.store.Deals().DealByID(ctx, dealID); err != nil {
		return nil, err
	}
	return s.store.Meetings().MeetingsOfDeal(ctx, dealID, s.now().UTC())
}

// MeetingRow loads one meeting as lists show it, with its sync state.
func (s *Meetings) MeetingRow(ctx context.Context, id int64) (read.MeetingRow, error) {
	return s.store.Meetings().MeetingRow(ctx, id)
}

// MyMeetings lists a user's next scheduled meetings of the next days,
// DeskList of them at most.
func (s *Meetings) MyMeetings(ctx context.Context, u domain.User, days int) ([]read.MeetingRow, error) {
	now := s.now().UTC()
	return s.store.Meetings().UserMeetings(ctx, u.ID, now, now.Add(time.Duration(days)*24*time.Hour), DeskList)
}
