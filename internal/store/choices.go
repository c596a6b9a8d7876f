package store

import (
	"context"

	"github.com/presale/presale/internal/domain"
)

// Choices reads one of the organisation's lists, retired entries too, in
// its order.
func (s Organisation) Choices(ctx context.Context, list domain.ChoiceList) (domain.Choices, error) {
	var cs domain.Choices
	err := s.read(ctx).Where("list = ?", list).Order("position, id").Find(&cs).Error
	return cs, err
}

// Lists reads every list at once, for a page that reads both (a deal's:
// why it was lost, its questions' and promises' areas).
func (s Organisation) Lists(ctx context.Context) (domain.Lists, error) {
	var cs domain.Choices
	if err := s.read(ctx).Order("position, id").Find(&cs).Error; err != nil {
		return nil, err
	}
	lists := domain.Lists{}
	for _, c := range cs {
		lists[c.List] = append(lists[c.List], c)
	}
	return lists, nil
}

// ChoiceByID loads one entry of a list.
func (s Organisation) ChoiceByID(ctx context.Context, id int64) (domain.Choice, error) {
	return first[domain.Choice](ctx, s.core, id)
}

// SaveChoice inserts a new entry or writes an entry's label and
// retirement. Pages that show labels are kept until the directory
// changes, so it changes.
func (s Organisation) SaveChoice(ctx context.Context, c *domain.Choice) error {
	var err error
	if c.ID == 0 {
		err = s.write(ctx).Create(c).Error
	} else {
		err = s.write(ctx).Model(&domain.Choice{}).Where("id = ?", c.ID).
			Updates(map[string]any{"label": c.Label, "retired_at": c.RetiredAt, "updated_at": c.UpdatedAt}).Error
	}
	if err != nil {
		return err
	}
	return s.write(ctx).Exec("UPDATE revisions SET n = n + 1 WHERE name = 'directory'").Error
}
