package store

import (
	"context"
	"strings"
	"time"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
	"gorm.io/gorm"
)

// CreateMeeting inserts m with its customer and internal attendees.
func (s Meetings) CreateMeeting(ctx context.Context, m *domain.Meeting, contactIDs, userIDs []int64) error {
	m.Version = 1
	if err := s.write(ctx).Create(m).Error; err != nil {
		return err
	}
	return s.setAttendees(ctx, m.ID, contactIDs, userIDs)
}

// SaveMeeting writes an edit of m's plan made on version expected and
// replaces its attendees; false means someone changed the meeting first.
func (s Meetings) SaveMeeting(ctx context.Context, m *domain.Meeting, expected int64, contactIDs, userIDs []int64) (bool, error) {
	ok, err := s.updateVersioned(ctx, "meetings", m.ID, expected, map[string]any{
		"title": m.Title, "type": m.Type, "starts_at": m.StartsAt, "ends_at": m.EndsAt, "location": m.Location,
		"agenda": m.Agenda, "goal": m.Goal, "updated_at": m.UpdatedAt})
	if !ok || err != nil {
		return false, err
	}
	m.Version = expected + 1
	return true, s.setAttendees(ctx, m.ID, contactIDs, userIDs)
}

// SetMeetingStatus moves a meeting from status from to m's status and
// outcome; false means it was no longer in from (someone moved it first).
func (s Meetings) SetMeetingStatus(ctx context.Context, m *domain.Meeting, from domain.MeetingStatus) (bool, error) {
	res := s.write(ctx).Table("meetings").Where("id = ? AND status = ?", m.ID, from).Updates(map[string]any{
		"status": m.Status, "outcome_notes": m.OutcomeNotes, "updated_at": m.UpdatedAt, "version": gorm.Expr("version + 1")})
	return res.RowsAffected == 1, res.Error
}

func (s Meetings) setAttendees(ctx context.Context, meetingID int64, contactIDs, userIDs []int64) error {
	w := s.write(ctx)
	if err := w.Where("meeting_id = ?", meetingID).Delete(&domain.MeetingContact{}).Error; err != nil {
		return err
	}
	if err := w.Where("meeting_id = ?", meetingID).Delete(&domain.MeetingAttendee{}).Error; err != nil {
		return err
	}
	var cs []domain.MeetingContact
	for _, id := range dedupe(contactIDs) {
		cs = append(cs, domain.MeetingContact{MeetingID: meetingID, ContactID: id})
	}
	var us []domain.MeetingAttendee
	for _, id := range dedupe(userIDs) {
		us = append(us, domain.MeetingAttendee{MeetingID: meetingID, UserID: id})
	}
	if len(cs) > 0 {
		if err := w.Create(&cs).Error; err != nil {
			return err
		}
	}
	if len(us) > 0 {
		return w.Create(&us).Error
	}
	return nil
}

// MeetingByID loads one meeting.
func (s Meetings) MeetingByID(ctx context.Context, id int64) (domain.Meeting, error) {
	return first[domain.Meeting](ctx, s.core, id)
}

// MeetingContacts lists a meeting's customer attendees.
func (s Meetings) MeetingContacts(ctx context.Context, meetingID int64) ([]domain.Contact, error) {
	var cs []domain.Contact
	return cs, s.read(ctx).Joins("JOIN meeting_contacts mc ON mc.contact_id = contacts.id").
		Where("mc.meeting_id = ?", meetingID).Order("contacts.name").Find(&cs).Error
}

// MeetingAttendees lists a meeting's internal attendees.
func (s Meetings) MeetingAttendees(ctx context.Context, meetingID int64) ([]domain.User, error) {
	var us []domain.User
	return us, s.read(ctx).Joins("JOIN meeting_attendees ma ON ma.user_id = users.id").
		Where("ma.meeting_id = ?", meetingID).Order("users.name").Find(&us).Error
}

// devRelAttendees is "a DevRel attends" in SQL, the FROM and WHERE of the
// DevRel among a meeting's internal attendees (u): DESIGN says a meeting
// has DevRel attending when an internal attendee is a DevRel. Every query
// that asks it uses this.
func devRelAttendees(meeting string) string {
	return "FROM meeting_attendees ma JOIN users u ON u.id = ma.user_id WHERE ma.meeting_id = " + meeting +
		" AND u.role = '" + string(domain.RoleDevRel) + "'"
}

func (s Meetings) meetingRows(ctx context.Context) *gorm.DB {
	return s.read(ctx).Table("meetings").
		Select(`meetings.*, deals.title AS deal_title, accounts.name AS account_name, deals.owner_id AS owner_id,
			(SELECT ` + s.concatNames() + ` ` + devRelAttendees("meetings.id") + `) AS dev_rel_names,
			syncs.sales_confirmed_at, syncs.dev_rel_confirmed_at,
			CASE WHEN meetings.status = 'scheduled' THEN NULL
				ELSE (SELECT MAX(e.at) FROM events e WHERE e.deal_id = meetings.deal_id AND e.entity IN ` + syncEntities + `) END AS last_change_at`).
		Joins("JOIN deals ON deals.id = meetings.deal_id").
		Joins("JOIN accounts ON accounts.id = deals.account_id").
		Joins("LEFT JOIN syncs ON syncs.meeting_id = meetings.id")
}

// syncEntities are the entities whose changes make a sync stale.
var syncEntities = func() string {
	names := make([]string, len(domain.SyncEntities))
	for i, e := range domain.SyncEntities {
		names[i] = string(e)
	}
	return "('" + strings.Join(names, "', '") + "')"
}()

// MeetingRow loads one meeting as lists show it.
func (s Meetings) MeetingRow(ctx context.Context, id int64) (read.MeetingRow, error) {
	var ms []read.MeetingRow
	if err := s.meetingRows(ctx).Where("meetings.id = ?", id).Scan(&ms).Error; err != nil {
		return read.MeetingRow{}, err
	}
	if len(ms) == 0 {
		return read.MeetingRow{}, domain.ErrNotFound
	}
	return ms[0], nil
}

// UpcomingMeetingsOfDeal lists a deal's scheduled meetings still ahead.
func (s Meetings) UpcomingMeetingsOfDeal(ctx context.Context, dealID int64, now time.Time) ([]read.MeetingRow, error) {
	return s.UpcomingMeetingsOfDeals(ctx, []int64{dealID}, now)
}

// UpcomingMeetingsOfDeals lists the scheduled meetings still ahead on any
// of the deals, soonest first.
func (s Meetings) UpcomingMeetingsOfDeals(ctx context.Context, dealIDs []int64, now time.Time) ([]read.MeetingRow, error) {
	var ms []read.MeetingRow
	if len(dealIDs) == 0 {
		return ms, nil
	}
	// The deals' meetings by their (deal, start) index, not every
	// scheduled meeting ahead tested against the deals.
	return ms, s.meetingRows(ctx).Where("meetings.id IN (SELECT m.id FROM meetings m WHERE m.deal_id IN ? AND m.starts_at >= ?)", dealIDs, now).
		Where("meetings.status = 'scheduled'").
		Order("meetings.starts_at, meetings.id").Scan(&ms).Error
}

// UserMeetings lists the scheduled meetings a user owns the deal of or
// attends, from now until before.
func (s Meetings) UserMeetings(ctx context.Context, userID int64, now, before time.Time, limit int) ([]read.MeetingRow, error) {
	var ms []read.MeetingRow
	// The first limit of the meetings of the user's deals (each keeps its
	// deal's owner, in an index by start), and the first limit they
	// attend (each attendance keeps its meeting's start while scheduled);
	// then the first limit of both. Not from every meeting of the week: a
	// team has tens of thousands, a salesperson hundreds.
	return ms, s.meetingRows(ctx).
		Where(`meetings.id IN (SELECT id FROM (SELECT m.id FROM meetings m WHERE m.deal_owner_id = ? AND m.status = 'scheduled'
				AND m.starts_at >= ? AND m.starts_at < ? ORDER BY m.starts_at, m.id LIMIT ?) mine
			UNION SELECT meeting_id FROM (SELECT ma.meeting_id FROM meeting_attendees ma WHERE ma.user_id = ?
				AND ma.scheduled_at >= ? AND ma.scheduled_at < ? ORDER BY ma.scheduled_at, ma.meeting_id LIMIT ?) attended)`,
			userID, now, before, limit, userID, now, before, limit).
		Order("meetings.starts_at, meetings.id").Limit(limit).Scan(&ms).Error
}

// concatNames aggregates user names in either engine.
func (s Meetings) concatNames() string {
	if s.postgres() {
		return "string_agg(u.name, ', ' ORDER BY u.name)"
	}
	return "group_concat(u.name, ', ')"
}

// MeetingsOfDeal lists a deal's meetings: upcoming ones first, soonest
// first, then the rest, latest first.
func (s Meetings) MeetingsOfDeal(ctx context.Context, dealID int64, now time.Time) ([]read.MeetingRow, error) {
	var ms []read.MeetingRow
	err := s.meetingRows(ctx).Where("meetings.deal_id = ?", dealID).
		Order(gorm.Expr("CASE WHEN meetings.status = 'scheduled' AND meetings.starts_at >= ? THEN 0 ELSE 1 END", now)).
		Order(gorm.Expr("CASE WHEN meetings.status = 'scheduled' AND meetings.starts_at >= ? THEN meetings.starts_at END ASC", now)).
		Order("meetings.starts_at DESC, meetings.id").Scan(&ms).Error
	return ms, err
}

// MeetingsOfAccount lists the meetings on an account's deals, latest first.
func (s Meetings) MeetingsOfAccount(ctx context.Context, accountID int64, limit int) ([]read.MeetingRow, error) {
	var ms []read.MeetingRow
	return ms, s.meetingRows(ctx).Where("deals.account_id = ?", accountID).
		Order("meetings.starts_at DESC, meetings.id").Limit(limit).Scan(&ms).Error
}

// Agenda lists one page of upcoming (or past) meetings and whether more
// follow. It does not count them all: a busy team has tens of thousands.
func (s Meetings) Agenda(ctx context.Context, f read.AgendaFilter) ([]read.MeetingRow, bool, error) {
	q := s.read(ctx).Table("meetings").Where(liveDeal("meetings"))
	if f.Past {
		q = q.Where("(meetings.starts_at < ? OR meetings.status <> 'scheduled')", f.Now)
	} else {
		// Upcoming: not over yet. The bound on the start (no meeting runs
		// a day) lets the index skip the past.
		q = q.Where("meetings.status = 'scheduled' AND meetings.starts_at >= ? AND meetings.ends_at >= ?", f.Now.Add(-24*time.Hour), f.Now)
	}
	if f.UserID != 0 {
		q = q.Where(`(meetings.deal_owner_id = ?
			OR meetings.id IN (SELECT meeting_id FROM meeting_attendees WHERE user_id = ?))`, f.UserID, f.UserID)
	}
	if f.DealOwnerID != 0 {
		q = q.Where("meetings.deal_owner_id = ?", f.DealOwnerID)
	}
	if f.DevRelID != 0 {
		q = q.Where("meetings.deal_id IN (SELECT deal_id FROM assignments WHERE user_id = ? AND active)", f.DevRelID)
	}
	if f.Days > 0 && !f.Past {
		q = q.Where("meetings.starts_at < ?", f.Now.Add(time.Duration(f.Days)*24*time.Hour))
	}
	if f.Sync != "" {
		// The state each scheduled meeting keeps, as coverage counts it.
		is := "= ?"
		state := f.Sync
		if state == read.AnyDevRel {
			is, state = "<> ?", domain.SyncNotNeeded
		}
		q = q.Where("meetings.status = 'scheduled' AND meetings.starts_at >= ? AND meetings.sync_state "+is, f.Now.Add(-24*time.Hour), state)
	}
	order := "meetings.starts_at ASC, meetings.id"
	if f.Past {
		order = "meetings.starts_at DESC, meetings.id DESC"
	}
	var ids []int64
	if err := q.Order(order).Limit(f.Page.Limit()+1).Offset(f.Page.Offset()).Pluck("meetings.id", &ids).Error; err != nil {
		return nil, false, err
	}
	more := len(ids) > f.Page.Limit()
	if more {
		ids = ids[:f.Page.Limit()]
	}
	var ms []read.MeetingRow
	if len(ids) == 0 {
		return ms, false, nil
	}
	err := s.meetingRows(ctx).Where("meetings.id IN ?", ids).Order(order).Scan(&ms).Error
	return ms, more, err
}

// CreateQuestion inserts q.
func (s Meetings) CreateQuestion(ctx context.Context, q *domain.Question) error {
	return s.write(ctx).Create(q).Error
}

// MeetingsOfContact lists the meetings a contact attended or is to
// attend, latest first.
func (s Meetings) MeetingsOfContact(ctx context.Context, contactID int64, limit int) ([]read.MeetingRow, error) {
	var ms []read.MeetingRow
	return ms, s.meetingRows(ctx).Where("meetings.id IN (SELECT meeting_id FROM meeting_contacts WHERE contact_id = ?)", contactID).
		Order("meetings.starts_at DESC, meetings.id").Limit(limit).Scan(&ms).Error
}

// QuestionsOfContact lists the questions a contact raised, latest first.
func (s Meetings) QuestionsOfContact(ctx context.Context, contactID int64) ([]read.QuestionRow, error) {
	var qs []read.QuestionRow
	return qs, s.read(ctx).Table("questions").
		Select("questions.*, contacts.name AS raised_by_name, users.name AS answered_by").
		Joins("LEFT JOIN contacts ON contacts.id = questions.raised_by_id").
		Joins("LEFT JOIN users ON users.id = questions.answered_by_id").
		Where("questions.raised_by_id = ?", contactID).Order("questions.created_at DESC, questions.id").Scan(&qs).Error
}

// Questions lists a meeting's questions, or a deal's when meetingID is 0.
func (s Meetings) Questions(ctx context.Context, dealID, meetingID int64) ([]read.QuestionRow, error) {
	q := s.read(ctx).Table("questions").
		Select("questions.*, contacts.name AS raised_by_name, users.name AS answered_by").
		Joins("LEFT JOIN contacts ON contacts.id = questions.raised_by_id").
		Joins("LEFT JOIN users ON users.id = questions.answered_by_id")
	if meetingID != 0 {
		q = q.Where("questions.meeting_id = ?", meetingID)
	} else {
		q = q.Where("questions.deal_id = ?", dealID)
	}
	var qs []read.QuestionRow
	return qs, q.Order("CASE WHEN questions.status = 'open' THEN 0 ELSE 1 END, questions.created_at DESC, questions.id").Scan(&qs).Error
}

func dedupe(ids []int64) []int64 {
	seen := map[int64]bool{}
	var out []int64
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// CalendarMeetings lists the meetings a user owns the deal of or attends,
// starting after since, in start order.
func (s Meetings) CalendarMeetings(ctx context.Context, userID int64, since time.Time, limit int) ([]read.MeetingRow, error) {
	var ms []read.MeetingRow
	return ms, s.meetingRows(ctx).
		Where("meetings.starts_at >= ?", since).
		Where(`(deals.owner_id = ? OR meetings.id IN (SELECT meeting_id FROM meeting_attendees WHERE user_id = ?))`, userID, userID).
		Order("meetings.starts_at, meetings.id").Limit(limit).Scan(&ms).Error
}

// CalendarPeople lists the organizer and attendees of the meetings, by
// meeting, in one query.
func (s Meetings) CalendarPeople(ctx context.Context, meetingIDs []int64) (map[int64][]read.CalendarPerson, error) {
	out := map[int64][]read.CalendarPerson{}
	if len(meetingIDs) == 0 {
		return out, nil
	}
	var ps []read.CalendarPerson
	err := s.read(ctx).Raw(`
		SELECT m.id AS meeting_id, u.name, u.email, 'organizer' AS part
		  FROM meetings m JOIN deals d ON d.id = m.deal_id JOIN users u ON u.id = d.owner_id WHERE m.id IN ?
		UNION ALL
		SELECT ma.meeting_id, u.name, u.email, 'internal' FROM meeting_attendees ma JOIN users u ON u.id = ma.user_id WHERE ma.meeting_id IN ?
		UNION ALL
		SELECT mc.meeting_id, c.name, c.email, 'customer' FROM meeting_contacts mc JOIN contacts c ON c.id = mc.contact_id WHERE mc.meeting_id IN ?
		ORDER BY meeting_id, part, name`, meetingIDs, meetingIDs, meetingIDs).Scan(&ps).Error
	for _, p := range ps {
		out[p.MeetingID] = append(out[p.MeetingID], p)
	}
	return out, err
}
