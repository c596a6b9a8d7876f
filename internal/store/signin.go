package store

import (
	"context"
	"errors"

	"github.com/presale/presale/internal/domain"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// CompanySignIn reads company sign-in's settings, or the defaults: no
// domain admitted, passwords for everyone.
func (s Organisation) CompanySignIn(ctx context.Context) (domain.CompanySignIn, error) {
	var c domain.CompanySignIn
	err := s.read(ctx).Take(&c, 1).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return domain.CompanySignIn{ID: 1}, nil
	}
	return c, err
}

// SaveCompanySignIn writes company sign-in's settings, leaving the
// reporting currency as it is (its default on a first save).
func (s Organisation) SaveCompanySignIn(ctx context.Context, c domain.CompanySignIn) error {
	c.ID = 1
	return s.write(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "id"}},
		DoUpdates: clause.AssignmentColumns([]string{"sign_in_domains", "sign_in_role", "sign_in_required", "updated_at"})}).Create(&c).Error
}
