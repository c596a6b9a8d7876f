package store_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/presale/presale/db"
	"github.com/presale/presale/db/seed"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
	"github.com/presale/presale/internal/testenv"
)

// The board reads every stage's page of deals and sums at once
// (DealsByStage); each column is what the list filtered to that stage
// reads (Deals): the same cards in the same order and the same sums, by
// the rollup or by the rows, in any sort.
func TestTheBoardReadsWhatTheListReadsForEachStage(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		hash := func(string) (string, error) { return "not a hash", nil }
		if err := seed.Synthetic(ctx, d.Write, hash, 900, time.Now().UTC()); err != nil {
			t.Fatal(err)
		}
		deals := newStore(d).Deals()
		var owner int64
		if err := d.Read.Raw("SELECT owner_id FROM deals GROUP BY owner_id ORDER BY COUNT(*) DESC LIMIT 1").Scan(&owner).Error; err != nil {
			t.Fatal(err)
		}
		open := []domain.Stage{}
		for _, st := range domain.Stages {
			if !st.Closed() {
				open = append(open, st)
			}
		}
		factors := map[string]float64{"USD": 1, "EUR": 1.1, "GBP": 1.3}
		percents := map[domain.Stage]int{}
		for i, st := range domain.Stages {
			percents[st] = 10 * i
		}
		for name, f := range map[string]read.DealFilter{
			"everyone's, by activity": {},
			"one owner's, by amount":  {OwnerID: owner, Sort: "amount"},
			"a word, by title":        {Q: "a", Sort: "title"},
			"with DevRel, by close":   {DevRel: "with", Sort: "-close"},
		} {
			f.Page = read.Page{Number: 1, Size: 7}
			f.AmountFactors, f.StagePercents, f.Watch = factors, percents, []string{"EUR"}
			rows, sums, err := deals.DealsByStage(ctx, f, open)
			if err != nil {
				t.Fatal(name, err)
			}
			cards := 0
			for _, st := range open {
				sf := f
				sf.Stage = st
				wantRows, wantSums, err := deals.Deals(ctx, sf)
				if err != nil {
					t.Fatal(name, st, err)
				}
				if !reflect.DeepEqual(ids(rows[st]), ids(wantRows)) {
					t.Errorf("%s, %s: cards %v, the list has %v", name, st, ids(rows[st]), ids(wantRows))
				}
				if got := sums[st]; got.Deals != wantSums.Deals || !near(got.Value, wantSums.Value) || !near(got.Weighted, wantSums.Weighted) ||
					!reflect.DeepEqual(got.Watched, wantSums.Watched) {
					t.Errorf("%s, %s: sums %+v, the list's %+v", name, st, got, wantSums)
				}
				cards += len(rows[st])
			}
			if cards == 0 {
				t.Errorf("%s: no cards at all", name)
			}
		}
	})
}

func ids(rows []read.DealRow) []int64 {
	out := []int64{}
	for _, r := range rows {
		out = append(out, r.ID)
	}
	return out
}

func near(a, b float64) bool { return a-b < 1e-6*max(1, b) && b-a < 1e-6*max(1, b) }
