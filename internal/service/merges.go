package service

import (
	"cmp"
	"context"
	"strconv"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
	"github.com/presale/presale/internal/store"
)

// DuplicateAccountError is a new account refused because it looks like
// one that exists; the form shows them and may be sent again knowingly.
type DuplicateAccountError struct{ Matches []domain.Account }

func (e *DuplicateAccountError) Error() string {
	return "An account like this exists already. Open it instead, or confirm that this is a different company."
}

// MergeAccount moves the account's contacts, deals and history into
// another, and archives it. The newest merge can be undone.
func (s *Accounts) MergeAccount(ctx context.Context, actor domain.User, from, into int64) error {
	if err := canManageAccounts(actor); err != nil {
		return err
	}
	if from == into {
		return domain.ValidationErrors{"into_id": "Choose another account to merge into."}
	}
	return s.write(ctx, &actor, func(tx *store.Store) ([]Change, error) {
		a, err := tx.Accounts().AccountByID(ctx, from)
		if err != nil {
			return nil, err
		}
		b, err := tx.Accounts().AccountByID(ctx, into)
		if err != nil || b.ArchivedAt != nil {
			return nil, domain.ValidationErrors{"into_id": "Choose a live account to merge into."}
		}
		m, ok, err := tx.Accounts().MergeAccount(ctx, from, into, actor.ID, s.now().UTC(), func(owners []int64) error {
			return domain.Authorize(actor, domain.ActionMergeAccount, domain.AccountMerge{DealOwnerIDs: owners})
		})
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, domain.Conflictf("%q is archived (merged or put away meanwhile); restore it before merging it.", a.Name)
		}
		_, after := domain.EncodeChanges([]domain.FieldChange{{Field: "merged in", New: a.Name},
			{Field: "contacts moved", New: strconv.Itoa(len(read.IDList(m.ContactIDs)))}, {Field: "deals moved", New: strconv.Itoa(len(read.IDList(m.DealIDs)))}})
		return []Change{{Event: domain.Event{Action: "merged", Entity: domain.EntityAccount, EntityID: into, After: after}}}, nil
	})
}

// LatestMerge is the merge that can be undone now, if any is.
func (s *Accounts) LatestMerge(ctx context.Context) (read.AccountMerge, bool, error) {
	m, ok, err := s.store.Accounts().LatestMerge(ctx)
	return m, ok && m.UndoneAt == nil, err
}

// UndoMerge takes back the newest merge, if it is the one named: its
// contacts, deals and history go back, and the account is live again.
func (s *Accounts) UndoMerge(ctx context.Context, actor domain.User, mergeID int64) (int64, error) {
	if err := canManageAccounts(actor); err != nil {
		return 0, err
	}
	var m read.AccountMerge
	err := s.write(ctx, &actor, func(tx *store.Store) ([]Change, error) {
		var ok bool
		var err error
		if m, ok, err = tx.Accounts().LatestMerge(ctx); err != nil {
			return nil, err
		}
		if ok && m.ID == mergeID {
			var owners []int64
			if owners, err = tx.Accounts().DealOwners(ctx, read.IDList(m.DealIDs)); err != nil {
				return nil, err
			}
			if err := domain.Authorize(actor, domain.ActionMergeAccount, domain.AccountMerge{DealOwnerIDs: owners}); err != nil {
				return nil, err
			}
			ok, err = tx.Accounts().UndoMerge(ctx, m, s.now().UTC())
		}
		if err != nil || !ok || m.ID != mergeID {
			return nil, cmp.Or(err, domain.Conflictf("Only the newest merge can be undone, and this one is not it (or is undone already)."))
		}
		a, err := tx.Accounts().AccountByID(ctx, m.FromAccountID)
		if err != nil {
			return nil, err
		}
		_, after := domain.EncodeChanges([]domain.FieldChange{{Field: "merge undone", New: a.Name}})
		return []Change{{Event: domain.Event{Action: "unmerged", Entity: domain.EntityAccount, EntityID: m.IntoAccountID, After: after}}}, nil
	})
	return m.FromAccountID, err
}
