// Package seed fills a database with the demo organisation or with a large
// synthetic dataset for benchmarks. Neither writes into a database that
// already holds data.
package seed

import (
	"context"
	"errors"
	"time"

	"github.com/presale/presale/internal/domain"
	"gorm.io/gorm"
)

// ErrNotEmpty refuses to seed a database that holds data.
var ErrNotEmpty = errors.New("the database already holds data; seeding only fills an empty one")

// Hasher turns a password into its stored hash.
type Hasher func(password string) (string, error)

// DemoPassword signs in every demo user.
const DemoPassword = "demo-password"

// Login is a demo sign-in to print.
type Login struct {
	Email string
	Role  domain.Role
	Name  string
}

// empty reports whether the database has no users, accounts or deals.
func empty(ctx context.Context, g *gorm.DB) (bool, error) {
	for _, table := range []string{"users", "accounts", "deals"} {
		var n int64
		if err := g.WithContext(ctx).Table(table).Count(&n).Error; err != nil {
			return false, err
		}
		if n > 0 {
			return false, nil
		}
	}
	return true, nil
}

// writer inserts rows and their "created" events in one transaction.
type writer struct {
	tx  *gorm.DB
	err error
}

func (w *writer) create(v any) {
	if w.err == nil {
		w.err = w.tx.Create(v).Error
	}
}

// save writes every column of v as set, timestamps included: the demo
// tells a history, so GORM must not stamp "now" on it.
func (w *writer) save(v any) {
	if w.err == nil {
		w.err = w.tx.Model(v).Select("*").UpdateColumns(v).Error
	}
}

func (w *writer) event(actor int64, action string, entity domain.Entity, id int64, deal *int64, before, after string, at time.Time, teamOnly bool) {
	w.create(&domain.Event{ActorID: &actor, Action: action, Entity: entity, EntityID: id, DealID: deal,
		Before: before, After: after, At: at.UTC(), TeamOnly: teamOnly})
}

func ptr[T any](v T) *T { return &v }

// day is a calendar date at UTC midnight, days from today.
func day(now time.Time, days int) *time.Time {
	y, m, d := now.UTC().Date()
	t := time.Date(y, m, d+days, 0, 0, 0, 0, time.UTC)
	return &t
}

// fillLastActivity stamps each deal with the time of its latest event, as
// the service does for every change.
func fillLastActivity(tx *gorm.DB) error {
	return tx.Exec("UPDATE deals SET last_activity_at = COALESCE((SELECT MAX(at) FROM events WHERE events.deal_id = deals.id), updated_at)").Error
}

// demoRates are plausible rates to USD, so a fresh organisation's totals
// convert every currency.
var demoRates = map[string]float64{
	"EUR": 1.08, "GBP": 1.27, "JPY": 0.0067, "CHF": 1.13, "CAD": 0.73, "AUD": 0.66, "SEK": 0.095,
	"NOK": 0.093, "DKK": 0.145, "INR": 0.012, "BRL": 0.18, "SGD": 0.75, "NZD": 0.6, "PLN": 0.25,
}

// money sets USD as the reporting currency with a rate for every other
// currency each month of the last half year, the latest three days before
// now: the trend converts with rates of its own weeks.
func money(w *writer, by int64, now time.Time) {
	w.create(&domain.Settings{ID: 1, ReportingCurrency: "USD", UpdatedAt: now})
	var rates []domain.ExchangeRate
	for _, cur := range domain.Currencies {
		r, ok := demoRates[cur]
		if !ok {
			continue
		}
		for month := range 7 {
			drift := 1 - 0.004*float64(month) // a slow, believable drift
			rates = append(rates, domain.ExchangeRate{Currency: cur, ToCurrency: "USD", Rate: r * drift,
				EffectiveOn: *day(now, -3-30*month), CreatedByID: by, CreatedAt: now})
		}
	}
	w.create(&rates)
}
