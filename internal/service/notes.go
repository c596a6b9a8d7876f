package service

import (
	"context"
	"fmt"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/store"
)

// CommentOnNote replies to an internal note; like the note, only the deal
// team and managers see it. The note's author and those @mentioned who
// may see it are told.
func (s *Deals) CommentOnNote(ctx context.Context, actor domain.User, noteID int64, body string) (int64, error) {
	var dealID int64
	err := s.write(ctx, &actor, func(tx *store.Store) ([]Change, error) {
		n, err := tx.Deals().NoteByID(ctx, noteID)
		if err != nil {
			return nil, err
		}
		dealID = n.DealID
		team, err := dealAllows(ctx, tx, actor, n.DealID, domain.ActionAddNote)
		if err != nil {
			return nil, err
		}
		if body, err = domain.ParseCommentBody(body); err != nil {
			return nil, err
		}
		c := domain.Comment{DealID: n.DealID, NoteID: &n.ID, AuthorID: actor.ID, Body: body, CreatedAt: s.now().UTC()}
		if err := tx.Deals().CreateComment(ctx, &c); err != nil {
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
func (s *Deals) noteNews(ctx context.Context, tx *store.Store, actor domain.User, team domain.DealTeam, body string, ch Change) (Change, error) {
	mentioned, err := mentioned(ctx, tx, body, func(u domain.User) bool { return domain.Can(u, domain.ActionSeeReserve, team) })
	ch.Event.TeamOnly = true // internal notes stay with the deal team
	ch.Notify = mentioned
	ch.Text = fmt.Sprintf("%s wrote on a deal's internal notes", actor.Name)
	ch.Link = fmt.Sprintf("/deals/%d#notes", team.DealID)
	return ch, err
}
