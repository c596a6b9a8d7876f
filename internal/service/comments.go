package service

import (
	"context"
	"fmt"
	"slices"
	"strings"

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

// CommentToEdit is a comment its author is about to change, and where it
// stands (the page its conversation is on, at the conversation).
func (s *Deals) CommentToEdit(ctx context.Context, actor domain.User, id int64) (domain.Comment, string, error) {
	c, err := s.store.Deals().CommentByID(ctx, id)
	if err != nil {
		return c, "", err
	}
	_, where, err := editableComment(ctx, s.store, actor, c)
	return c, where, err
}

// EditComment changes a comment's words: its author's, while they may
// still write where it stands (on a deal's notes, or on an offer whose
// conversation is open), from a page at version. Readers see it marked
// edited; the change is the deal team's, like the comment; those the new
// words @mention and who may read it are told.
func (s *Deals) EditComment(ctx context.Context, actor domain.User, id, version int64, body string) (domain.Comment, string, error) {
	var (
		c     domain.Comment
		where string
	)
	err := s.write(ctx, &actor, func(tx *store.Store) ([]Change, error) {
		var err error
		if c, err = tx.Deals().CommentByID(ctx, id); err != nil {
			return nil, err
		}
		var subject domain.CommentSubject
		if subject, where, err = editableComment(ctx, tx, actor, c); err != nil {
			return nil, err
		}
		if body, err = domain.ParseCommentBody(body); err != nil {
			return nil, err
		}
		before := c.Body
		if body == before {
			return nil, nil // nothing changed: nothing to record
		}
		now := s.now().UTC()
		c.Body, c.EditedAt = body, &now
		if ok, err := tx.Deals().EditComment(ctx, &c, version); err != nil || !ok {
			return nil, refuseStale(ctx, tx, err, domain.EntityComment, id, version)
		}
		chs := changed(domain.EntityComment, c.ID, &c.DealID, domain.Snapshot{{Field: "comment", New: before}}, domain.Snapshot{{Field: "comment", New: body}})
		ch := chs[0]
		ch.Event.TeamOnly = true // as the comment is
		// Those the edit names for the first time, if they may read it.
		mayRead := func(u domain.User) bool { return domain.Can(u, domain.ActionSeeReserve, subject.Team) }
		if subject.Offer != nil {
			mayRead = func(u domain.User) bool {
				return domain.Can(u, domain.ActionComment, domain.OfferSubject{Offer: *subject.Offer, Team: subject.Team})
			}
		}
		named, err := mentioned(ctx, tx, body, mayRead)
		if err != nil {
			return nil, err
		}
		was, err := mentioned(ctx, tx, before, mayRead)
		if err != nil {
			return nil, err
		}
		for _, uid := range named {
			if !slices.Contains(was, uid) {
				ch.Notify = append(ch.Notify, uid)
			}
		}
		ch.Text = fmt.Sprintf("%s mentioned you in a comment they changed", actor.Name)
		ch.Link = where
		return []Change{ch}, nil
	})
	return c, where, err
}

// commentSubject is a comment where it stands, as actor finds it: on an
// offer actor may not see, it is not found.
func commentSubject(ctx context.Context, tx *store.Store, actor domain.User, c domain.Comment) (domain.CommentSubject, error) {
	subject := domain.CommentSubject{Comment: c}
	if c.OfferID != nil {
		o, team, err := visibleOffer(ctx, tx, actor, *c.OfferID)
		subject.Offer, subject.Team = &o, team
		return subject, err
	}
	team, _, err := tx.Deals().DealTeam(ctx, c.DealID)
	subject.Team = team
	return subject, err
}

// editableComment says whether actor may change c now, and where it
// stands: its author, on the deal team, while its offer's conversation is
// open.
func editableComment(ctx context.Context, tx *store.Store, actor domain.User, c domain.Comment) (domain.CommentSubject, string, error) {
	subject, err := commentSubject(ctx, tx, actor, c)
	if err != nil {
		return subject, "", err
	}
	if err := domain.Authorize(actor, domain.ActionEditComment, subject); err != nil {
		return subject, "", err
	}
	if o := subject.Offer; o != nil {
		if !o.OpenForComment() {
			return subject, "", domain.Conflictf("This offer is %s, so its conversation is closed and its comments stay as they were.", strings.ToLower(o.Status.Label()))
		}
		return subject, fmt.Sprintf("/offers/%d#comments", o.ID), nil
	}
	return subject, fmt.Sprintf("/deals/%d#deal-notes", c.DealID), nil
}
