package domain

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Each deal keeps its own currency; decisions read one. The organisation
// reports in one currency, converted with the latest rate effective on the
// day.

// RateMaxAge is how old a rate may be before a figure built from it says so.
const RateMaxAge = 30 * 24 * time.Hour

// Settings are the organisation's own: the reporting currency and the
// weighted pipeline's stage probabilities. There is one row.
type Settings struct {
	ID                int64
	ReportingCurrency string
	UpdatedAt         time.Time
}

// TableName keeps the one row in its own table.
func (Settings) TableName() string { return "organisation_settings" }

// ExchangeRate says what one unit of Currency is worth in ToCurrency, the
// reporting currency it was entered for, from EffectiveOn.
type ExchangeRate struct {
	ID          int64
	Currency    string
	ToCurrency  string
	Rate        float64
	EffectiveOn time.Time
	CreatedByID int64
	CreatedAt   time.Time
}

// StageProbability is the share of a stage's value the weighted pipeline
// counts, in percent.
type StageProbability struct {
	Stage   Stage `gorm:"primaryKey"`
	Percent int
}

// DefaultProbabilities are used until an administrator sets others.
var DefaultProbabilities = map[Stage]int{
	StageProspecting: 10, StageDiscovery: 20, StageEvaluation: 40,
	StageProposal: 60, StageNegotiation: 80, StageClosedWon: 100, StageClosedLost: 0,
}

// Probabilities weigh each stage's value.
type Probabilities map[Stage]int

// Weigh is the share of minor the stage counts for.
func (p Probabilities) Weigh(s Stage, minor int64) int64 {
	pct, ok := p[s]
	if !ok {
		pct = DefaultProbabilities[s]
	}
	return int64(math.Round(float64(minor) * float64(pct) / 100))
}

// Rates convert into the reporting currency as they stood on one day.
type Rates struct {
	Reporting string
	On        time.Time
	latest    map[string]ExchangeRate
}

// NewRates keeps, of the rates given, the latest one effective on or
// before the day for each currency.
func NewRates(reporting string, on time.Time, history []ExchangeRate) Rates {
	r := Rates{Reporting: reporting, On: on, latest: map[string]ExchangeRate{}}
	for _, x := range history {
		if x.EffectiveOn.After(on) || x.Currency == reporting || x.ToCurrency != reporting {
			continue
		}
		if cur, ok := r.latest[x.Currency]; !ok || x.EffectiveOn.After(cur.EffectiveOn) ||
			(x.EffectiveOn.Equal(cur.EffectiveOn) && x.ID > cur.ID) {
			r.latest[x.Currency] = x
		}
	}
	return r
}

// Factor is what one minor unit of currency is worth in reporting minor
// units; false when there is no rate.
func (r Rates) Factor(currency string) (float64, bool) {
	if currency == r.Reporting {
		return 1, true
	}
	x, ok := r.latest[currency]
	return x.Rate, ok
}

// Factors are every convertible currency's factor, the reporting currency
// included: what a query needs to sort by converted value.
func (r Rates) Factors() map[string]float64 {
	out := map[string]float64{r.Reporting: 1}
	for c, x := range r.latest {
		out[c] = x.Rate
	}
	return out
}

// Latest is the rate in use for a currency.
func (r Rates) Latest(currency string) (ExchangeRate, bool) {
	x, ok := r.latest[currency]
	return x, ok
}

// Old reports whether the currency's rate is older than RateMaxAge.
func (r Rates) Old(currency string) bool {
	x, ok := r.latest[currency]
	return ok && r.On.Sub(x.EffectiveOn) > RateMaxAge
}

// OldCurrencies are the currencies whose rate is older than RateMaxAge.
func (r Rates) OldCurrencies() []string {
	var out []string
	for c := range r.latest {
		if r.Old(c) {
			out = append(out, c)
		}
	}
	sort.Strings(out)
	return out
}

// Figure is a sum converted elsewhere (in SQL, with Factors) as Money:
// rounded, with the currencies it left out and the old rates it used.
func (r Rates) Figure(minor float64, missing, withOldRates []string) Money {
	m := Money{Minor: int64(math.Round(minor)), Currency: r.Reporting, Missing: missing}
	for _, c := range withOldRates {
		if x, ok := r.latest[c]; ok {
			m.OldRates = append(m.OldRates, x)
		}
	}
	return m
}

// Money is a figure in the reporting currency, and what it was built
// from: the currencies left out for want of a rate, and those converted
// with a rate older than RateMaxAge.
type Money struct {
	Minor    int64
	Currency string
	Missing  []string
	OldRates []ExchangeRate
}

// Add converts minor units of currency into m.
func (r Rates) Add(m *Money, minor int64, currency string) {
	m.Currency = r.Reporting
	f, ok := r.Factor(currency)
	if !ok {
		if minor != 0 && !slices.Contains(m.Missing, currency) {
			m.Missing = append(m.Missing, currency)
			sort.Strings(m.Missing)
		}
		return
	}
	m.Minor += int64(math.Round(float64(minor) * f))
	if minor != 0 && r.Old(currency) && !containsRate(m.OldRates, currency) {
		m.OldRates = append(m.OldRates, r.latest[currency])
		sort.Slice(m.OldRates, func(i, j int) bool { return m.OldRates[i].Currency < m.OldRates[j].Currency })
	}
}

// Merge adds another figure in the same reporting currency.
func (m *Money) Merge(o Money) {
	m.Minor += o.Minor
	if m.Currency == "" {
		m.Currency = o.Currency
	}
	for _, c := range o.Missing {
		if !slices.Contains(m.Missing, c) {
			m.Missing = append(m.Missing, c)
		}
	}
	for _, x := range o.OldRates {
		if !containsRate(m.OldRates, x.Currency) {
			m.OldRates = append(m.OldRates, x)
		}
	}
	sort.Strings(m.Missing)
	sort.Slice(m.OldRates, func(i, j int) bool { return m.OldRates[i].Currency < m.OldRates[j].Currency })
}

// String writes the figure as "135,000 USD".
func (m Money) String() string { return FormatAmount(m.Minor, m.Currency) }

// Caveat says what the figure leaves out or rests on, or nothing.
func (m Money) Caveat() string {
	var parts []string
	if len(m.Missing) > 0 {
		parts = append(parts, "leaves out "+strings.Join(m.Missing, ", ")+": no exchange rate")
	}
	for _, x := range m.OldRates {
		parts = append(parts, fmt.Sprintf("%s rate of %s, over 30 days old", x.Currency, x.EffectiveOn.Format("2 Jan 2006")))
	}
	return strings.Join(parts, "; ")
}

// ShortCaveat is Caveat in a few words, for a table cell: the details
// are in the figure's title and the CSV.
func (m Money) ShortCaveat() string {
	var parts []string
	if len(m.Missing) > 0 {
		parts = append(parts, "no rate: "+strings.Join(m.Missing, ", "))
	}
	if len(m.OldRates) > 0 {
		parts = append(parts, "rates over 30 days old")
	}
	return strings.Join(parts, "; ")
}

func containsRate(list []ExchangeRate, currency string) bool {
	for _, x := range list {
		if x.Currency == currency {
			return true
		}
	}
	return false
}

// RateInput is an exchange rate as typed or read from a CSV row.
type RateInput struct {
	Currency, Rate, EffectiveOn string
}

// Parse checks a rate against the reporting currency.
func (in RateInput) Parse(reporting string) (ExchangeRate, error) {
	errs := ValidationErrors{}
	x := ExchangeRate{Currency: strings.ToUpper(strings.TrimSpace(in.Currency)), ToCurrency: reporting}
	switch {
	case !ValidCurrency(x.Currency):
		errs.Add("currency", "Choose a currency from the list.")
	case x.Currency == reporting:
		errs.Add("currency", "The reporting currency converts to itself; choose another.")
	}
	rate, err := strconv.ParseFloat(strings.TrimSpace(in.Rate), 64)
	if err != nil || math.IsNaN(rate) || rate <= 0 || rate > 1e6 {
		errs.Add("rate", fmt.Sprintf("Enter what one unit is worth in %s, a positive number such as 1.0842.", reporting))
	}
	x.Rate = rate
	on, err := time.Parse(DateLayout, strings.TrimSpace(in.EffectiveOn))
	if err != nil {
		errs.Add("effective_on", "Enter the day the rate takes effect as YYYY-MM-DD.")
	}
	x.EffectiveOn = on
	return x, errs.Err()
}

// SettingsInput is the organisation settings form.
type SettingsInput struct {
	ReportingCurrency string
	Percents          map[Stage]string
}

// Parse checks the settings form.
func (in SettingsInput) Parse() (string, Probabilities, error) {
	errs := ValidationErrors{}
	cur := strings.ToUpper(strings.TrimSpace(in.ReportingCurrency))
	if !ValidCurrency(cur) {
		errs.Add("reporting_currency", "Choose a currency from the list.")
	}
	p := Probabilities{}
	for _, s := range Stages {
		v, err := strconv.Atoi(strings.TrimSpace(in.Percents[s]))
		if err != nil || v < 0 || v > 100 {
			errs.Add("probability_"+string(s), "Enter a whole percent from 0 to 100.")
			continue
		}
		p[s] = v
	}
	return cur, p, errs.Err()
}
