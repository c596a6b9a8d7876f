package store

import (
	"context"

	"github.com/presale/presale/internal/domain"
)

// Reports loads events with what each is about as things stand now (its
// deal's team, the offer it or its comment concerns), for the domain to
// decide who may see them at the moment they leave. Four queries however
// many events.
func (s Events) Reports(ctx context.Context, eventIDs []int64) (map[int64]domain.Report, error) {
	out := map[int64]domain.Report{}
	if len(eventIDs) == 0 {
		return out, nil
	}
	var events []domain.Event
	if err := s.read(ctx).Where("id IN ?", dedupe(eventIDs)).Find(&events).Error; err != nil {
		return nil, err
	}
	var comments, offerIDs, dealIDs []int64
	for _, e := range events {
		switch e.Entity {
		case domain.EntityOffer:
			offerIDs = append(offerIDs, e.EntityID)
		case domain.EntityComment:
			comments = append(comments, e.EntityID)
		}
		if e.DealID != nil {
			dealIDs = append(dealIDs, *e.DealID)
		}
	}
	offerOf := map[int64]int64{} // comment id → its offer's
	if len(comments) > 0 {
		var rows []struct{ ID, OfferID int64 }
		if err := s.read(ctx).Table("comments").Select("id, offer_id").Where("id IN ? AND offer_id IS NOT NULL", dedupe(comments)).Scan(&rows).Error; err != nil {
			return nil, err
		}
		for _, r := range rows {
			offerOf[r.ID] = r.OfferID
			offerIDs = append(offerIDs, r.OfferID)
		}
	}
	offers := map[int64]domain.Offer{}
	if len(offerIDs) > 0 {
		var os []domain.Offer
		if err := s.read(ctx).Where("id IN ?", dedupe(offerIDs)).Find(&os).Error; err != nil {
			return nil, err
		}
		for _, o := range os {
			offers[o.ID] = o
		}
	}
	teams, titles, err := s.dealTeams(ctx, dealIDs)
	if err != nil {
		return nil, err
	}
	for _, e := range events {
		r := domain.Report{Event: e}
		if e.DealID != nil {
			r.Team, r.DealTitle = teams[*e.DealID], titles[*e.DealID]
		}
		id := e.EntityID
		if e.Entity == domain.EntityComment {
			id = offerOf[e.EntityID]
		}
		if o, ok := offers[id]; ok && (e.Entity == domain.EntityOffer || e.Entity == domain.EntityComment) {
			r.Offer = &o
		}
		out[e.ID] = r
	}
	return out, nil
}

// dealTeams are the teams of deals (owners and active DevRel) and their
// titles, in two queries.
func (s Events) dealTeams(ctx context.Context, dealIDs []int64) (map[int64]domain.DealTeam, map[int64]string, error) {
	teams, titles := map[int64]domain.DealTeam{}, map[int64]string{}
	if len(dealIDs) == 0 {
		return teams, titles, nil
	}
	var owners []struct {
		ID, OwnerID int64
		Title       string
	}
	if err := s.read(ctx).Table("deals").Select("id, owner_id, title").Where("id IN ?", dedupe(dealIDs)).Scan(&owners).Error; err != nil {
		return nil, nil, err
	}
	for _, d := range owners {
		teams[d.ID], titles[d.ID] = domain.DealTeam{DealID: d.ID, OwnerID: d.OwnerID}, d.Title
	}
	var devrel []struct{ DealID, UserID int64 }
	if err := s.read(ctx).Table("assignments").Select("deal_id, user_id").Where("deal_id IN ? AND active", dedupe(dealIDs)).Order("id").Scan(&devrel).Error; err != nil {
		return nil, nil, err
	}
	for _, a := range devrel {
		t := teams[a.DealID]
		t.DevRelIDs = append(t.DevRelIDs, a.UserID)
		teams[a.DealID] = t
	}
	return teams, titles, nil
}
