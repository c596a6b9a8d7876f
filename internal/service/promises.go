package service

import (
	"context"
	"fmt"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/store"
)

func promiseSnapshot(p domain.Promise, areas domain.Choices) domain.Snapshot {
	due := ""
	if p.DueDate != nil {
		due = p.DueDate.Format(domain.DateLayout)
	}
	return domain.Snapshot{{Field: "promise", New: p.Text}, {Field: "kind", New: string(p.Kind)}, {Field: "due_date", New: due},
		{Field: "product_area", New: areaLabel(areas, p.ProductArea)},
		{Field: "feasibility", New: string(p.Feasibility)}, {Field: "feasibility_note", New: p.FeasibilityNote}, {Field: "status", New: string(p.Status)}}
}

// RecordPromise adds what was promised to the customer to the register;
// the deal's DevRel are asked to rate it.
func (s *Offers) RecordPromise(ctx context.Context, actor domain.User, dealID int64, in domain.PromiseInput) (domain.Promise, error) {
	var p domain.Promise
	err := s.write(ctx, &actor, func(tx *store.Store) ([]Change, error) {
		team, err := dealAllows(ctx, tx, actor, dealID, domain.ActionRecordPromise)
		if err != nil {
			return nil, err
		}
		var c []Change
		p, c, err = s.newPromise(ctx, tx, actor, team, in, nil)
		return c, err
	})
	return p, err
}

// newPromise checks and writes a promise on the team's deal, from an
// offer when one is given.
func (s *Offers) newPromise(ctx context.Context, tx *store.Store, actor domain.User, team domain.DealTeam, in domain.PromiseInput, offerID *int64) (domain.Promise, []Change, error) {
	now := s.now().UTC()
	p := domain.Promise{DealID: team.DealID, OfferID: offerID, MadeByID: actor.ID, OwnerID: team.OwnerID, CreatedAt: now, UpdatedAt: now}
	var err error
	if in.Areas, err = tx.Organisation().Choices(ctx, domain.ListProductAreas); err != nil {
		return p, nil, err
	}
	if err := in.Apply(&p); err != nil {
		return p, nil, err
	}
	errs := domain.ValidationErrors{}
	if owner, err := tx.People().UserByID(ctx, p.OwnerID); err != nil || !owner.Active {
		errs.Add("owner_id", "Choose an active person to own the promise.")
	}
	if p.MeetingID != nil {
		if m, err := tx.Meetings().MeetingByID(ctx, *p.MeetingID); err != nil || m.DealID != team.DealID {
			errs.Add("meeting_id", "Choose one of this deal's meetings.")
		}
	}
	if err := errs.Err(); err != nil {
		return p, nil, err
	}
	if err := tx.Offers().CreatePromise(ctx, &p); err != nil {
		return p, nil, err
	}
	c := created(domain.EntityPromise, p.ID, &p.DealID, promiseSnapshot(p, in.Areas))
	c.Event.Action = "recorded"
	c.Notify, c.Text, c.Link = team.DevRelIDs, fmt.Sprintf("Promise to rate: %q", p.Text), fmt.Sprintf("/promises/%d", p.ID)
	return p, []Change{c}, nil
}

// ReviewPromise records DevRel's feasibility rating of a promise and,
// when area is given, the product area it is about (empty for none).
func (s *Offers) ReviewPromise(ctx context.Context, actor domain.User, id int64, f domain.Feasibility, note string, area *string) (domain.Promise, error) {
	return s.changePromise(ctx, actor, id, domain.ActionReviewPromise, "reviewed",
		func(p *domain.Promise, areas domain.Choices) error {
			return withArea(p.Review(f, note, actor, s.now().UTC()), areas, area, &p.ProductArea)
		}, store.Offers.ReviewPromise)
}

// SetPromiseStatus marks a promise kept or dropped (or open again), and
// returns how to take that back.
func (s *Offers) SetPromiseStatus(ctx context.Context, actor domain.User, id int64, status domain.PromiseStatus) (domain.Promise, domain.Undo, error) {
	var from domain.PromiseStatus
	p, err := s.changePromise(ctx, actor, id, domain.ActionRecordPromise, "updated",
		func(p *domain.Promise, _ domain.Choices) error {
			if !status.Valid() {
				return domain.ValidationErrors{"status": "Choose open, kept or dropped."}
			}
			from, p.Status = p.Status, status
			return nil
		}, store.Offers.SetPromiseStatus)
	return p, domain.Undo{Entity: domain.EntityPromise, ID: id, From: string(from), To: string(status), By: actor.ID, At: s.now()}, err
}

// changePromise applies one change to a promise and writes only the
// columns that change owns (save), so a rating and a status change made
// at once are both kept.
func (s *Offers) changePromise(ctx context.Context, actor domain.User, id int64, action domain.Action, verb string,
	change func(*domain.Promise, domain.Choices) error, save func(store.Offers, context.Context, *domain.Promise) error) (domain.Promise, error) {
	var p domain.Promise
	err := s.write(ctx, &actor, func(tx *store.Store) ([]Change, error) {
		var err error
		if p, err = tx.Offers().PromiseByID(ctx, id); err != nil {
			return nil, err
		}
		if _, err := dealAllows(ctx, tx, actor, p.DealID, action); err != nil {
			return nil, err
		}
		areas, err := tx.Organisation().Choices(ctx, domain.ListProductAreas)
		if err != nil {
			return nil, err
		}
		before := promiseSnapshot(p, areas)
		if err := change(&p, areas); err != nil {
			return nil, err
		}
		p.UpdatedAt = s.now().UTC()
		if err := save(tx.Offers(), ctx, &p); err != nil {
			return nil, err
		}
		c := changed(domain.EntityPromise, p.ID, &p.DealID, before, promiseSnapshot(p, areas))
		if len(c) > 0 {
			c[0].Event.Action = verb
			c[0].Notify, c[0].Text, c[0].Link = []int64{p.OwnerID}, fmt.Sprintf("Promise %q: %s", p.Text, p.Feasibility.Label()), fmt.Sprintf("/promises/%d", p.ID)
		}
		return c, nil
	})
	return p, err
}
