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
