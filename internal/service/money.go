package service

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/store"
)

// Money is what converting figures needs: the rates as they stand today
// and the stage probabilities.
type Money struct {
	Rates         domain.Rates
	Probabilities domain.Probabilities
}

// Organisation is the organisation's settings: the reporting currency,
// exchange rates and the probabilities of each stage.
type Organisation struct{ *core }

// today is the calendar day rates are read on.
func (s *Organisation) today() time.Time {
	y, m, d := s.now().UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Money reads the reporting currency, today's rates and the stage
// probabilities.
func (s *Organisation) Money(ctx context.Context) (Money, error) {
	st, err := s.store.Organisation().Settings(ctx)
	if err != nil {
		return Money{}, err
	}
	today := s.today()
	history, err := s.store.Organisation().RateHistory(ctx, st.ReportingCurrency, today, today)
	if err != nil {
		return Money{}, err
	}
	p, err := s.store.Organisation().Probabilities(ctx)
	return Money{Rates: domain.NewRates(st.ReportingCurrency, today, history), Probabilities: p}, err
}

// OrganisationSettings is the administrator's settings page.
type OrganisationSettings struct {
	Money
	Recent []domain.ExchangeRate
}

// Settings loads the settings page.
func (s *Organisation) Settings(ctx context.Context, actor domain.User) (OrganisationSettings, error) {
	if err := domain.Authorize(actor, domain.ActionManageSettings, domain.Organisation{}); err != nil {
		return OrganisationSettings{}, err
	}
	m, err := s.Money(ctx)
	if err != nil {
		return OrganisationSettings{}, err
	}
	recent, err := s.store.Organisation().RecentRates(ctx, 50)
	return OrganisationSettings{Money: m, Recent: recent}, err
}

// SaveSettings sets the reporting currency and the stage probabilities.
func (s *Organisation) SaveSettings(ctx context.Context, actor domain.User, in domain.SettingsInput) error {
	if err := domain.Authorize(actor, domain.ActionManageSettings, domain.Organisation{}); err != nil {
		return err
	}
	cur, p, err := in.Parse()
	if err != nil {
		return err
	}
	return s.write(ctx, &actor, func(tx *store.Store) ([]Change, error) {
		before, err := tx.Organisation().Settings(ctx)
		if err != nil {
			return nil, err
		}
		oldP, err := tx.Organisation().Probabilities(ctx)
		if err != nil {
			return nil, err
		}
		if err := tx.Organisation().SaveSettings(ctx, domain.Settings{ReportingCurrency: cur, UpdatedAt: s.now().UTC()}, p); err != nil {
			return nil, err
		}
		return changed(domain.EntitySettings, 1, nil, settingsSnapshot(before.ReportingCurrency, oldP), settingsSnapshot(cur, p)), nil
	})
}

func settingsSnapshot(cur string, p domain.Probabilities) domain.Snapshot {
	snap := domain.Snapshot{{Field: "reporting_currency", New: cur}}
	for _, st := range domain.Stages {
		snap = append(snap, domain.FieldChange{Field: "probability_" + string(st), New: fmt.Sprintf("%d%%", p[st])})
	}
	return snap
}

// AddRate records one exchange rate.
func (s *Organisation) AddRate(ctx context.Context, actor domain.User, in domain.RateInput) error {
	return s.addRates(ctx, actor, func(reporting string) ([]domain.ExchangeRate, error) {
		x, err := in.Parse(reporting)
		return []domain.ExchangeRate{x}, err
	})
}

// MaxRateRows bounds one rates upload.
const MaxRateRows = 5000

// RowError is one failing line of an upload.
type RowError struct {
	Line    int
	Message string
}

// RowErrors are every failing line of an upload; nothing was saved.
type RowErrors []RowError

func (e RowErrors) Error() string {
	return fmt.Sprintf("%d rows could not be read", len(e))
}

// ImportRates records every rate of a CSV with the columns currency, rate
// and effective_on (YYYY-MM-DD), or none of them when a row fails.
func (s *Organisation) ImportRates(ctx context.Context, actor domain.User, r io.Reader) (int, error) {
	var n int
	err := s.addRates(ctx, actor, func(reporting string) ([]domain.ExchangeRate, error) {
		rates, err := parseRates(r, reporting)
		n = len(rates)
		return rates, err
	})
	return n, err
}

func parseRates(r io.Reader, reporting string) ([]domain.ExchangeRate, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if err != nil {
		return nil, domain.ValidationErrors{"file": "Choose a CSV file with the columns currency, rate, effective_on."}
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\uFEFF")))] = i
	}
	for _, want := range []string{"currency", "rate", "effective_on"} {
		if _, ok := col[want]; !ok {
			return nil, domain.ValidationErrors{"file": "The first line must name the columns currency, rate and effective_on."}
		}
	}
	get := func(rec []string, name string) string {
		if i := col[name]; i < len(rec) {
			return rec[i]
		}
		return ""
	}
	var rates []domain.ExchangeRate
	var bad RowErrors
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			bad = append(bad, RowError{Line: line, Message: "This line is not valid CSV."})
			continue
		}
		if len(rates)+len(bad) >= MaxRateRows {
			return nil, domain.ValidationErrors{"file": fmt.Sprintf("Upload at most %d rates at a time.", MaxRateRows)}
		}
		x, err := domain.RateInput{Currency: get(rec, "currency"), Rate: get(rec, "rate"), EffectiveOn: get(rec, "effective_on")}.Parse(reporting)
		if err != nil {
			var msgs []string
			for _, f := range []string{"currency", "rate", "effective_on"} {
				if m, ok := err.(domain.ValidationErrors)[f]; ok {
					msgs = append(msgs, m)
				}
			}
			bad = append(bad, RowError{Line: line, Message: strings.Join(msgs, " ")})
			continue
		}
		rates = append(rates, x)
	}
	if len(bad) > 0 {
		return nil, bad
	}
	if len(rates) == 0 {
		return nil, domain.ValidationErrors{"file": "The file has no rates below its header."}
	}
	return rates, nil
}

func (s *Organisation) addRates(ctx context.Context, actor domain.User, parse func(reporting string) ([]domain.ExchangeRate, error)) error {
	if err := domain.Authorize(actor, domain.ActionManageSettings, domain.Organisation{}); err != nil {
		return err
	}
	st, err := s.store.Organisation().Settings(ctx)
	if err != nil {
		return err
	}
	rates, err := parse(st.ReportingCurrency)
	if err != nil {
		return err
	}
	at := s.now().UTC()
	for i := range rates {
		rates[i].CreatedByID, rates[i].CreatedAt = actor.ID, at
	}
	return s.write(ctx, &actor, func(tx *store.Store) ([]Change, error) {
		if err := tx.Organisation().AddRates(ctx, rates); err != nil {
			return nil, err
		}
		summary := fmt.Sprintf("%d rates to %s", len(rates), st.ReportingCurrency)
		if len(rates) == 1 {
			x := rates[0]
			summary = fmt.Sprintf("1 %s = %g %s from %s", x.Currency, x.Rate, st.ReportingCurrency, x.EffectiveOn.Format(domain.DateLayout))
		}
		return []Change{{Event: domain.Event{Action: "created", Entity: domain.EntityExchangeRate, EntityID: rates[0].ID, After: summary}}}, nil
	})
}
