package service_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/presale/presale/db"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
	"github.com/presale/presale/internal/service"
	"github.com/presale/presale/internal/testenv"
)

// Totals in three currencies, checked against sums worked by hand: USD is
// the reporting currency, EUR has a fresh rate, GBP one over 30 days old,
// JPY none.
func TestConvertedTotalsInThreeCurrencies(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		now := time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC)
		clock := now
		w := testenv.NewWorld(t, d, func() time.Time { return clock })
		admin := w.User("ada", domain.RoleManager, testenv.Admin)
		sam := w.User("sam", domain.RoleSales)
		dev := w.User("dev", domain.RoleDevRel)
		acc, _ := w.Account(sam, "Northwind")
		priced := func(stage, amount, cur string) func(*domain.DealInput) {
			return func(in *domain.DealInput) { in.Stage, in.Amount, in.Currency = stage, amount, cur }
		}
		usd := w.Deal(sam, acc.ID, "Dollars", priced("prospecting", "1000", "USD"))
		eur := w.Deal(sam, acc.ID, "Euros", priced("discovery", "2000", "EUR"))
		w.Deal(sam, acc.ID, "Pounds", priced("proposal", "3000", "GBP"))
		w.Deal(sam, acc.ID, "Yen", priced("proposal", "500", "JPY"))
		w.Assign(eur.ID, dev)

		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		// An older EUR rate is superseded; a future one is not yet in force.
		must(w.Svc.Organisation.AddRate(ctx, admin, domain.RateInput{Currency: "EUR", Rate: "1.05", EffectiveOn: "2026-05-01"}))
		must(w.Svc.Organisation.AddRate(ctx, admin, domain.RateInput{Currency: "EUR", Rate: "1.1", EffectiveOn: "2026-06-05"}))
		must(w.Svc.Organisation.AddRate(ctx, admin, domain.RateInput{Currency: "EUR", Rate: "9", EffectiveOn: "2026-07-01"}))
		n, err := w.Svc.Organisation.ImportRates(ctx, admin, strings.NewReader("currency,rate,effective_on\nGBP,1.25,2026-05-01\n"))
		must(err)
		if n != 1 {
			t.Fatalf("imported %d rates, want 1", n)
		}

		cov, err := w.Svc.Desk.Coverage(ctx, admin, read.CoverageFilter{})
		must(err)
		// 1,000 + 2,000 × 1.1 + 3,000 × 1.25 = 6,950 USD; JPY left out.
		if got := cov.Total.Value; got.Minor != 695000 || got.Currency != "USD" {
			t.Errorf("open value = %v, want 6,950 USD", got)
		}
		if got := cov.Total.CoveredValue.Minor; got != 220000 {
			t.Errorf("value with DevRel = %d, want 220000 (the EUR deal)", got)
		}
		// 10% of 1,000 + 20% of 2,200 + 60% of 3,750 = 100 + 440 + 2,250.
		if got := cov.Total.Weighted.Minor; got != 279000 {
			t.Errorf("weighted = %d, want 279000", got)
		}
		caveat := cov.Total.Value.Caveat()
		for _, want := range []string{"leaves out JPY", "GBP rate of 1 May 2026, over 30 days old"} {
			if !strings.Contains(caveat, want) {
				t.Errorf("caveat %q lacks %q", caveat, want)
			}
		}
		if strings.Contains(caveat, "EUR") {
			t.Errorf("caveat %q names EUR, whose rate is fresh", caveat)
		}
		// The trend's last week ends now: the same open value.
		if last := cov.Trend[len(cov.Trend)-1]; last.OpenValue.Minor != 695000 || last.CoveredValue.Minor != 220000 {
			t.Errorf("trend's last week = %d / %d, want 220000 / 695000", last.CoveredValue.Minor, last.OpenValue.Minor)
		}

		list, err := w.Svc.Deals.Pipeline(ctx, read.DealFilter{Sort: "amount", Open: "open"})
		must(err)
		var order []string
		for _, r := range list.Rows {
			order = append(order, r.Title)
		}
		if got := strings.Join(order, ","); got != "Pounds,Euros,Dollars,Yen" {
			t.Errorf("largest first = %s, want Pounds,Euros,Dollars,Yen (converted; no rate last)", got)
		}
		if list.Total != 4 || list.Value.Minor != 695000 || list.Weighted.Minor != 279000 {
			t.Errorf("list totals = %d deals, %d, weighted %d", list.Total, list.Value.Minor, list.Weighted.Minor)
		}
		list, err = w.Svc.Deals.Pipeline(ctx, read.DealFilter{Sort: "-amount"})
		must(err)
		if list.Rows[0].ID != usd.ID {
			t.Errorf("smallest first starts with %q, want Dollars", list.Rows[0].Title)
		}

		// Probabilities set by the administrator weigh the next figures.
		percents := map[domain.Stage]string{}
		for _, st := range domain.Stages {
			percents[st] = "50"
		}
		must(w.Svc.Organisation.SaveSettings(ctx, admin, domain.SettingsInput{ReportingCurrency: "USD", Percents: percents}))
		list, err = w.Svc.Deals.Pipeline(ctx, read.DealFilter{})
		must(err)
		if list.Weighted.Minor != 347500 {
			t.Errorf("weighted at 50%% = %d, want 347500", list.Weighted.Minor)
		}
	})
}

func TestRatesUploadSavesAllOrNothing(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := testenv.NewWorld(t, d)
		admin := w.User("ada", domain.RoleManager, testenv.Admin)
		_, err := w.Svc.Organisation.ImportRates(ctx, admin, strings.NewReader("currency,rate,effective_on\nEUR,1.1,2026-06-01\nXXX,1,2026-06-01\nGBP,-2,2026-13-01\n"))
		var rows service.RowErrors
		if !errors.As(err, &rows) || len(rows) != 2 || rows[0].Line != 3 || rows[1].Line != 4 {
			t.Fatalf("err = %v (%#v), want lines 3 and 4 refused", err, rows)
		}
		st, err := w.Svc.Organisation.Settings(ctx, admin)
		if err != nil {
			t.Fatal(err)
		}
		if len(st.Recent) != 0 {
			t.Errorf("%d rates saved from a refused upload", len(st.Recent))
		}
		sales := w.User("sam", domain.RoleSales)
		if err := w.Svc.Organisation.AddRate(ctx, sales, domain.RateInput{Currency: "EUR", Rate: "1", EffectiveOn: "2026-06-01"}); !errors.Is(err, domain.ErrForbidden) {
			t.Errorf("a salesperson adding a rate: %v, want forbidden", err)
		}
	})
}
