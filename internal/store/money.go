package store

import (
	"context"
	"errors"
	"time"

	"github.com/presale/presale/internal/domain"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// DefaultReportingCurrency is used until an administrator chooses one.
const DefaultReportingCurrency = "USD"

// Settings reads the organisation's settings, or the defaults.
func (s Organisation) Settings(ctx context.Context) (domain.Settings, error) {
	var st domain.Settings
	err := s.read(ctx).Take(&st, 1).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return domain.Settings{ID: 1, ReportingCurrency: DefaultReportingCurrency}, nil
	}
	return st, err
}

// SaveSettings writes the reporting currency and every stage probability.
func (s Organisation) SaveSettings(ctx context.Context, st domain.Settings, p domain.Probabilities) error {
	st.ID = 1
	err := s.write(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "id"}},
		DoUpdates: clause.AssignmentColumns([]string{"reporting_currency", "updated_at"})}).Create(&st).Error
	if err != nil {
		return err
	}
	rows := make([]domain.StageProbability, 0, len(p))
	for _, stage := range domain.Stages {
		rows = append(rows, domain.StageProbability{Stage: stage, Percent: p[stage]})
	}
	return s.write(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "stage"}},
		DoUpdates: clause.AssignmentColumns([]string{"percent"})}).Create(&rows).Error
}

// Probabilities reads the stage probabilities, the defaults filling gaps.
func (s Organisation) Probabilities(ctx context.Context) (domain.Probabilities, error) {
	var rows []domain.StageProbability
	p := domain.Probabilities{}
	for k, v := range domain.DefaultProbabilities {
		p[k] = v
	}
	err := s.read(ctx).Find(&rows).Error
	for _, r := range rows {
		p[r.Stage] = r.Percent
	}
	return p, err
}

// RateHistory returns the rates a conversion on any day from from to to
// into reporting needs: each currency's latest rate effective on from, and every rate
// taking effect after it up to to.
func (s Organisation) RateHistory(ctx context.Context, reporting string, from, to time.Time) ([]domain.ExchangeRate, error) {
	var out []domain.ExchangeRate
	err := s.read(ctx).Table("exchange_rates r").
		Where("r.to_currency = ? AND r.effective_on <= ?", reporting, day(to)).
		Where(`r.effective_on >= COALESCE((SELECT MAX(r2.effective_on) FROM exchange_rates r2
			WHERE r2.to_currency = r.to_currency AND r2.currency = r.currency AND r2.effective_on <= ?), r.effective_on)`, day(from)).
		Order("r.currency, r.effective_on, r.id").Find(&out).Error
	return out, err
}

// RecentRates lists the rates entered last, newest first.
func (s Organisation) RecentRates(ctx context.Context, limit int) ([]domain.ExchangeRate, error) {
	var out []domain.ExchangeRate
	return out, s.read(ctx).Order("effective_on DESC, currency, id DESC").Limit(limit).Find(&out).Error
}

// AddRates inserts rates.
func (s Organisation) AddRates(ctx context.Context, rates []domain.ExchangeRate) error {
	if len(rates) == 0 {
		return nil
	}
	return s.write(ctx).CreateInBatches(&rates, 200).Error
}

// day is the calendar day of t as the DATE columns hold it.
func day(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
