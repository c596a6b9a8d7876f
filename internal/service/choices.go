package service

import (
	"context"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/store"
)

// Choices is one of the organisation's lists, retired entries too: forms
// offer the rest (Offered), and labels are read from all of them.
func (s *Organisation) Choices(ctx context.Context, list domain.ChoiceList) (domain.Choices, error) {
	return s.store.Organisation().Choices(ctx, list)
}

// Lists are the lists an administrator edits, in domain.ChoiceLists' order.
func (s *Organisation) Lists(ctx context.Context, actor domain.User) ([]domain.Choices, error) {
	if err := domain.Authorize(actor, domain.ActionManageLists, domain.Organisation{}); err != nil {
		return nil, err
	}
	var out []domain.Choices
	for _, l := range domain.ChoiceLists {
		cs, err := s.Choices(ctx, l)
		if err != nil {
			return nil, err
		}
		out = append(out, cs)
	}
	return out, nil
}

// AddChoice adds an entry, labelled as typed, at the end of a list.
func (s *Organisation) AddChoice(ctx context.Context, actor domain.User, list domain.ChoiceList, label string) (domain.Choice, error) {
	var c domain.Choice
	if err := domain.Authorize(actor, domain.ActionManageLists, domain.Organisation{}); err != nil {
		return c, err
	}
	if !list.Valid() {
		return c, domain.ErrNotFound
	}
	err := s.write(ctx, &actor, func(tx *store.Store) ([]Change, error) {
		cs, err := tx.Organisation().Choices(ctx, list)
		if err != nil {
			return nil, err
		}
		l, err := cs.ChoiceLabel(list, label, 0)
		if err != nil {
			return nil, err
		}
		c = cs.NewChoice(list, l, s.now().UTC())
		if err := tx.Organisation().SaveChoice(ctx, &c); err != nil {
			return nil, err
		}
		return []Change{created(domain.EntitySettings, c.ID, nil, choiceSnapshot(c))}, nil
	})
	return c, err
}

// RenameChoice changes an entry's label; its key, on the records, stays.
func (s *Organisation) RenameChoice(ctx context.Context, actor domain.User, id int64, label string) (domain.Choice, error) {
	return s.changeChoice(ctx, actor, id, func(c *domain.Choice, cs domain.Choices) error {
		l, err := cs.ChoiceLabel(c.List, label, c.ID)
		c.Label = l
		return err
	})
}

// RetireChoice stops offering an entry (retired) or offers it again; the
// records that have it keep it.
func (s *Organisation) RetireChoice(ctx context.Context, actor domain.User, id int64, retired bool) (domain.Choice, error) {
	return s.changeChoice(ctx, actor, id, func(c *domain.Choice, _ domain.Choices) error {
		c.RetiredAt = nil
		if retired {
			now := s.now().UTC()
			c.RetiredAt = &now
		}
		return nil
	})
}

// changeChoice applies edit to an entry, given its list, and records it.
func (s *Organisation) changeChoice(ctx context.Context, actor domain.User, id int64, edit func(*domain.Choice, domain.Choices) error) (domain.Choice, error) {
	var c domain.Choice
	if err := domain.Authorize(actor, domain.ActionManageLists, domain.Organisation{}); err != nil {
		return c, err
	}
	err := s.write(ctx, &actor, func(tx *store.Store) ([]Change, error) {
		var err error
		if c, err = tx.Organisation().ChoiceByID(ctx, id); err != nil {
			return nil, err
		}
		cs, err := tx.Organisation().Choices(ctx, c.List)
		if err != nil {
			return nil, err
		}
		before := choiceSnapshot(c)
		if err := edit(&c, cs); err != nil {
			return nil, err
		}
		c.UpdatedAt = s.now().UTC()
		if err := tx.Organisation().SaveChoice(ctx, &c); err != nil {
			return nil, err
		}
		return changed(domain.EntitySettings, c.ID, nil, before, choiceSnapshot(c)), nil
	})
	return c, err
}

func choiceSnapshot(c domain.Choice) domain.Snapshot {
	state := "offered"
	if c.Retired() {
		state = "retired"
	}
	return domain.Snapshot{{Field: string(c.List), New: c.Label}, {Field: string(c.List) + " " + c.Key, New: state}}
}
