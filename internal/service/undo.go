package service

import (
	"cmp"
	"context"
	"fmt"
	"strconv"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/store"
)

// Undo takes back a one-click change its maker made within
// domain.UndoWindow, if nothing has moved the thing since. It returns the
// path of the thing.
func (s *Service) Undo(ctx context.Context, actor domain.User, u domain.Undo) (string, error) {
	if err := u.Allows(actor, s.now()); err != nil {
		return "", err
	}
	moved := domain.Conflictf("Someone changed it after you, so it was not undone. Open it to see where it stands.")
	switch u.Entity {
	case domain.EntityMeeting:
		_, err := s.Meetings.moveMeeting(ctx, actor, u.ID, func(m *domain.Meeting) error {
			if string(m.Status) != u.To {
				return moved
			}
			return m.Reopen()
		})
		return "/meetings/" + strconv.FormatInt(u.ID, 10), err
	case domain.EntityOffer:
		return "/offers/" + strconv.FormatInt(u.ID, 10), s.write(ctx, &actor, func(tx *store.Store) ([]Change, error) {
			o, _, err := visibleOffer(ctx, tx, actor, u.ID)
			if err != nil {
				return nil, err
			}
			if o.Version != u.Version || string(o.Status) != u.To {
				return nil, moved
			}
			if o.Status == domain.OfferAccepted {
				if p, found, err := tx.Offers().PromiseOfOffer(ctx, o.ID); err != nil {
					return nil, err
				} else if found {
					return nil, domain.Conflictf("This offer is in the promise register as %q, so its acceptance stays. Mark the promise dropped if the customer withdrew.", p.Text)
				}
			}
			prev := o.Undo(u)
			if prev.Status == domain.OfferReserved && prev.HoldTrigger == "" {
				if prev.HoldTrigger, err = lastTrigger(ctx, tx, o.ID); err != nil {
					return nil, err
				}
			}
			if u.Was.UpdatedAt.IsZero() {
				prev.UpdatedAt = s.now().UTC()
			}
			if ok, err := tx.Offers().MoveOffer(ctx, &prev, o.Version); err != nil || !ok {
				return nil, cmp.Or(err, moved)
			}
			c := changed(domain.EntityOffer, o.ID, &o.DealID, offerSnapshot(o, ""), offerSnapshot(prev, ""))
			for i := range c {
				c[i].Event.Action = "undo"
				c[i].Event.TeamOnly = o.Status == domain.OfferReserved || prev.Status == domain.OfferReserved
			}
			return c, nil
		})
	case domain.EntityPromise:
		_, err := s.Offers.changePromise(ctx, actor, u.ID, domain.ActionRecordPromise, "undo", func(p *domain.Promise, _ domain.Choices) error {
			if string(p.Status) != u.To {
				return moved
			}
			p.Status = domain.PromiseStatus(u.From)
			return nil
		}, store.Offers.SetPromiseStatus)
		return "/promises/" + strconv.FormatInt(u.ID, 10), err
	case domain.EntitySupportRequest:
		if u.To == string(domain.SupportClaimed) {
			// A claim is undone by stepping off again, if still holding it.
			_, _, err := s.Support.ReleaseSupport(ctx, actor, u.ID, false)
			return "/support-requests/" + strconv.FormatInt(u.ID, 10), err
		}
		// A release is undone by claiming again for who held it.
		holder, err := strconv.ParseInt(u.From, 10, 64)
		if err != nil {
			return "", domain.ErrNotFound
		}
		if holder == actor.ID {
			_, err = s.Support.ClaimSupport(ctx, actor, u.ID)
		} else {
			_, err = s.Support.AssignSupport(ctx, actor, u.ID, holder, true)
		}
		return "/support-requests/" + strconv.FormatInt(u.ID, 10), err
	case domain.EntitySavedView:
		return s.Deals.restoreView(ctx, actor, u)
	case domain.EntityTask:
		t, err := s.Deals.restoreTask(ctx, actor, u, moved)
		return fmt.Sprintf("/deals/%d#tasks", t.DealID), err
	case domain.EntityDeal, domain.EntityAccount, domain.EntityContact:
		if u.To == "archived" {
			_, err := s.SetArchived(ctx, actor, u.Entity, u.ID, false)
			return ArchivablePath(u.Entity, u.ID), err
		}
		if u.Entity == domain.EntityDeal && domain.Stage(u.To).Valid() {
			// A stage move goes back, if the deal is still as it left it.
			d, err := s.store.Deals().DealByID(ctx, u.ID)
			if err != nil {
				return "", err
			}
			if d.Version != u.Version || string(d.Stage) != u.To {
				return "", moved
			}
			_, _, _, err = s.Deals.MoveDeal(ctx, actor, u.ID, d.Version, domain.Stage(u.From), domain.DealLoss{Reason: d.LostReason, Note: d.LostNote})
			return ArchivablePath(u.Entity, u.ID), err
		}
	}
	return "", domain.ErrNotFound
}

// lastTrigger is the trigger of an offer's latest hold, from its event: a
// release takes the trigger off the offer, and undoing it puts it back.
func lastTrigger(ctx context.Context, tx *store.Store, offerID int64) (string, error) {
	es, err := tx.Events().EventsFor(ctx, domain.EntityOffer, offerID)
	for i := len(es) - 1; i >= 0 && err == nil; i-- {
		if es[i].Action != string(domain.OfferHold) {
			continue
		}
		for _, c := range domain.DecodeChanges(es[i].Before, es[i].After) {
			if c.Field == "trigger" {
				return c.New, nil
			}
		}
	}
	return "", err
}
