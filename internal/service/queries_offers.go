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
func (s *Offers) OfferDetail(ctx context.Context, viewer domain.User, id int64) (OfferDetail, error) {
	var d OfferDetail
	o, team, err := visibleOffer(ctx, s.store, viewer, id)
	if err != nil {
		return d, err
	}
	d.Team = team
	if d.Offer, err = s.store.Offers().OfferRow(ctx, o.ID); err != nil {
		return d, err
	}
	if d.Meetings, err = s.store.Meetings().MeetingsOfDeal(ctx, o.DealID, s.now().UTC()); err != nil {
		return d, err
	}
	d.Meetings = slices.DeleteFunc(d.Meetings, func(m read.MeetingRow) bool { return m.Status == domain.MeetingCancelled })
	if d.History, err = s.store.Events().EntityTimeline(ctx, domain.EntityOffer, id); err != nil {
		return d, err
	}
	if !domain.Can(viewer, domain.ActionSeeReserve, team) {
		d.History = slices.DeleteFunc(d.History, func(e read.TimelineEntry) bool { return e.TeamOnly })
	}
	if domain.Can(viewer, domain.ActionComment, domain.OfferSubject{Offer: o, Team: team}) { // the thread is the team's
		if d.Comments, err = s.store.Deals().CommentsOnOffer(ctx, id); err != nil {
			return d, err
		}
	}
	p, found, err := s.store.Offers().PromiseOfOffer(ctx, id)
	if found {
		d.Promise = &p
	}
	return d, err
}

// DealOffers lists the offers of a deal a viewer may see.
func (s *Offers) DealOffers(ctx context.Context, viewer domain.User, dealID int64, team domain.DealTeam) ([]read.OfferRow, error) {
	return s.store.Offers().OffersOfDeal(ctx, dealID, domain.Can(viewer, domain.ActionSeeReserve, team))
}

// ReviewQueue lists the offers waiting for a salesperson's decision (all
// of them for a manager), oldest first.
func (s *Offers) ReviewQueue(ctx context.Context, viewer domain.User, p read.Page) ([]read.OfferRow, int64, error) {
	return s.OffersByStatus(ctx, viewer, read.OfferFilter{Page: p})
}

// OffersByStatus lists offers in one status: a salesperson's own deals',
// or everyone's for a manager (who may see the reserve of every deal).
func (s *Offers) OffersByStatus(ctx context.Context, viewer domain.User, f read.OfferFilter) ([]read.OfferRow, int64, error) {
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
	return s.store.Offers().ReviewQueue(ctx, f)
}

// Promises lists one page of the promise register: a read across the
// organisation, kept as the others are (OrganisationLag); a deal's
// promises are read exact.
func (s *Offers) Promises(ctx context.Context, f read.PromiseFilter) ([]read.PromiseRow, int64, error) {
	if f.DealID != 0 { // a deal's, as exact as its page
		f.Now = s.now().UTC()
		return s.store.Offers().Promises(ctx, f)
	}
	f.Now = time.Time{}
	return keptList(ctx, s.core, orgKey{what: "promises", args: argsOf(f)}, func(ctx context.Context) ([]read.PromiseRow, int64, error) {
		f.Now = s.now().UTC()
		return s.store.Offers().Promises(ctx, f)
	})
}

// PromiseDetail is a promise's page.
type PromiseDetail struct {
	Promise read.PromiseRow
	Team    domain.DealTeam
	History []read.TimelineEntry
}

// PromiseDetail loads one promise with its history.
func (s *Offers) PromiseDetail(ctx context.Context, id int64) (PromiseDetail, error) {
	var d PromiseDetail
	p, found, err := s.store.Offers().PromiseRow(ctx, id)
	if err != nil {
		return d, err
	}
	if !found {
		return d, domain.ErrNotFound
	}
	d.Promise = p
	if d.Team, _, err = s.store.Deals().DealTeam(ctx, p.DealID); err != nil {
		return d, err
	}
	d.History, err = s.store.Events().EntityTimeline(ctx, domain.EntityPromise, id)
	return d, err
}
