package service

import (
	"context"
	"time"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
)

// The read side: what each page shows, loaded in a few queries. Anything
// a viewer may not see is left out here, not in the templates.

// DealDetail is everything the deal page shows.
type DealDetail struct {
	Deal      domain.Deal
	Account   domain.Account
	Owner     read.Person
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
	Owners    []read.Person     // who may own a promise (store.OwnerChoices)
	// NoteComments are the replies to each internal note, by note id.
	NoteComments map[int64][]read.CommentRow
	// Lists read the deal's lost reason and its questions' and promises'
	// product areas by their labels (a rename changes the directory's
	// revision, so the page is read again).
	Lists domain.Lists
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
func (s *Deals) DealDetail(ctx context.Context, viewer domain.User, id int64) (DealDetail, error) {
	rev, err := s.store.Deals().DealRevision(ctx, id)
	if err != nil {
		return DealDetail{}, err
	}
	now := s.now().UTC()
	for _, team := range []bool{true, false} {
		kept, _, ok := s.dealPages.get(keptKey{id, team}, rev, now, time.Time{})
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
	d, team, err := s.dealDetail(ctx, viewer, id, rev, now)
	if err == nil {
		s.dealPages.put(keptKey{id, team}, rev, now, until(d.Meetings, now), d)
	}
	return d, err
}

// dealDetail reads a deal's page from the database, and whether it is
// the deal team's view.
func (s *Deals) dealDetail(ctx context.Context, viewer domain.User, id int64, rev read.Revision, now time.Time) (DealDetail, bool, error) {
	st := s.store
	var d DealDetail
	var err error
	if d.Deal, err = st.Deals().DealByID(ctx, id); err != nil {
		return d, false, err
	}
	if d.Team, d.Members, d.Former, err = st.Deals().TeamAndFormer(ctx, d.Deal); err != nil {
		return d, false, err
	}
	if !domain.Can(viewer, domain.ActionReadDeal, d.Team) {
		return d, false, domain.ErrNotFound
	}
	if d.Account, err = st.Accounts().AccountByID(ctx, d.Deal.AccountID); err != nil {
		return d, false, err
	}
	owner, err := st.People().UserByID(ctx, d.Deal.OwnerID)
	if err != nil {
		return d, false, err
	}
	d.Owner = read.PersonOf(owner)
	if d.Meetings, err = st.Meetings().MeetingsOfDeal(ctx, id, now); err != nil {
		return d, false, err
	}
	dir, err := s.directoryAt(ctx, rev.Directory)
	if err != nil {
		return d, false, err
	}
	d.Lists, d.Owners = dir.lists, read.PeopleOf(dir.owners)
	if d.Questions, err = st.Meetings().Questions(ctx, id, 0); err != nil {
		return d, false, err
	}
	team := domain.Can(viewer, domain.ActionSeeReserve, d.Team)
	if d.Offers, err = st.Offers().OffersOfDeal(ctx, id, team); err != nil {
		return d, team, err
	}
	if d.Promises, _, err = st.Offers().Promises(ctx, read.PromiseFilter{DealID: id, Page: read.Top(200)}); err != nil {
		return d, team, err
	}
	if team {
		if d.Notes, err = st.Deals().NotesOf(ctx, id); err != nil {
			return d, team, err
		}
		comments, err := st.Deals().CommentsOnNotes(ctx, id)
		if err != nil {
			return d, team, err
		}
		d.NoteComments = map[int64][]read.CommentRow{}
		for _, c := range comments {
			d.NoteComments[*c.NoteID] = append(d.NoteComments[*c.NoteID], c)
		}
	}
	if d.Tasks, err = st.Deals().TasksOfDeal(ctx, id); err != nil {
		return d, team, err
	}
	if d.Support, err = st.Support().DealSupportRequests(ctx, id, now); err != nil {
		return d, team, err
	}
	d.Timeline, err = st.Events().DealTimeline(ctx, id, team, TimelineLength)
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
func (s *Deals) Pipeline(ctx context.Context, f read.DealFilter) (PipelinePage, error) {
	return keptOrgRead(ctx, s.core, orgKey{what: "pipeline", args: argsOf(f)}, func(ctx context.Context) (PipelinePage, error) { return s.readPipeline(ctx, f) })
}

// DealsPage is the pipeline's page as people see it: a page of deals,
// and who may own them (the owner filter's choices).
type DealsPage struct {
	PipelinePage
	Owners []domain.User
}

// DealsPage loads the pipeline's page, kept as Pipeline is.
func (s *Deals) DealsPage(ctx context.Context, f read.DealFilter) (DealsPage, error) {
	return keptOrgRead(ctx, s.core, orgKey{what: "deals page", args: argsOf(f)}, func(ctx context.Context) (DealsPage, error) {
		var d DealsPage
		var err error
		if d.PipelinePage, err = s.readPipeline(ctx, f); err != nil {
			return d, err
		}
		d.Owners, err = s.people.Owners(ctx)
		return d, err
	})
}

// readPipeline reads one page of deals from the database.
func (s *Deals) readPipeline(ctx context.Context, f read.DealFilter) (PipelinePage, error) {
	money, err := s.organisation.Money(ctx)
	if err != nil {
		return PipelinePage{}, err
	}
	return s.pipeline(ctx, f, money)
}

// pipeline lists one page of deals with the money already read.
func (s *Deals) pipeline(ctx context.Context, f read.DealFilter, money Money) (PipelinePage, error) {
	rows, sums, err := s.store.Deals().Deals(ctx, money.priced(f))
	return money.pageOf(rows, sums), err
}

// priced is f with what the store converts and weighs amounts by.
func (m Money) priced(f read.DealFilter) read.DealFilter {
	f.AmountFactors, f.StagePercents, f.Watch = m.Rates.Factors(), m.Probabilities, m.Rates.OldCurrencies()
	return f
}

// pageOf is rows with what the deals matching add up to in the reporting
// currency.
func (m Money) pageOf(rows []read.DealRow, sums read.DealSums) PipelinePage {
	return PipelinePage{Rows: rows, Total: sums.Deals,
		Value:    m.Rates.Figure(sums.Value, sums.Unrated, sums.Watched),
		Weighted: m.Rates.Figure(sums.Weighted, sums.Unrated, sums.Watched)}
}

// DealFormChoices are the options of the deal form.
type DealFormChoices struct {
	Accounts read.AccountChoices
	Owners   []domain.User
}

// DealChoices loads the deal form's options: the accounts whose name
// holds q (the first by name when q is ""), those named in the form
// among them.
func (s *Deals) DealChoices(ctx context.Context, q string, accounts ...int64) (DealFormChoices, error) {
	var c DealFormChoices
	var err error
	if c.Accounts, err = s.accounts.AccountChoices(ctx, q, 0, accounts...); err != nil {
		return c, err
	}
	c.Owners, err = s.people.Owners(ctx)
	return c, err
}

// Deal loads one deal with its team, for forms.
func (s *Deals) Deal(ctx context.Context, id int64) (domain.Deal, domain.DealTeam, error) {
	d, err := s.store.Deals().DealByID(ctx, id)
	if err != nil {
		return d, domain.DealTeam{}, err
	}
	team, _, err := s.store.Deals().DealTeam(ctx, id)
	return d, team, err
}
