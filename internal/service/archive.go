package service

import (
	"cmp"
	"context"
	"strconv"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/store"
)

// archivePaths are where each archivable thing lives.
var archivePaths = map[domain.Entity]string{domain.EntityDeal: "/deals/", domain.EntityAccount: "/accounts/", domain.EntityContact: "/contacts/"}

// ArchivablePath is the page of an archivable deal, account or contact.
func ArchivablePath(entity domain.Entity, id int64) string {
	return archivePaths[entity] + strconv.FormatInt(id, 10)
}

// SetArchived archives a deal, account or contact (archive true) or
// restores it. Archived things leave lists, search, desks and coverage
// and stay in timelines. The owner or a manager archives a deal; those
// who manage customers archive accounts and contacts. An archive can be
// undone from the flash; a restore is its own undo.
func (s *Service) SetArchived(ctx context.Context, actor domain.User, entity domain.Entity, id int64, archive bool) (domain.Undo, error) {
	if _, ok := archivePaths[entity]; !ok {
		return domain.Undo{}, domain.ErrNotFound
	}
	now := s.now().UTC()
	err := s.write(ctx, &actor, func(tx *store.Store) ([]Change, error) {
		var dealID *int64
		if entity == domain.EntityDeal {
			if _, err := dealAllows(ctx, tx, actor, id, domain.ActionEditDeal); err != nil {
				return nil, err
			}
			dealID = &id
		} else if err := canManageAccounts(actor); err != nil {
			return nil, err
		}
		action, already := "archived", "This %s is already archived."
		if !archive {
			action, already = "restored", "This %s is not archived."
		}
		if ok, err := tx.SetArchived(ctx, entity, id, archive, now); err != nil || !ok {
			return nil, cmp.Or(err, domain.Conflictf(already, entity.Noun()))
		}
		return []Change{{Event: domain.Event{Action: action, Entity: entity, EntityID: id, DealID: dealID}}}, nil
	})
	if err != nil || !archive {
		return domain.Undo{}, err
	}
	return domain.Undo{Entity: entity, ID: id, From: "live", To: "archived", By: actor.ID, At: s.now()}, nil
}
