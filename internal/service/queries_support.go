package service

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
)

// SupportBoard lists one page of the support board.
func (s *Service) SupportBoard(ctx context.Context, f read.SupportFilter) ([]read.SupportRow, int64, error) {
	f.Now = time.Time{}
	return keptList(ctx, s, orgKey{what: "support board", args: argsOf(f)}, func() ([]read.SupportRow, int64, error) {
		f.Now = s.now().UTC()
		return s.store.SupportBoard(ctx, f)
	})
}

// SupportBoardFor is one page of the board as viewer sees it: the kept
// rows, copied into cards that say whether this viewer may claim each now
// (or could, but is at capacity), and the viewer's load. Nothing of one
// viewer's is written into what is kept for all.
func (s *Service) SupportBoardFor(ctx context.Context, viewer domain.User, f read.SupportFilter) (cards []read.SupportCard, total int64, load int, err error) {
	rows, total, err := s.SupportBoard(ctx, f)
	if err != nil {
		return nil, 0, 0, err
	}
	if domain.Can(viewer, domain.ActionClaimSupport, domain.Organisation{}) {
		if load, err = s.DevRelLoad(ctx, viewer); err != nil {
			return nil, 0, 0, err
		}
	}
	room := viewer.HasRoomFor(load)
	cards = make([]read.SupportCard, len(rows))
	for i, r := range rows {
		could := r.Allows(viewer, domain.ActionClaimRequest, domain.DealTeam{})
		cards[i] = read.SupportCard{SupportRow: r, Claimable: could && room, AtCapacity: could && !room}
	}
	return cards, total, load, nil
}

// SupportDetail is what a support request's page shows.
type SupportDetail struct {
	Request read.SupportRow
	Team    domain.DealTeam
	DevRel  []read.DevRelLoad // for a manager's assignment
	Events  []read.TimelineEntry
}

// SupportDetail loads a support request with the deal team and, for the
// manager's choice, every DevRel's load.
func (s *Service) SupportDetail(ctx context.Context, id int64) (SupportDetail, error) {
	var d SupportDetail
	var err error
	if d.Request, err = s.store.SupportRequestRow(ctx, id, s.now().UTC()); err != nil {
		return d, err
	}
	if d.Team, _, err = s.store.DealTeam(ctx, d.Request.DealID); err != nil {
		return d, err
	}
	if d.DevRel, err = s.store.DevRelLoads(ctx); err != nil {
		return d, err
	}
	d.Events, err = s.store.EntityTimeline(ctx, domain.EntitySupportRequest, id)
	return d, err
}

// SyncDetail is a meeting's sync panel: what was agreed, who confirmed,
// the verdict, and what changed since if it went stale.
type SyncDetail struct {
	Sync            domain.Sync
	State           domain.SyncState
	DevRelAttending bool
	SalesName       string
	DevRelName      string
	ChangedSince    []read.TimelineEntry
	NeedsAttention  bool
}

// SyncDetail loads the sync panel of a meeting for a viewer.
func (s *Service) SyncDetail(ctx context.Context, viewer domain.User, meetingID int64) (SyncDetail, error) {
	return s.syncDetail(ctx, viewer, meetingID, nil)
}

// SyncDetailOf is SyncDetail for a meeting whose detail, and so its deal
// team and its sync as read with it, is loaded already.
func (s *Service) SyncDetailOf(viewer domain.User, m MeetingDetail) SyncDetail {
	return m.sync.detail(viewer, m.Team, s.now().UTC())
}

// syncDetail loads the sync panel, and the deal team unless given.
func (s *Service) syncDetail(ctx context.Context, viewer domain.User, meetingID int64, team *domain.DealTeam) (SyncDetail, error) {
	r, err := s.readSync(ctx, meetingID)
	if err != nil {
		return SyncDetail{}, err
	}
	if team == nil {
		loaded, _, err := s.store.DealTeam(ctx, r.row.DealID)
		if err != nil {
			return SyncDetail{}, err
		}
		team = &loaded
	}
	return r.detail(viewer, *team, s.now().UTC()), nil
}

// syncRead is what a meeting's sync panel is made of, read once for
// every viewer (and kept with the meeting's page): what each viewer sees
// of it is decided in detail.
type syncRead struct {
	row                   read.MeetingRow
	sync                  domain.Sync
	salesName, devRelName string
	// changedSince, when the sync is stale, are the changes after the
	// later confirmation: [0] as those outside the team see them, [1] as
	// the team does.
	changedSince [2][]read.TimelineEntry
}

// readSync reads a meeting's sync panel for every viewer.
func (s *Service) readSync(ctx context.Context, meetingID int64) (syncRead, error) {
	var r syncRead
	var err error
	if r.row, err = s.store.MeetingRow(ctx, meetingID); err != nil {
		return r, err
	}
	if r.sync, _, err = s.store.SyncOf(ctx, meetingID); err != nil {
		return r, err
	}
	names := func(id *int64) string {
		if id == nil {
			return ""
		}
		u, err := s.store.UserByID(ctx, *id)
		if err != nil {
			return ""
		}
		return u.Name
	}
	r.salesName, r.devRelName = names(r.sync.SalesConfirmedBy), names(r.sync.DevRelConfirmedBy)
	if r.row.SyncState() == domain.SyncStale {
		later := *r.sync.SalesConfirmedAt
		if r.sync.DevRelConfirmedAt.After(later) {
			later = *r.sync.DevRelConfirmedAt
		}
		for i, insider := range []bool{false, true} {
			if r.changedSince[i], err = s.store.SyncChangesSince(ctx, r.row.DealID, later, insider); err != nil {
				return r, err
			}
		}
	}
	return r, nil
}

// detail is the sync panel as viewer sees it at now. What the team
// agreed to raise or avoid often names the reserve: outside the team only
// the state shows.
func (r syncRead) detail(viewer domain.User, team domain.DealTeam, now time.Time) SyncDetail {
	d := SyncDetail{Sync: r.sync, State: r.row.SyncState(), DevRelAttending: r.row.DevRelAttending(),
		SalesName: r.salesName, DevRelName: r.devRelName}
	d.NeedsAttention = domain.NeedsAttention(d.State, r.row.Meeting, now)
	insider := domain.Can(viewer, domain.ActionSeeReserve, team)
	if !insider {
		d.Sync.Notes, d.Sync.MayRaise, d.Sync.Avoid = "", "", ""
	}
	if d.State == domain.SyncStale {
		d.ChangedSince = r.changedSince[0]
		if insider {
			d.ChangedSince = r.changedSince[1]
		}
	}
	return d
}

// DeskList is how many rows a list on a desk shows; each has a link to
// the whole list.
const DeskList = 20

// MyMeetings lists a user's next scheduled meetings of the next days,
// DeskList of them at most.
func (s *Service) MyMeetings(ctx context.Context, u domain.User, days int) ([]read.MeetingRow, error) {
	now := s.now().UTC()
	return s.store.UserMeetings(ctx, u.ID, now, now.Add(time.Duration(days)*24*time.Hour), DeskList)
}

// CarriedDeals lists the deals a DevRel is actively assigned to, each
// with its next meeting and that meeting's sync state.
func (s *Service) CarriedDeals(ctx context.Context, u domain.User) ([]read.CarriedDeal, error) {
	rows, err := s.store.AssignedDeals(ctx, u.ID, DeskList)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	upcoming, err := s.store.UpcomingMeetingsOfDeals(ctx, ids, s.now().UTC())
	if err != nil {
		return nil, err
	}
	out := make([]read.CarriedDeal, len(rows))
	for i, r := range rows {
		out[i] = read.CarriedDeal{DealRow: r}
		// Soonest first: the first meeting of a deal is its next.
		if j := slices.IndexFunc(upcoming, func(m read.MeetingRow) bool { return m.DealID == r.ID }); j >= 0 {
			out[i].Next = &upcoming[j]
		}
	}
	return out, nil
}

// DevRelLoads lists every active DevRel with their load, for a manager
// choosing whom to assign.
func (s *Service) DevRelLoads(ctx context.Context) ([]read.DevRelLoad, error) {
	return s.store.DevRelLoads(ctx)
}

// DevRelLoad is a DevRel's active deals against their capacity.
func (s *Service) DevRelLoad(ctx context.Context, u domain.User) (int, error) {
	return s.store.ActiveLoad(ctx, u.ID)
}

// Notifications lists one page of a user's inbox. News its reader may no
// longer see (an offer held in reserve since, a deal team they left) says
// only that something changed, and leads to the deal.
func (s *Service) Notifications(ctx context.Context, u domain.User, p read.Page) ([]domain.Notification, int64, error) {
	ns, total, err := s.store.Notifications(ctx, u.ID, p)
	if err != nil || len(ns) == 0 {
		return ns, total, err
	}
	ids := make([]int64, len(ns))
	for i, n := range ns {
		ids[i] = n.EventID
	}
	reports, err := s.store.Reports(ctx, ids)
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
func (s *Service) UnreadCount(ctx context.Context, u domain.User) (int64, error) {
	return s.store.UnreadNotifications(ctx, u.ID)
}

// MarkRead marks one notification read, or all of them when id is 0.
// Reading one's own inbox is not an audited change.
func (s *Service) MarkRead(ctx context.Context, u domain.User, id int64) error {
	n, err := s.store.MarkRead(ctx, u.ID, id, s.now().UTC())
	if err == nil && id != 0 && n == 0 {
		return domain.ErrNotFound
	}
	return err
}

// CalendarFeed is a user's meetings for their calendar: the last 30 days
// and everything ahead. The token is the credential; a deactivated user's
// feed is gone.
func (s *Service) CalendarFeed(ctx context.Context, token string) (CalendarFeed, error) {
	var f CalendarFeed
	u, err := s.store.UserByCalendarToken(ctx, token)
	if err != nil {
		return f, err
	}
	if !u.Active {
		return f, domain.ErrNotFound
	}
	f.User = u
	if f.Meetings, err = s.store.CalendarMeetings(ctx, u.ID, s.now().UTC().Add(-30*24*time.Hour), 1000); err != nil {
		return f, err
	}
	ids := make([]int64, len(f.Meetings))
	for i, m := range f.Meetings {
		ids[i] = m.ID
	}
	f.People, err = s.store.CalendarPeople(ctx, ids)
	return f, err
}

// CalendarFeed is what a user's calendar subscription shows: their
// meetings with who organises and attends each.
type CalendarFeed struct {
	User     domain.User
	Meetings []read.MeetingRow
	People   map[int64][]read.CalendarPerson
}
