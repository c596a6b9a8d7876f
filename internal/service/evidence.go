package service

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/presale/presale/internal/domain"
)

// Evidence is the evidence page: for the deals closed in a period,
// whether what the pattern asks for is associated with winning them.
type Evidence struct {
	From, To time.Time // the period's first and last day
	Report   domain.EvidenceReport
	Currency string           // the reporting currency the values are in
	Missing  []string         // currencies left out of the values for want of a rate
	Names    map[int64]string // the DevRel in the report, by id
	Levers   bool             // the reader sees the reserve's comparison (managers)
	OwnRow   bool             // the reader's DevRel row alone is given (a DevRel)
	Gaps     []domain.Gap     // the product areas: open questions and risky promises, the pipeline at stake, what was lost
	Areas    domain.Choices   // the product areas' labels
}

// EvidenceQuarters is how far back the page looks by default: the
// quarter under way and the three before it.
const EvidenceQuarters = 4

// EvidencePeriod is the default period ending today: from the first day
// of the quarter three before this one.
func EvidencePeriod(today time.Time) (from, to time.Time) {
	return domain.QuarterOf(today).AddDate(0, -3*(EvidenceQuarters-1), 0), today
}

// Evidence reads the evidence for the deals closed from from to to
// (days, both included). Managers read it whole; a DevRel reads the
// comparisons and their own row, without the reserve's (an idea held in
// reserve is its deal team's). Read across the organisation, it is kept
// for OrganisationLag; what each reader may see is decided as it is given.
func (s *Desk) Evidence(ctx context.Context, actor domain.User, from, to time.Time) (Evidence, error) {
	if err := domain.Authorize(actor, domain.ActionViewEvidence, domain.Organisation{}); err != nil {
		return Evidence{}, err
	}
	from, to = day(from), day(to)
	if to.Before(from) {
		from, to = to, from
	}
	all, err := keptOrgRead(ctx, s.core, orgKey{what: "evidence", args: fmt.Sprint(from.Unix(), to.Unix())}, func(ctx context.Context) (Evidence, error) {
		return s.readEvidence(ctx, from, to)
	})
	if err != nil {
		return Evidence{}, err
	}
	e := all // the kept read is everyone's: the reader's view is a copy
	e.Levers = domain.Can(actor, domain.ActionSeeAllReserves, domain.Organisation{})
	if !e.Levers {
		e.Report.Levers = domain.Comparison{}
	}
	if e.OwnRow = !domain.Can(actor, domain.ActionSeeAllDeals, domain.Organisation{}); e.OwnRow {
		e.Report.DevRel = slices.DeleteFunc(slices.Clone(all.Report.DevRel), func(r domain.DevRelRow) bool { return r.UserID != actor.ID })
	}
	return e, nil
}

// EvidenceDeals are the ids of the deals behind one count of the
// evidence for the deals closed from from to to (domain.DealsBehind): read
// again, not kept (a click, where the page is read by everyone), with the
// same rules as the page: the reserve's comparison for those who see every
// reserve, a DevRel's own row alone for a DevRel.
func (s *Desk) EvidenceDeals(ctx context.Context, actor domain.User, from, to time.Time, key string, group int64, band int) ([]int64, error) {
	if err := domain.Authorize(actor, domain.ActionViewEvidence, domain.Organisation{}); err != nil {
		return nil, err
	}
	if key == domain.EvidenceLevers && !domain.Can(actor, domain.ActionSeeAllReserves, domain.Organisation{}) ||
		key == domain.EvidenceDevRel && group != actor.ID && !domain.Can(actor, domain.ActionSeeAllDeals, domain.Organisation{}) {
		return nil, domain.ErrNotFound
	}
	from, to = day(from), day(to)
	if to.Before(from) {
		from, to = to, from
	}
	money, err := s.organisation.Money(ctx)
	if err != nil {
		return nil, err
	}
	deals, _, err := s.closedDeals(ctx, money, from, to)
	if err != nil {
		return nil, err
	}
	ids, ok := domain.PeriodOf(deals).DealsBehind(key, group, band)
	if !ok {
		return nil, domain.ErrNotFound
	}
	return ids, nil
}

// closedDeals are the deals closed from from to to, valued in the
// reporting currency, and what they come to there (with the currencies
// that have no rate).
func (s *Desk) closedDeals(ctx context.Context, money Money, from, to time.Time) ([]domain.ClosedDeal, domain.Money, error) {
	deals, err := s.store.Coverage().ClosedDeals(ctx, domain.EpochDay(from), domain.EpochDay(to))
	if err != nil {
		return nil, domain.Money{}, err
	}
	var all domain.Money
	for i, d := range deals {
		var m domain.Money
		money.Rates.Add(&m, d.Amount, d.Currency)
		deals[i].Value = m.Minor
		all.Merge(m)
	}
	return deals, all, nil
}

func (s *Desk) readEvidence(ctx context.Context, from, to time.Time) (Evidence, error) {
	money, err := s.organisation.Money(ctx)
	if err != nil {
		return Evidence{}, err
	}
	deals, all, err := s.closedDeals(ctx, money, from, to)
	if err != nil {
		return Evidence{}, err
	}
	e := Evidence{From: from, To: to, Report: domain.AnalyseEvidence(deals), Currency: money.Rates.Reporting, Missing: all.Missing, Names: map[int64]string{}}
	gaps, err := s.store.Coverage().GapRows(ctx, from, to)
	if err != nil {
		return Evidence{}, err
	}
	e.Gaps = domain.GapsOf(gaps, money.Rates, money.Probabilities)
	if e.Areas, err = s.store.Organisation().Choices(ctx, domain.ListProductAreas); err != nil {
		return Evidence{}, err
	}
	ids := make([]int64, len(e.Report.DevRel))
	for i, r := range e.Report.DevRel {
		ids[i] = r.UserID
	}
	if len(ids) > 0 {
		users, err := s.store.People().UsersByID(ctx, ids)
		if err != nil {
			return Evidence{}, err
		}
		for id, u := range users {
			e.Names[id] = u.Name
		}
	}
	return e, nil
}

// day is t's calendar day, at midnight UTC: the rollups count days so.
func day(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC) }
