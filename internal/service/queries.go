package service

import (
	"context"
	"time"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
	"github.com/presale/presale/internal/store"
)

// The read side: what each page shows, loaded in a few queries. Anything
// a viewer may not see is left out here, not in the templates.

// DealDetail is everything the deal page shows.
type DealDetail struct {
	Deal      domain.Deal
	Account   domain.Account
	Owner     domain.User
	Team      domain.DealTeam
	Members   []read.TeamMember
	Meetings  []read.MeetingRow
	Questions []read.QuestionRow
	Notes     []read.NoteRow
	Timeline  []read.TimelineEntry
	Offers    []read.OfferRow
	Promises  []read.PromiseRow
	Former    []string // DevRel who were on the deal and are not now
	Tasks     []read.TaskRow
	Support   []read.SupportRow // the deal's support requests, newest first
	Owners    []domain.User     // who may own a promise (store.OwnerChoices)
	// NoteComments are the replies to each internal note, by note id.
	NoteComments map[int64][]read.CommentRow
}

// TimelineLength is how many of a deal's latest events its page shows.
const TimelineLength = 200

// DealDetail loads a deal for a viewer. Internal notes and team-only
// events are for the deal team and managers.
//
// The page read last for the same kind of viewer is used again while the
// deal's revision and the directory's are unchanged (kept); the
// revision is read first, so a change committed while the page is read
// again only makes it look older than it is. What is returned is shared:
// callers must not change it.
func (s *Service) DealDetail(ctx context.Context, viewer domain.User, id int64) (DealDetail, error) {
	rev, err := s.store.DealRevision(ctx, id)
	if err != nil {
		return DealDetail{}, err
	}
	now := s.now().UTC()
	for _, team := range []bool{true, false} {
		kept, ok := s.deals.get(keptKey{id, team}, rev, now)
		if !ok {
			continue
		}
		if !domain.Can(viewer, domain.ActionReadDeal, kept.Team) {
			return DealDetail{}, domain.ErrNotFound
		}
		if domain.Can(viewer, domain.ActionSeeReserve, kept.Team) == team {
			return kept, nil
		}
	}
	d, team, err := s.dealDetail(ctx, viewer, id, now)
	if err == nil {
		s.deals.put(keptKey{id, team}, rev, until(d.Meetings, now), d)
	}
	return d, err
}

// dealDetail reads a deal's page from the database, and whether it is
// the deal team's view.
func (s *Service) dealDetail(ctx context.Context, viewer domain.User, id int64, now time.Time) (DealDetail, bool, error) {
	st := s.store
	var d DealDetail
	var err error
	if d.Deal, err = st.DealByID(ctx, id); err != nil {
		return d, false, err
	}
	if d.Team, d.Members, d.Former, err = st.TeamAndFormer(ctx, d.Deal); err != nil {
		return d, false, err
	}
	if !domain.Can(viewer, domain.ActionReadDeal, d.Team) {
		return d, false, domain.ErrNotFound
	}
	if d.Account, err = st.AccountByID(ctx, d.Deal.AccountID); err != nil {
		return d, false, err
	}
	if d.Owner, err = st.UserByID(ctx, d.Deal.OwnerID); err != nil {
		return d, false, err
	}
	if d.Meetings, err = st.MeetingsOfDeal(ctx, id, now); err != nil {
		return d, false, err
	}
	if d.Questions, err = st.Questions(ctx, id, 0); err != nil {
		return d, false, err
	}
	team := domain.Can(viewer, domain.ActionSeeReserve, d.Team)
	if d.Offers, err = st.OffersOfDeal(ctx, id, team); err != nil {
		return d, team, err
	}
	if d.Promises, _, err = st.Promises(ctx, read.PromiseFilter{DealID: id, Page: read.Top(200)}); err != nil {
		return d, team, err
	}
	if team {
		if d.Notes, err = st.NotesOf(ctx, id); err != nil {
			return d, team, err
		}
		comments, err := st.CommentsOnNotes(ctx, id)
		if err != nil {
			return d, team, err
		}
		d.NoteComments = map[int64][]read.CommentRow{}
		for _, c := range comments {
			d.NoteComments[*c.NoteID] = append(d.NoteComments[*c.NoteID], c)
		}
	}
	if d.Tasks, err = st.TasksOfDeal(ctx, id); err != nil {
		return d, team, err
	}
	if d.Support, err = st.DealSupportRequests(ctx, id, now); err != nil {
		return d, team, err
	}
	if d.Owners, err = st.OwnerChoices(ctx); err != nil {
		return d, team, err
	}
	d.Timeline, err = st.DealTimeline(ctx, id, team, TimelineLength)
	return d, team, err
}

// PipelinePage is one page of deals and what every deal listed adds up to.
type PipelinePage struct {
	Rows     []read.DealRow
	Total    int64        // deals matching, on every page
	Value    domain.Money // their value in the reporting currency
	Weighted domain.Money // weighted by stage probability
}

// Pipeline lists one page of deals, sorting by amount in the reporting
// currency.
func (s *Service) Pipeline(ctx context.Context, f read.DealFilter) (PipelinePage, error) {
	return keptOrgRead(ctx, s, orgKey{what: "pipeline", args: argsOf(f)}, func() (PipelinePage, error) { return s.readPipeline(ctx, f) })
}

// DealsPage is the pipeline's page as people see it: a page of deals,
// and who may own them (the owner filter's choices).
type DealsPage struct {
	PipelinePage
	Owners []domain.User
}

// DealsPage loads the pipeline's page, kept as Pipeline is.
func (s *Service) DealsPage(ctx context.Context, f read.DealFilter) (DealsPage, error) {
	return keptOrgRead(ctx, s, orgKey{what: "deals page", args: argsOf(f)}, func() (DealsPage, error) {
		var d DealsPage
		var err error
		if d.PipelinePage, err = s.readPipeline(ctx, f); err != nil {
			return d, err
		}
		d.Owners, err = s.Owners(ctx)
		return d, err
	})
}

// readPipeline reads one page of deals from the database.
func (s *Service) readPipeline(ctx context.Context, f read.DealFilter) (PipelinePage, error) {
	money, err := s.Money(ctx)
	if err != nil {
		return PipelinePage{}, err
	}
	return s.pipeline(ctx, f, money)
}

// pipeline lists one page of deals with the money already read.
func (s *Service) pipeline(ctx context.Context, f read.DealFilter, money Money) (PipelinePage, error) {
	var p PipelinePage
	rates := money.Rates
	f.AmountFactors, f.StagePercents, f.Watch = rates.Factors(), money.Probabilities, rates.OldCurrencies()
	rows, sums, err := s.store.Deals(ctx, f)
	p.Rows, p.Total = rows, sums.Deals
	p.Value = rates.Figure(sums.Value, sums.Unrated, sums.Watched)
	p.Weighted = rates.Figure(sums.Weighted, sums.Unrated, sums.Watched)
	return p, err
}

// DealFormChoices are the options of the deal form.
type DealFormChoices struct {
	Accounts read.AccountChoices
	Owners   []domain.User
}

// DealChoices loads the deal form's options, the accounts named in the
// form among them.
func (s *Service) DealChoices(ctx context.Context, accounts ...int64) (DealFormChoices, error) {
	var c DealFormChoices
	var err error
	if c.Accounts, err = s.AccountChoices(ctx, "", 0, accounts...); err != nil {
		return c, err
	}
	c.Owners, err = s.Owners(ctx)
	return c, err
}

// AccountChoices are the live accounts a form offers: those whose name
// holds q, by name, as many as a list holds, with those chosen and
// without except.
func (s *Service) AccountChoices(ctx context.Context, q string, except int64, chosen ...int64) (read.AccountChoices, error) {
	return s.store.AccountChoices(ctx, q, except, chosen...)
}

// Owners lists who may own deals: active salespeople and managers, with
// their ID, name and role (store.OwnerChoices).
func (s *Service) Owners(ctx context.Context) ([]domain.User, error) {
	return s.store.OwnerChoices(ctx)
}

// DevRelUsers lists the active DevRel engineers.
func (s *Service) DevRelUsers(ctx context.Context) ([]domain.User, error) {
	users, err := s.store.Users(ctx, domain.RoleDevRel)
	var out []domain.User
	for _, u := range users {
		if u.Active {
			out = append(out, u)
		}
	}
	return out, err
}

// Deal loads one deal with its team, for forms.
func (s *Service) Deal(ctx context.Context, id int64) (domain.Deal, domain.DealTeam, error) {
	d, err := s.store.DealByID(ctx, id)
	if err != nil {
		return d, domain.DealTeam{}, err
	}
	team, _, err := s.store.DealTeam(ctx, id)
	return d, team, err
}

// AccountDetail is what the account page shows.
type AccountDetail struct {
	Account  domain.Account
	Contacts []domain.Contact
	Deals    []read.DealRow
	Meetings []read.MeetingRow
	// Merged is the newest merge when it went into this account: it can
	// be undone from here. MergedName is the account merged.
	Merged     *read.AccountMerge
	MergedName string
	Choices    read.AccountChoices // where it can be merged into
}

// AccountDetail loads a customer with its people, deals and meetings.
func (s *Service) AccountDetail(ctx context.Context, id int64) (AccountDetail, error) {
	var a AccountDetail
	var err error
	if a.Account, err = s.store.AccountByID(ctx, id); err != nil {
		return a, err
	}
	if a.Contacts, err = s.store.ContactsOf(ctx, id); err != nil {
		return a, err
	}
	if a.Deals, _, err = s.store.Deals(ctx, read.DealFilter{AccountID: id, Sort: "close", Page: read.Top(200)}); err != nil {
		return a, err
	}
	if a.Meetings, err = s.store.MeetingsOfAccount(ctx, id, 50); err != nil {
		return a, err
	}
	if m, ok, err := s.LatestMerge(ctx); err != nil {
		return a, err
	} else if ok && m.IntoAccountID == id {
		from, err := s.store.AccountByID(ctx, m.FromAccountID)
		if err != nil {
			return a, err
		}
		a.Merged, a.MergedName = &m, from.Name
	}
	if a.Account.ArchivedAt == nil {
		a.Choices, err = s.AccountChoices(ctx, "", id)
	}
	return a, err
}

// Accounts lists one page of customers.
func (s *Service) Accounts(ctx context.Context, q string, archived bool, p read.Page) ([]read.AccountRow, int64, error) {
	return s.store.Accounts(ctx, q, archived, p)
}

// Account loads one customer.
func (s *Service) Account(ctx context.Context, id int64) (domain.Account, error) {
	return s.store.AccountByID(ctx, id)
}

// ContactDetail is a contact's page: who they are, the meetings they
// attended and the questions they raised.
type ContactDetail struct {
	Contact   domain.Contact
	Account   domain.Account
	Meetings  []read.MeetingRow
	Questions []read.QuestionRow
}

// ContactDetail loads a contact's page.
func (s *Service) ContactDetail(ctx context.Context, id int64) (ContactDetail, error) {
	var d ContactDetail
	var err error
	if d.Contact, d.Account, err = s.Contact(ctx, id); err != nil {
		return d, err
	}
	if d.Meetings, err = s.store.MeetingsOfContact(ctx, id, 50); err != nil {
		return d, err
	}
	d.Questions, err = s.store.QuestionsOfContact(ctx, id)
	return d, err
}

// Contacts lists one page of contacts with their accounts.
func (s *Service) Contacts(ctx context.Context, q string, archived bool, p read.Page) ([]read.ContactRow, int64, error) {
	return s.store.Contacts(ctx, q, archived, p)
}

// Contact loads one contact with their account.
func (s *Service) Contact(ctx context.Context, id int64) (domain.Contact, domain.Account, error) {
	c, err := s.store.ContactByID(ctx, id)
	if err != nil {
		return c, domain.Account{}, err
	}
	a, err := s.store.AccountByID(ctx, c.AccountID)
	return c, a, err
}

// MeetingDetail is what the meeting page shows.
type MeetingDetail struct {
	Owner           domain.User       // the deal's
	Members         []read.TeamMember // the deal's DevRel
	Meeting         domain.Meeting
	Deal            domain.Deal
	Account         domain.Account
	Team            domain.DealTeam
	Contacts        []domain.Contact // customer attendees
	Attendees       []domain.User    // internal attendees
	AccountContacts []domain.Contact
	Questions       []read.QuestionRow
	sync            syncRead // for SyncDetailOf
}

// MeetingDetail loads a meeting with its deal and attendees. As with the
// deal page, the one read last is used again while its deal's revision
// and the directory's are unchanged; what is returned is shared.
func (s *Service) MeetingDetail(ctx context.Context, id int64) (MeetingDetail, error) {
	m, _, err := s.meetingDetail(ctx, id)
	return m, err
}

// meetingDetail is MeetingDetail with the revision it is true at.
func (s *Service) meetingDetail(ctx context.Context, id int64) (MeetingDetail, read.Revision, error) {
	rev, err := s.store.MeetingRevision(ctx, id)
	if err != nil {
		return MeetingDetail{}, rev, err
	}
	now := s.now().UTC()
	m, err := s.meetings.through(keptKey{id: id}, rev, now, func() (MeetingDetail, time.Time, error) {
		m, err := s.readMeetingDetail(ctx, id)
		return m, now.Add(keptFor), err
	})
	return m, rev, err
}

// readMeetingDetail reads a meeting's page from the database.
func (s *Service) readMeetingDetail(ctx context.Context, id int64) (MeetingDetail, error) {
	st := s.store
	var m MeetingDetail
	var err error
	if m.Meeting, err = st.MeetingByID(ctx, id); err != nil {
		return m, err
	}
	if m.Deal, err = st.DealByID(ctx, m.Meeting.DealID); err != nil {
		return m, err
	}
	if m.Team, m.Members, err = st.TeamOf(ctx, m.Deal); err != nil {
		return m, err
	}
	if m.Owner, err = st.UserByID(ctx, m.Deal.OwnerID); err != nil {
		return m, err
	}
	if m.Account, err = st.AccountByID(ctx, m.Deal.AccountID); err != nil {
		return m, err
	}
	if m.Contacts, err = st.MeetingContacts(ctx, id); err != nil {
		return m, err
	}
	if m.Attendees, err = st.MeetingAttendees(ctx, id); err != nil {
		return m, err
	}
	if m.AccountContacts, err = st.ContactsOf(ctx, m.Account.ID); err != nil {
		return m, err
	}
	if m.Questions, err = st.Questions(ctx, m.Deal.ID, id); err != nil {
		return m, err
	}
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
func (s *Service) MeetingChoices(ctx context.Context, dealID int64) (MeetingFormChoices, error) {
	var c MeetingFormChoices
	var err error
	if c.Deal, err = s.store.DealByID(ctx, dealID); err != nil {
		return c, err
	}
	if c.Team, _, err = s.store.DealTeam(ctx, dealID); err != nil {
		return c, err
	}
	if c.Account, err = s.store.AccountByID(ctx, c.Deal.AccountID); err != nil {
		return c, err
	}
	if c.Contacts, err = s.store.ContactsOf(ctx, c.Deal.AccountID); err != nil {
		return c, err
	}
	users, err := s.store.Users(ctx, "")
	for _, u := range users {
		if u.Active {
			c.Users = append(c.Users, u)
		}
	}
	return c, err
}

// Agenda lists one page of meetings around now, and whether more follow.
func (s *Service) Agenda(ctx context.Context, f read.AgendaFilter) ([]read.MeetingRow, bool, error) {
	f.Now = time.Time{}
	return keptList(ctx, s, orgKey{what: "agenda", args: argsOf(f)}, func() ([]read.MeetingRow, bool, error) {
		f.Now = s.now().UTC()
		return s.store.Agenda(ctx, f)
	})
}

// Now is the service's clock, for pages that compare with it.
func (s *Service) Now() time.Time { return s.now().UTC() }

// SetTimeZone stores the zone a user reads and types times in.
func (s *Service) SetTimeZone(ctx context.Context, actor domain.User, tz string) error {
	if _, err := time.LoadLocation(tz); err != nil || tz == "" {
		return domain.ValidationErrors{"time_zone": "Choose a time zone from the list."}
	}
	return s.write(ctx, &actor, func(tx *store.Store) ([]Change, error) {
		if err := tx.SetTimeZone(ctx, actor.ID, tz, s.now().UTC()); err != nil {
			return nil, err
		}
		return []Change{{Event: domain.Event{Action: "updated", Entity: domain.EntityUser, EntityID: actor.ID,
			Before: "time_zone: " + actor.TimeZone, After: "time_zone: " + tz}}}, nil
	})
}

// DealMeetings lists a deal's meetings, those ahead first.
func (s *Service) DealMeetings(ctx context.Context, dealID int64) ([]read.MeetingRow, error) {
	if _, err := s.store.DealByID(ctx, dealID); err != nil {
		return nil, err
	}
	return s.store.MeetingsOfDeal(ctx, dealID, s.now().UTC())
}

// MeetingRow loads one meeting as lists show it, with its sync state.
func (s *Service) MeetingRow(ctx context.Context, id int64) (read.MeetingRow, error) {
	return s.store.MeetingRow(ctx, id)
}
