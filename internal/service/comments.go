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
func (s *Service) CommentOnOffer(ctx context.Context, actor domain.User, offerID int64, body string) error {
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
		if err := tx.CreateComment(ctx, &c); err != nil {
			return nil, err
		}
		tell := []int64{o.ProposedByID, team.OwnerID}
		mentioned, err := s.mentioned(ctx, tx, body, func(u domain.User) bool { return domain.Can(u, domain.ActionComment, subject) })
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

// CommentOnNote replies to an internal note; like the note, only the deal
// team and managers see it. The note's author and those @mentioned who
// may see it are told.
func (s *Service) CommentOnNote(ctx context.Context, actor domain.User, noteID int64, body string) (int64, error) {
	var dealID int64
	err := s.write(ctx, &actor, func(tx *store.Store) ([]Change, error) {
		n, err := tx.NoteByID(ctx, noteID)
		if err != nil {
			return nil, err
		}
		dealID = n.DealID
		team, err := s.dealAllows(ctx, tx, actor, n.DealID, domain.ActionAddNote)
		if err != nil {
			return nil, err
		}
		if body, err = domain.ParseCommentBody(body); err != nil {
			return nil, err
		}
		c := domain.Comment{DealID: n.DealID, NoteID: &n.ID, AuthorID: actor.ID, Body: body, CreatedAt: s.now().UTC()}
		if err := tx.CreateComment(ctx, &c); err != nil {
			return nil, err
		}
		ch, err := s.noteNews(ctx, tx, actor, team, body, created(domain.EntityComment, c.ID, &n.DealID, domain.Snapshot{{Field: "comment", New: body}}))
		ch.Notify = append(ch.Notify, n.AuthorID)
		return []Change{ch}, err
	})
	return dealID, err
}

// noteNews makes a note or a reply to one team-only news: those
// @mentioned who may see the deal's notes are told.
func (s *Service) noteNews(ctx context.Context, tx *store.Store, actor domain.User, team domain.DealTeam, body string, ch Change) (Change, error) {
	mentioned, err := s.mentioned(ctx, tx, body, func(u domain.User) bool { return domain.Can(u, domain.ActionSeeReserve, team) })
	ch.Event.TeamOnly = true // internal notes stay with the deal team
	ch.Notify = mentioned
	ch.Text = fmt.Sprintf("%s wrote on a deal's internal notes", actor.Name)
	ch.Link = fmt.Sprintf("/deals/%d#notes", team.DealID)
	return ch, err
}

// mentioned lists the active users body @mentions who may see what it is
// written on; the rest are not told.
func (s *Service) mentioned(ctx context.Context, tx *store.Store, body string, maySee func(domain.User) bool) ([]int64, error) {
	users, err := tx.Users(ctx, "")
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
