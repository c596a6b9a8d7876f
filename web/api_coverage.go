package web

import (
	"context"

	"github.com/presale/presale/internal/read"
	"github.com/presale/presale/internal/service"
)

// coverageAPI serves the managers' coverage review (apiCoverage).
type coverageAPI struct{ svc *service.Service }

// apiCoverageOut is the manager's coverage review in counts.
type apiCoverageOut struct {
	Body struct {
		From          string            `json:"from" format:"date"`
		To            string            `json:"to" format:"date" doc:"The last day of the period."`
		OpenDeals     int64             `json:"open_deals"`
		CoveredDeals  int64             `json:"covered_deals" doc:"Open deals with at least one DevRel assigned."`
		ByStage       []apiCoverageRow  `json:"by_stage"`
		BySalesperson []apiCoverageRow  `json:"by_salesperson"`
		Meetings      apiMeetingsCover  `json:"meetings" doc:"Scheduled in the next 14 days."`
		Support       apiSupportAges    `json:"support" doc:"Open requests by age."`
		DevRel        []apiDevRelLoad   `json:"devrel"`
		Offers        map[string]int64  `json:"offers" doc:"Offers proposed in the period, by where they stand now."`
		Promises      apiPromiseRisk    `json:"promises"`
		Trend         []apiCoverageWeek `json:"trend" doc:"Open and covered deals at the end of each of the last 12 weeks."`
	}
}

type apiSupportAges struct {
	UnderTwoDays    int64 `json:"under_2_days"`
	TwoToSeven      int64 `json:"2_to_7_days"`
	SevenToFourteen int64 `json:"7_to_14_days"`
	OverFourteen    int64 `json:"over_14_days"`
	PastNeededBy    int64 `json:"past_needed_by"`
}

type apiPromiseRisk struct {
	Unreviewed int64 `json:"unreviewed"`
	Risky      int64 `json:"risky"`
	Infeasible int64 `json:"infeasible"`
	Overdue    int64 `json:"overdue"`
}

type apiCoverageRow struct {
	Key     string `json:"key" doc:"The stage, or the salesperson's name."`
	OwnerID int64  `json:"owner_id,omitempty"`
	Deals   int64  `json:"deals"`
	Covered int64  `json:"covered"`
}

type apiMeetingsCover struct {
	WithDevRel    int64            `json:"with_devrel"`
	WithoutDevRel int64            `json:"without_devrel"`
	BySync        map[string]int64 `json:"by_sync"`
}

type apiDevRelLoad struct {
	UserID   int64  `json:"user_id"`
	Name     string `json:"name"`
	Load     int    `json:"load"`
	Capacity int    `json:"capacity"`
	Meetings int    `json:"meetings"`
}

type apiCoverageWeek struct {
	Ending  string `json:"ending" format:"date"`
	Open    int64  `json:"open"`
	Covered int64  `json:"covered"`
}

type coverageIn struct {
	OwnerID  int64  `query:"owner_id"`
	DevRelID int64  `query:"devrel_id"`
	From     string `query:"from" format:"date"`
	To       string `query:"to" format:"date"`
}

func (h *coverageAPI) apiCoverage(ctx context.Context, in *coverageIn) (*apiCoverageOut, error) {
	f, err := coveragePeriod(in.OwnerID, in.DevRelID, in.From, in.To, apiUser(ctx).Location())
	if err != nil {
		return nil, err
	}
	cov, err := h.svc.Desk.Coverage(ctx, apiUser(ctx), f)
	if err != nil {
		return nil, err
	}
	out := &apiCoverageOut{}
	b := &out.Body
	b.From, b.To = cov.Filter.From.Format("2006-01-02"), cov.Filter.To.Add(-1).Format("2006-01-02")
	b.OpenDeals, b.CoveredDeals = cov.Total.Deals, cov.Total.Covered
	row := func(r read.CoverageRow) apiCoverageRow {
		return apiCoverageRow{Key: r.Key, OwnerID: r.OwnerID, Deals: r.Deals, Covered: r.Covered}
	}
	b.ByStage, b.BySalesperson = mapped(cov.ByStage, row), mapped(cov.BySalesperson, row)
	b.Meetings = apiMeetingsCover{WithDevRel: cov.WithDevRel, WithoutDevRel: cov.WithoutDevRel, BySync: map[string]int64{}}
	for st, n := range cov.Meetings {
		b.Meetings.BySync[string(st)] = n
	}
	b.Support = apiSupportAges(cov.Support)
	b.Promises = apiPromiseRisk(cov.Promises)
	b.DevRel = mapped(cov.DevRel, func(d read.DevRelCoverage) apiDevRelLoad {
		return apiDevRelLoad{UserID: d.UserID, Name: d.Name, Load: d.Load, Capacity: d.EffectiveCapacity(), Meetings: d.Meetings}
	})
	b.Offers = map[string]int64{}
	for st, n := range cov.Offers {
		b.Offers[string(st)] = n
	}
	b.Trend = mapped(cov.Trend, func(w read.WeekCoverage) apiCoverageWeek {
		return apiCoverageWeek{Ending: w.Ending().Format("2006-01-02"), Open: w.Open, Covered: w.Covered}
	})
	return out, nil
}
