package web

import (
	"context"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/service"
	"github.com/presale/presale/views/components"
)

// evidenceAPI serves the evidence page's figures (apiEvidence).
type evidenceAPI struct{ svc *service.Service }

type evidenceIn struct {
	From string `query:"from" format:"date" doc:"The first day of the period; by default the first day of the quarter three before this one."`
	To   string `query:"to" format:"date" doc:"The last day of the period; by default today."`
}

// apiEvidenceOut is the evidence: for the deals closed in a period,
// whether what the pattern asks for is associated with winning them.
type apiEvidenceOut struct {
	Body struct {
		From         string               `json:"from" format:"date"`
		To           string               `json:"to" format:"date"`
		Currency     string               `json:"currency" doc:"The reporting currency every value is in."`
		Deals        int                  `json:"deals" doc:"Deals closed in the period."`
		MissingRates []string             `json:"missing_rates" doc:"Currencies whose deals' values are left out for want of an exchange rate."`
		MinDeals     int                  `json:"min_deals" doc:"How many deals a win rate needs to be given."`
		Comparisons  []apiComparison      `json:"comparisons" doc:"DevRel in the room; in sync; reserve levers (managers only); promises."`
		DevRel       []apiDevRelEvidence  `json:"devrel" doc:"A row per DevRel in the room of a deal closed in the period (a DevRel reads their own)."`
		Promises     []apiPromiseOutcome  `json:"promises" doc:"The promises on these deals by feasibility and where they stand."`
		Quarters     []apiQuarterEvidence `json:"quarters" doc:"DevRel in the room or not, per calendar quarter."`
		Gaps         []apiGap             `json:"gaps" doc:"Each product area: open questions and risky or infeasible open promises on open deals, the pipeline at stake on those deals, and the deals lost in the period to a missing capability that name it."`
	}
}

type apiGap struct {
	Area          string  `json:"area" doc:"The product area's key."`
	Label         string  `json:"label"`
	OpenQuestions []int64 `json:"open_questions"`
	RiskyPromises []int64 `json:"risky_promises"`
	DealsAtStake  []int64 `json:"deals_at_stake"`
	ValueAtStake  string  `json:"value_at_stake" doc:"Decimal, in the reporting currency."`
	WeightedValue string  `json:"weighted_value_at_stake" doc:"Decimal, weighted by each deal's stage."`
	DealsLost     []int64 `json:"deals_lost"`
	ValueLost     string  `json:"value_lost" doc:"Decimal, in the reporting currency."`
}

type apiComparison struct {
	Key    string     `json:"key" enum:"room,sync,levers,promises"`
	Name   string     `json:"name"`
	Groups []apiGroup `json:"groups"`
	// Compared names the two groups the differences are between.
	Compared   [2]int           `json:"compared" doc:"The indexes of the groups the differences compare, the first less the second."`
	Pooled     *apiDifference   `json:"pooled,omitempty" doc:"Over all the deals; absent when a group has too few."`
	Banded     *apiDifference   `json:"banded,omitempty" doc:"Within deal-size thirds; absent when no third has enough of both."`
	Confounded bool             `json:"confounded" doc:"The pooled and the banded differences point different ways."`
	Bands      []apiBandedGroup `json:"bands" doc:"The groups within each third of the deals by value."`
}

type apiDifference struct {
	Difference float64 `json:"difference" doc:"Win rate of the first group less the second's, 0 to 1."`
	Low        float64 `json:"low" doc:"Its 95 % interval."`
	High       float64 `json:"high"`
}

type apiGroup struct {
	Name     string   `json:"name"`
	Deals    int      `json:"deals"`
	Won      int      `json:"won"`
	WinRate  *float64 `json:"win_rate,omitempty" doc:"0 to 1; absent when too few deals to tell."`
	Low      *float64 `json:"win_rate_low,omitempty" doc:"The win rate's 95 % Wilson interval."`
	High     *float64 `json:"win_rate_high,omitempty"`
	Median   string   `json:"median_value" doc:"Decimal, in the reporting currency."`
	Days     int64    `json:"median_days_to_close"`
	WonValue string   `json:"won_value" doc:"Decimal, in the reporting currency."`
}

type apiBandedGroup struct {
	Band   string     `json:"band" enum:"small,medium,large"`
	UpTo   string     `json:"up_to,omitempty" doc:"The band's largest value (decimal); absent for the largest band."`
	Groups []apiGroup `json:"groups"`
}

type apiDevRelEvidence struct {
	UserID   int64    `json:"user_id"`
	Name     string   `json:"name"`
	Group    apiGroup `json:"deals"`
	Meetings int64    `json:"meetings" doc:"Held meetings attended before the deals closed."`
	InSync   int64    `json:"meetings_in_sync"`
}

type apiPromiseOutcome struct {
	Feasibility string `json:"feasibility"`
	Kept        int64  `json:"kept"`
	Dropped     int64  `json:"dropped"`
	Open        int64  `json:"open"`
}

type apiQuarterEvidence struct {
	Start     string   `json:"start" format:"date"`
	InRoom    apiGroup `json:"in_room"`
	NotInRoom apiGroup `json:"not_in_room"`
}

func apiGroupOf(g domain.Group) apiGroup {
	out := apiGroup{Name: g.Name, Deals: g.Rate.Deals, Won: g.Rate.Won, Median: components.Decimal(g.MedianValue), Days: g.MedianDays,
		WonValue: components.Decimal(g.WonValue)}
	if g.Rate.Known() {
		share := g.Rate.Share()
		lo, hi := g.Rate.Interval()
		out.WinRate, out.Low, out.High = &share, &lo, &hi
	}
	return out
}

func apiDifferenceOf(d float64, ok bool, lo, hi float64, iok bool) *apiDifference {
	if !ok || !iok {
		return nil
	}
	return &apiDifference{Difference: d, Low: lo, High: hi}
}

func (h *evidenceAPI) apiEvidence(ctx context.Context, in *evidenceIn) (*apiEvidenceOut, error) {
	u := apiUser(ctx)
	e, err := readEvidence(ctx, h.svc, u, u.Location(), in.From, in.To)
	if err != nil {
		return nil, err
	}
	out := &apiEvidenceOut{}
	b := &out.Body
	b.From, b.To, b.Currency, b.Deals, b.MissingRates, b.MinDeals = e.From.Format(domain.DateLayout), e.To.Format(domain.DateLayout), e.Currency,
		e.Report.Deals, append([]string{}, e.Missing...), domain.MinDealsForRate
	bands := []string{"small", "medium", "large"}
	for _, cmp := range evidenceComparisons(e) {
		c := cmp.C
		a := apiComparison{Key: cmp.Key, Name: c.Name, Groups: mapped(c.Groups, apiGroupOf), Compared: c.Pair, Confounded: c.Confounded()}
		d, ok := c.Difference()
		lo, hi, iok := c.DifferenceInterval()
		a.Pooled = apiDifferenceOf(d, ok, lo, hi, iok)
		d, ok = c.BandedDifference()
		lo, hi, iok = c.BandedInterval()
		a.Banded = apiDifferenceOf(d, ok, lo, hi, iok)
		for i, groups := range c.Bands {
			if !e.Report.Bands.Cut && i > 0 {
				break
			}
			band := apiBandedGroup{Band: bands[i], Groups: mapped(groups, apiGroupOf)}
			switch {
			case !e.Report.Bands.Cut:
			case i == 0:
				band.UpTo = components.Decimal(e.Report.Bands.Small)
			case i == 1:
				band.UpTo = components.Decimal(e.Report.Bands.Medium)
			}
			a.Bands = append(a.Bands, band)
		}
		b.Comparisons = append(b.Comparisons, a)
	}
	b.DevRel = mapped(e.Report.DevRel, func(r domain.DevRelRow) apiDevRelEvidence {
		return apiDevRelEvidence{UserID: r.UserID, Name: e.Names[r.UserID], Group: apiGroupOf(r.Group), Meetings: r.Meetings, InSync: r.InSync}
	})
	b.Promises = mapped(e.Report.Outcomes, func(o domain.PromiseOutcome) apiPromiseOutcome {
		return apiPromiseOutcome{Feasibility: string(o.Feasibility), Kept: o.Kept, Dropped: o.Dropped, Open: o.Open}
	})
	b.Quarters = mapped(e.Report.Quarters, func(q domain.QuarterRow) apiQuarterEvidence {
		return apiQuarterEvidence{Start: q.Start.Format(domain.DateLayout), InRoom: apiGroupOf(q.Room.Groups[0]), NotInRoom: apiGroupOf(q.Room.Groups[1])}
	})
	b.Gaps = mapped(e.Gaps, func(g domain.Gap) apiGap {
		ids := func(items []domain.GapItem) []int64 {
			return mapped(items, func(i domain.GapItem) int64 { return i.ID })
		}
		return apiGap{Area: g.Area, Label: e.Areas.Label(g.Area), OpenQuestions: ids(g.Questions), RiskyPromises: ids(g.Promises),
			DealsAtStake: append([]int64{}, g.AtStake...), ValueAtStake: components.Decimal(g.Value.Minor), WeightedValue: components.Decimal(g.Weighted.Minor),
			DealsLost: append([]int64{}, g.Lost...), ValueLost: components.Decimal(g.LostValue.Minor)}
	})
	return out, nil
}
