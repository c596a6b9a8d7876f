package service

import (
	"context"
	"fmt"
	"slices"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/store"
)

// CommentOnOffer adds to the conversation on an offer while it is open
// (a draft or proposed). The deal team talks it through, and only it (and
// managers) reads the thread; the proposer, the owner and anyone
// @mentioned who may read the thread are told.
func (s *Offers) CommentOnOffer(ctx context.Context, actor domain.User, offerID int64, body string) error {
	return s.write(ctx, &actor, func(tx *store.Store) ([]Change, error) {
		o, team, err := visibleOffer(ctx, tx, actor, offerID)
		if err != nil {
			return nil, err
		}
		subject := domain.OfferSubject{Offer: o, Team: team}
		if err := domain.Authorize(actor, domain.ActionComment, subject); err != nil {
			return nil, err
		}
		if !o.OpenForComment() {
			return nil, domain.Conflictf("This offer is %s, so its conversation is closed. Add a deal note instead.", o.Status.Label())
		}
		if body, err = domain.ParseCommentBody(body); err != nil {
			return nil, err
		}
		c := domain.Comment{DealID: o.DealID, OfferID: &o.ID, AuthorID: actor.ID, Body: body, CreatedAt: s.now().UTC()}
		if err := tx.Deals().CreateComment(ctx, &c); err != nil {
			return nil, err
		}
		tell := []int64{o.ProposedByID, team.OwnerID}
		mentioned, err := mentioned(ctx, tx, body, func(u domain.User) bool { return domain.Can(u, domain.ActionComment, subject) })
		if err != nil {
			return nil, err
		}
		ch := created(domain.EntityComment, c.ID, &o.DealID, domain.Snapshot{{Field: "on offer", New: o.Title}, {Field: "comment", New: body}})
		ch.Event.TeamOnly = true // the thread is the deal team's, whatever the offer's state
		ch.Notify = append(tell, mentioned...)
		ch.Text = fmt.Sprintf("%s commented on %q", actor.Name, o.Title)
		ch.Link = fmt.Sprintf("/offers/%d#comments", o.ID)
		return []Change{ch}, nil
	})
}

// mentioned lists the active users body @mentions who may see what it is
// written on; the rest are not told.
func mentioned(ctx context.Context, tx *store.Store, body string, maySee func(domain.User) bool) ([]int64, error) {
	users, err := tx.People().Users(ctx, "")
	if err != nil {
		return nil, err
	}
	users = slices.DeleteFunc(users, func(u domain.User) bool { return !u.Active })
	var ids []int64
	for _, u := range domain.Mentioned(body, users) {
		if maySee(u) {
			ids = append(ids, u.ID)
		}
	}
	return ids, nil
}
