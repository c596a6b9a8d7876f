package domain_test

import (
	"slices"
	"testing"
	"time"

	"github.com/presale/presale/internal/domain"
)

// Gaps by hand: a deal counts once in an area's sums however many of its
// questions and promises name the area, converted to the reporting
// currency and weighted by its stage; the area with the most at stake
// comes first.
func TestGapsOf(t *testing.T) {
	day := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	rates := domain.NewRates("USD", day, []domain.ExchangeRate{{Currency: "EUR", ToCurrency: "USD", Rate: 1.1, EffectiveOn: day}})
	probabilities := domain.Probabilities{domain.StageProposal: 60, domain.StageDiscovery: 20}
	rows := []domain.GapRow{
		{Area: "api", Kind: domain.GapQuestion, ItemID: 9, Text: "Rate limits?", DealID: 4, Stage: domain.StageDiscovery, Amount: 50_00, Currency: "USD"},
		{Area: "sso", Kind: domain.GapQuestion, ItemID: 1, Text: "SAML?", DealID: 1, Stage: domain.StageProposal, Amount: 1000_00, Currency: "USD"},
		{Area: "sso", Kind: domain.GapPromise, ItemID: 2, Text: "SAML by Q3", DealID: 1, Stage: domain.StageProposal, Amount: 1000_00, Currency: "USD"},
		{Area: "sso", Kind: domain.GapPromise, ItemID: 3, Text: "SCIM", DealID: 2, Stage: domain.StageDiscovery, Amount: 200_00, Currency: "EUR"},
		{Area: "sso", Kind: domain.GapLost, DealID: 3, Stage: domain.StageClosedLost, Amount: 300_00, Currency: "USD"},
	}
	gaps := domain.GapsOf(rows, rates, probabilities)
	if len(gaps) != 2 || gaps[0].Area != "sso" || gaps[1].Area != "api" {
		t.Fatalf("%+v", gaps)
	}
	sso := gaps[0]
	// 1,000 USD + 200 EUR × 1.1 = 1,220 USD; weighted 600 + 44 = 644 USD.
	if len(sso.Questions) != 1 || len(sso.Promises) != 2 || !slices.Equal(sso.AtStake, []int64{1, 2}) || sso.Value.Minor != 1220_00 ||
		sso.Weighted.Minor != 644_00 || !slices.Equal(sso.Lost, []int64{3}) || sso.LostValue.Minor != 300_00 || sso.Value.Currency != "USD" {
		t.Fatalf("sso: %+v", sso)
	}
	if api := gaps[1]; api.Value.Minor != 50_00 || api.Weighted.Minor != 10_00 || len(api.Lost) != 0 {
		t.Fatalf("api: %+v", api)
	}
}

// What an item stands behind, at the edges: a feasible or kept promise on
// an open deal is no gap; a deal lost to a missing capability counts on
// the period's first and last days, not the day after, nor when archived
// or lost for another reason.
func TestGapRowOf(t *testing.T) {
	from, to := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)
	open := domain.Deal{ID: 1, Stage: domain.StageProposal, AmountMinor: 5, Currency: "USD"}
	lostOn := func(at time.Time, reason string) domain.Deal {
		return domain.Deal{ID: 2, Stage: domain.StageClosedLost, LostReason: reason, ClosedAt: &at}
	}
	archived := open
	archived.ArchivedAt = &from
	question := func(status domain.QuestionStatus, d domain.Deal) domain.AreaItem {
		return domain.AreaItem{Kind: domain.GapQuestion, ID: 7, Area: "sso", Status: string(status), Text: "SAML?", Deal: d}
	}
	promise := func(f domain.Feasibility, status domain.PromiseStatus) domain.AreaItem {
		return domain.AreaItem{Kind: domain.GapPromise, ID: 8, Area: "sso", Status: string(status), Feasibility: f, Deal: open}
	}
	for _, c := range []struct {
		name string
		item domain.AreaItem
		want domain.GapKind // "" for none
	}{
		{"an open question on an open deal", question(domain.QuestionOpen, open), domain.GapQuestion},
		{"an answered question", question(domain.QuestionAnswered, open), ""},
		{"an open question on an archived deal", question(domain.QuestionOpen, archived), ""},
		{"a risky open promise", promise(domain.FeasibilityRisky, domain.PromiseOpen), domain.GapPromise},
		{"an infeasible open promise", promise(domain.FeasibilityInfeasible, domain.PromiseOpen), domain.GapPromise},
		{"a feasible open promise", promise(domain.FeasibilityFeasible, domain.PromiseOpen), ""},
		{"a risky kept promise", promise(domain.FeasibilityRisky, domain.PromiseKept), ""},
		{"lost on the first day", question(domain.QuestionAnswered, lostOn(from, domain.LostMissingCapability)), domain.GapLost},
		{"lost late on the last day", question(domain.QuestionOpen, lostOn(to.Add(23*time.Hour), domain.LostMissingCapability)), domain.GapLost},
		{"lost the day after", question(domain.QuestionOpen, lostOn(to.AddDate(0, 0, 1), domain.LostMissingCapability)), ""},
		{"lost to price", question(domain.QuestionOpen, lostOn(from, "price")), ""},
	} {
		row, ok := domain.GapRowOf(c.item, from, to)
		if ok != (c.want != "") || row.Kind != c.want {
			t.Errorf("%s: %+v %v, want %q", c.name, row, ok, c.want)
		}
		if ok && c.want == domain.GapLost && (row.ItemID != 0 || row.Text != "" || row.DealID != 2) {
			t.Errorf("%s: a lost deal's row names its item: %+v", c.name, row)
		}
	}
}
