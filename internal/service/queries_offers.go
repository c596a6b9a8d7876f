package service

import (
	"context"
	"slices"
	"time"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
)

// OfferDetail is what an offer's page shows.
type OfferDetail struct {
	Offer    read.OfferRow
	Team     domain.DealTeam
	Meetings []read.MeetingRow // where it may be shared
	History  []read.TimelineEntry
	Promise  *read.PromiseRow // the promise it became
	Comments []read.CommentRow
}

// OfferDetail loads an offer for a viewer; not found when they may not
// see it.
func (s *Service) OfferDetail(ctx context.Context, viewer domain.User, id int64) (OfferDetail, error) {
	var d OfferDetail
	o, team, err := visibleOffer(ctx, s.store, viewer, id)
	if err != nil {
		return d, err
	}
	d.Team = team
	if d.Offer, err = s.store.OfferRow(ctx, o.ID); err != nil {
		return d, err
	}
	if d.Meetings, err = s.store.MeetingsOfDeal(ctx, o.DealID, s.now().UTC()); err != nil {
		return d, err
	}
	d.Meetings = slices.DeleteFunc(d.Meetings, func(m read.MeetingRow) bool { return m.Status == domain.MeetingCancelled })
	if d.History, err = s.store.EntityTimeline(ctx, domain.EntityOffer, id); err != nil {
		return d, err
	}
	if !domain.Can(viewer, domain.ActionSeeReserve, team) {
		d.History = slices.DeleteFunc(d.History, func(e read.TimelineEntry) bool { return e.TeamOnly })
	}
	if domain.Can(viewer, domain.ActionComment, domain.OfferSubject{Offer: o, Team: team}) { // the thread is the team's
		if d.Comments, err = s.store.CommentsOnOffer(ctx, id); err != nil {
			return d, err
		}
	}
	p, found, err := s.store.PromiseOfOffer(ctx, id)
	if found {
		d.Promise = &p
	}
	return d, err
}

// DealOffers lists the offers of a deal a viewer may see.
func (s *Service) DealOffers(ctx context.Context, viewer domain.User, dealID int64, team domain.DealTeam) ([]read.OfferRow, error) {
	return s.store.OffersOfDeal(ctx, dealID, domain.Can(viewer, domain.ActionSeeReserve, team))
}

// ReviewQueue lists the offers waiting for a salesperson's decision (all
// of them for a manager), oldest first.
func (s *Service) ReviewQueue(ctx context.Context, viewer domain.User, p read.Page) ([]read.OfferRow, int64, error) {
	return s.OffersByStatus(ctx, viewer, read.OfferFilter{Page: p})
}

// OffersByStatus lists offers in one status: a salesperson's own deals',
// or everyone's for a manager (who may see the reserve of every deal).
func (s *Service) OffersByStatus(ctx context.Context, viewer domain.User, f read.OfferFilter) ([]read.OfferRow, int64, error) {
	if err := domain.Authorize(viewer, domain.ActionReviewOffers, domain.Organisation{}); err != nil {
		return nil, 0, err
	}
	if !domain.Can(viewer, domain.ActionSeeAllDeals, domain.Organisation{}) {
		f.OwnerID, f.DevRelID = viewer.ID, 0 // their own deals, whatever was asked
	}
	if f.Status == "" {
		f.Status = domain.OfferProposed
	}
	if !f.Status.Listed() {
		return nil, 0, domain.ErrNotFound
	}
	return s.store.ReviewQueue(ctx, f)
}

// Promises lists one page of the promise register.
func (s *Service) Promises(ctx context.Context, f read.PromiseFilter) ([]read.PromiseRow, int64, error) {
	f.Now = s.now().UTC()
	return s.store.Promises(ctx, f)
}

// PromiseDetail is a promise's page.
type PromiseDetail struct {
	Promise read.PromiseRow
	Team    domain.DealTeam
	History []read.TimelineEntry
}

// PromiseDetail loads one promise with its history.
func (s *Service) PromiseDetail(ctx context.Context, id int64) (PromiseDetail, error) {
	var d PromiseDetail
	p, found, err := s.store.PromiseRow(ctx, id)
	if err != nil {
		return d, err
	}
	if !found {
		return d, domain.ErrNotFound
	}
	d.Promise = p
	if d.Team, _, err = s.store.DealTeam(ctx, p.DealID); err != nil {
		return d, err
	}
	d.History, err = s.store.EntityTimeline(ctx, domain.EntityPromise, id)
	return d, err
}

// QuestionDetail is a question's page.
type QuestionDetail struct {
	Question read.QuestionRow
	Deal     domain.Deal
	Team     domain.DealTeam
	Meeting  *domain.Meeting
}

// QuestionDetail loads one question with its deal.
func (s *Service) QuestionDetail(ctx context.Context, id int64) (QuestionDetail, error) {
	var d QuestionDetail
	var err error
	if d.Question, err = s.store.QuestionRow(ctx, id); err != nil {
		return d, err
	}
	q := d.Question
	if d.Deal, err = s.store.DealByID(ctx, q.DealID); err != nil {
		return d, err
	}
	if d.Team, _, err = s.store.DealTeam(ctx, q.DealID); err != nil {
		return d, err
	}
	if q.MeetingID != nil {
		if m, err := s.store.MeetingByID(ctx, *q.MeetingID); err == nil {
			d.Meeting = &m
		}
	}
	return d, nil
}

// OpenQuestionsOf lists open questions on the deals a DevRel carries.
func (s *Service) OpenQuestionsOf(ctx context.Context, u domain.User) ([]read.QuestionRow, error) {
	return s.store.OpenQuestionsOf(ctx, u.ID)
}

// Brief is the one-page plan for a meeting.
type Brief struct {
	MeetingDetail
	Sync        SyncDetail
	ShowReserve bool
	BriefPlan
}

// BriefPlan is what a brief adds to the meeting's page: the talking
// points by status, open questions, promises so far and the last outcome.
// It is the same for every viewer who sees the reserve, and for every one
// who does not.
type BriefPlan struct {
	Cleared     []read.OfferRow
	Reserved    []read.OfferRow
	Declined    []read.OfferRow
	Open        []read.QuestionRow
	Promises    []read.PromiseRow
	LastOutcome *read.MeetingRow
}

// Brief assembles a meeting's plan for a viewer. What is held in reserve
// is in it only for the deal team and managers. As with the meeting's
// page, the plan read last is used again while the deal's revision and
// the directory's are unchanged; what is returned is shared.
func (s *Service) Brief(ctx context.Context, viewer domain.User, meetingID int64) (Brief, error) {
	var b Brief
	var rev read.Revision
	var err error
	if b.MeetingDetail, rev, err = s.meetingDetail(ctx, meetingID); err != nil {
		return b, err
	}
	b.Sync = s.SyncDetailOf(viewer, b.MeetingDetail)
	b.ShowReserve = domain.Can(viewer, domain.ActionSeeReserve, b.Team)
	now := s.now().UTC()
	b.BriefPlan, _, err = s.briefs.through(keptKey{meetingID, b.ShowReserve}, rev, now, time.Time{}, func() (BriefPlan, time.Time, error) {
		plan, err := s.briefPlan(ctx, b.MeetingDetail, b.ShowReserve)
		return plan, now.Add(keptFor), err
	})
	return b, err
}

// briefPlan reads a brief's plan from the database.
func (s *Service) briefPlan(ctx context.Context, m MeetingDetail, reserve bool) (BriefPlan, error) {
	var b BriefPlan
	offers, err := s.store.OffersOfDeal(ctx, m.Deal.ID, reserve)
	if err != nil {
		return b, err
	}
	for _, o := range offers {
		switch o.Status {
		case domain.OfferCleared:
			b.Cleared = append(b.Cleared, o)
		case domain.OfferReserved:
			b.Reserved = append(b.Reserved, o)
		case domain.OfferDeclined:
			b.Declined = append(b.Declined, o)
		}
	}
	questions, err := s.store.Questions(ctx, m.Deal.ID, 0)
	if err != nil {
		return b, err
	}
	for _, q := range questions {
		if q.Status == domain.QuestionOpen {
			b.Open = append(b.Open, q)
		}
	}
	if b.Promises, _, err = s.store.Promises(ctx, read.PromiseFilter{DealID: m.Deal.ID, Page: read.Top(200)}); err != nil {
		return b, err
	}
	// The last outcome is the latest held meeting before this one: which
	// meetings are upcoming now does not change it.
	meetings, err := s.store.MeetingsOfDeal(ctx, m.Deal.ID, m.Meeting.StartsAt)
	if err != nil {
		return b, err
	}
	for i, o := range meetings {
		if o.Status == domain.MeetingHeld && o.ID != m.Meeting.ID && o.StartsAt.Before(m.Meeting.StartsAt) &&
			(b.LastOutcome == nil || o.StartsAt.After(b.LastOutcome.StartsAt)) {
			b.LastOutcome = &meetings[i]
		}
	}
	return b, nil
}
