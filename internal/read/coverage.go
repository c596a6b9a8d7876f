package read

import (
	"time"

	"github.com/presale/presale/internal/domain"
)

// CoverageFilter narrows the coverage review to one salesperson or one
// DevRel, and sets the period activity figures count within.
type CoverageFilter struct {
	OwnerID  int64
	DevRelID int64
	From, To time.Time // activity period
	Now      time.Time
}

// PipelineCell is one group of open deals: a stage, an owner, a currency.
type PipelineCell struct {
	Stage        domain.Stage
	OwnerID      int64
	OwnerName    string
	Currency     string
	Deals        int64
	Covered      int64 // with at least one DevRel assigned
	Value        int64 // minor units
	CoveredValue int64
}

// SyncCount is how many scheduled meetings stand in one sync state.
type SyncCount struct {
	State domain.SyncState
	Count int64
}

// SupportAges counts open support requests by age, and those past their
// needed-by date.
type SupportAges struct {
	UnderTwoDays, TwoToSeven, SevenToFourteen, OverFourteen, PastNeededBy int64
}

// DevRelCoverage is one DevRel's load.
type DevRelCoverage struct {
	UserID   int64
	Name     string
	Capacity int // the setting; EffectiveCapacity is what counts
	Load     int
	Meetings int // in the coming window
}

// EffectiveCapacity is the capacity the load is weighed against.
func (d DevRelCoverage) EffectiveCapacity() int { return domain.CapacityOf(d.Capacity) }

// Full reports whether the DevRel has no room for another deal.
func (d DevRelCoverage) Full() bool { return !domain.User{Capacity: d.Capacity}.HasRoomFor(d.Load) }

// StatusCount is how many offers stand in one status.
type StatusCount struct {
	Status domain.OfferStatus
	Count  int64
}

// PromiseRisk counts open promises needing attention.
type PromiseRisk struct {
	Unreviewed, Risky, Infeasible, Overdue int64
}

// WeekCoverage is the pipeline as it stood at the end of one week.
type WeekCoverage struct {
	At      time.Time // the midnight (UTC) that ends the week
	Open    int64
	Covered int64
	Values  []CurrencyValue // open and covered value per currency
	// In the reporting currency, with the rates of that week's end.
	OpenValue, CoveredValue domain.Money
}

// CurrencyValue is an amount in one currency: values are never summed
// across currencies.
type CurrencyValue struct {
	Currency string
	Value    int64 // minor units
	Covered  int64
}

// CoverageRow is the open pipeline of one stage or one salesperson.
type CoverageRow struct {
	Key     string // stage code or salesperson name
	OwnerID int64
	Deals   int64
	Covered int64
	Values  []CurrencyValue // as the deals are priced
	// In the reporting currency: the open value, the part with DevRel,
	// and the open value weighted by stage probability.
	Value, CoveredValue, Weighted domain.Money
}

// Ending is the last day of the week (UTC), as a table labels it.
func (w WeekCoverage) Ending() time.Time { return w.At.Add(-time.Nanosecond) }
