package service

import (
	"context"
	"errors"
	"fmt"

	"github.com/presale/presale/internal/read"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/store"
)

func offerSnapshot(o domain.Offer, meeting string) domain.Snapshot {
	return domain.Snapshot{{Field: "title", New: o.Title}, {Field: "kind", New: string(o.Kind)}, {Field: "estimated_effort", New: o.EstimatedEffort},
		{Field: "status", New: string(o.Status)}, {Field: "trigger", New: o.HoldTrigger}, {Field: "decline_reason", New: o.DeclineReason},
		{Field: "shared_at", New: meeting}}
}

// visibleOffer loads an offer and its deal team, as not found for anyone
// who may not see it: a reserved idea does not exist outside the team.
func visibleOffer(ctx context.Context, tx *store.Store, actor domain.User, id int64) (domain.Offer, domain.DealTeam, error) {
	o, err := tx.Offers().OfferByID(ctx, id)
	if err != nil {
		return o, domain.DealTeam{}, err
	}
	team, _, err := tx.Deals().DealTeam(ctx, o.DealID)
	if err != nil {
		return o, team, err
	}
	if !domain.Can(actor, domain.ActionViewOffer, domain.OfferSubject{Offer: o, Team: team}) {
		return o, team, domain.ErrNotFound
	}
	return o, team, nil
}

// Offers are the use cases of offers and what they promise: proposing
// and moving offers, their comments (comments.go), the promise register
// (promises.go), and what their pages read (queries_offers.go).
type Offers struct {
	*core
	people *People // who may own a promise
}

// ProposeOffer records a DevRel idea on a deal as a draft, and submits it
// for the salesperson's review when submit is set.
func (s *Offers) ProposeOffer(ctx context.Context, actor domain.User, dealID int64, in domain.OfferProposal, submit bool) (domain.Offer, error) {
	var o domain.Offer
	err := s.write(ctx, &actor, func(tx *store.Store) ([]Change, error) {
		team, err := dealAllows(ctx, tx, actor, dealID, domain.ActionProposeOffer)
		if err != nil {
			return nil, err
		}
		now := s.now().UTC()
		o = domain.Offer{DealID: dealID, ProposedByID: actor.ID, Status: domain.OfferDraft, CreatedAt: now, UpdatedAt: now}
		if err := in.Apply(&o); err != nil {
			return nil, err
		}
		if err := tx.Offers().CreateOffer(ctx, &o); err != nil {
			return nil, err
		}
		changes := []Change{created(domain.EntityOffer, o.ID, &dealID, offerSnapshot(o, ""))}
		if !submit {
			return changes, nil
		}
		more, err := s.moveOffer(ctx, tx, actor, team, o, domain.OfferSubmit, domain.OfferInput{})
		if err != nil {
			return nil, err
		}
		o, _ = tx.Offers().OfferByID(ctx, o.ID)
		return append(changes, more...), nil
	})
	return o, err
}

// MoveOffer takes one step of the offer lifecycle, as the domain decides.
// It returns how to take the step back.
func (s *Offers) MoveOffer(ctx context.Context, actor domain.User, id int64, action domain.OfferAction, in domain.OfferInput) (domain.Offer, domain.Undo, error) {
	var (
		o    domain.Offer
		undo domain.Undo
	)
	err := s.write(ctx, &actor, func(tx *store.Store) ([]Change, error) {
		current, team, err := visibleOffer(ctx, tx, actor, id)
		if err != nil {
			return nil, err
		}
		changes, err := s.moveOffer(ctx, tx, actor, team, current, action, in)
		if err != nil {
			return nil, err
		}
		o, err = tx.Offers().OfferByID(ctx, id)
		undo = domain.Undo{Entity: domain.EntityOffer, ID: id, From: string(current.Status), To: string(o.Status), Version: o.Version, By: actor.ID, At: s.now(),
			Was: current.UndoWasOf()}
		return changes, err
	})
	return o, undo, err
}

func (s *Offers) moveOffer(ctx context.Context, tx *store.Store, actor domain.User, team domain.DealTeam, o domain.Offer, action domain.OfferAction, in domain.OfferInput) ([]Change, error) {
	now := s.now().UTC()
	next, err := domain.OfferMove{Offer: o, Action: action, Actor: actor, Team: team, Input: in}.Decide(now)
	if err != nil {
		return nil, err
	}
	meeting := ""
	if action == domain.OfferShare {
		m, err := tx.Meetings().MeetingByID(ctx, *next.SharedMeetingID)
		if errors.Is(err, domain.ErrNotFound) || err == nil && m.DealID != o.DealID {
			return nil, domain.ValidationErrors{"meeting_id": "Choose one of this deal's meetings."}
		} else if err != nil {
			return nil, err
		}
		meeting = m.Title
	}
	next.UpdatedAt = now
	ok, err := tx.Offers().MoveOffer(ctx, &next, o.Version)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, domain.Conflictf("Someone moved this offer meanwhile. Reload to see where it stands.")
	}
	c := changed(domain.EntityOffer, o.ID, &o.DealID, offerSnapshot(o, ""), offerSnapshot(next, meeting))[0]
	c.Event.Action = string(action)
	// The reserve and its trigger stay with the deal team.
	c.Event.TeamOnly = o.Status == domain.OfferReserved || next.Status == domain.OfferReserved
	c.Link = fmt.Sprintf("/offers/%d", o.ID)
	c.TeamOnly = true
	switch action {
	case domain.OfferSubmit:
		c.Notify, c.Text = []int64{team.OwnerID}, fmt.Sprintf("%s proposed %q for your review", actor.Name, o.Title)
	case domain.OfferClear, domain.OfferHold, domain.OfferRelease, domain.OfferDecline:
		c.Notify, c.Text = []int64{o.ProposedByID}, fmt.Sprintf("%s %s your offer %q", actor.Name, domain.Event{Action: string(action)}.Verb(), o.Title)
	default:
		c.Notify, c.Text = []int64{team.OwnerID, o.ProposedByID}, fmt.Sprintf("%s: %q %s", actor.Name, o.Title, domain.Event{Action: string(action)}.Verb())
	}
	return []Change{c}, nil
}

// OfferToPromise records an accepted offer in the promise register, once,
// as the person reviewed it in the prefilled form (PromiseDraft).
func (s *Offers) OfferToPromise(ctx context.Context, actor domain.User, id int64, in domain.PromiseInput) (domain.Promise, error) {
	var p domain.Promise
	err := s.write(ctx, &actor, func(tx *store.Store) ([]Change, error) {
		o, team, err := promisableOffer(ctx, tx, actor, id)
		if err != nil {
			return nil, err
		}
		var c []Change
		p, c, err = s.newPromise(ctx, tx, actor, team, in, &o.ID)
		return c, err
	})
	return p, err
}

// promisableOffer is an accepted offer the actor may record as a promise
// and that is not one yet.
func promisableOffer(ctx context.Context, tx *store.Store, actor domain.User, id int64) (domain.Offer, domain.DealTeam, error) {
	o, team, err := visibleOffer(ctx, tx, actor, id)
	if err != nil {
		return o, team, err
	}
	if err := domain.Authorize(actor, domain.ActionRecordPromise, team); err != nil {
		return o, team, err
	}
	if o.Status != domain.OfferAccepted {
		return o, team, domain.Conflictf("Only an accepted offer becomes a promise; this one is %s.", o.Status.Label())
	}
	if existing, found, err := tx.Offers().PromiseOfOffer(ctx, o.ID); err != nil {
		return o, team, err
	} else if found {
		return o, team, domain.Conflictf("This offer is already in the promise register: %q.", existing.Text)
	}
	return o, team, nil
}

// PromiseDraft is the promise form of an accepted offer, filled in from
// the offer and its deal for the person to review.
type PromiseDraft struct {
	Offer    domain.Offer
	Input    domain.PromiseInput
	Owners   []domain.User
	Meetings []read.MeetingRow
}

// PromiseDraft prefills the promise an accepted offer becomes.
func (s *Offers) PromiseDraft(ctx context.Context, actor domain.User, id int64) (PromiseDraft, error) {
	var d PromiseDraft
	o, team, err := promisableOffer(ctx, s.store, actor, id)
	if err != nil {
		return d, err
	}
	deal, err := s.store.Deals().DealByID(ctx, o.DealID)
	if err != nil {
		return d, err
	}
	d.Offer, d.Input = o, o.PromiseDraft(team.OwnerID, deal.ExpectedCloseDate)
	if d.Owners, err = s.people.Owners(ctx); err != nil {
		return d, err
	}
	d.Meetings, err = s.store.Meetings().MeetingsOfDeal(ctx, o.DealID, s.now().UTC())
	return d, err
}
