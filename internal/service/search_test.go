package service_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/presale/presale/db"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
	"github.com/presale/presale/internal/store"
	"github.com/presale/presale/internal/testenv"
)

// The search's SQL for which offers a viewer may see agrees with the
// domain's ActionViewOffer for every status and every kind of viewer:
// the owner, a DevRel on the deal, a DevRel who proposed a draft but left
// the deal, someone off the team, a manager and a deactivated manager.
func TestSearchAgreesWithTheOfferPolicy(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		w := testenv.NewWorld(t, d)
		ctx := context.Background()
		owner := w.User("Olive Owner", domain.RoleSales)
		onTeam := w.User("Tess Team", domain.RoleDevRel)
		left := w.User("Lee Left", domain.RoleDevRel)
		manager := w.User("Mia Manager", domain.RoleManager)
		viewers := []domain.User{owner, onTeam, left, w.User("Oscar Other", domain.RoleSales), w.User("Dan Devrel", domain.RoleDevRel), manager}
		gone := manager
		gone.ID, gone.Active = 0, false
		viewers = append(viewers, gone)
		acc, _ := w.Account(owner, "Quasar Corp")
		deal := w.Deal(owner, acc.ID, "Quasar deal")
		w.Assign(deal.ID, onTeam)
		team := domain.DealTeam{DealID: deal.ID, OwnerID: owner.ID, DevRelIDs: []int64{onTeam.ID}}
		var offers []domain.Offer
		for _, by := range []domain.User{onTeam, left} {
			for _, st := range domain.OfferStatuses {
				o := domain.Offer{DealID: deal.ID, ProposedByID: by.ID, Title: fmt.Sprintf("Quasar %s by %d", st, by.ID), Kind: domain.OfferIdea,
					Status: st, Version: 1, CreatedAt: w.Clock(), UpdatedAt: w.Clock()}
				if err := d.Write.Create(&o).Error; err != nil {
					t.Fatal(err)
				}
				offers = append(offers, o)
			}
		}
		for _, v := range viewers {
			var want []int64
			for _, o := range offers {
				if domain.Can(v, domain.ActionViewOffer, domain.OfferSubject{Offer: o, Team: team}) {
					want = append(want, o.ID)
				}
			}
			got, err := w.Store.Search(ctx, v, []string{"quasar"}, 100)
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, h := range got[read.SearchOffers] {
				ids = append(ids, h.ID)
			}
			slices.Sort(ids)
			slices.Sort(want)
			if !slices.Equal(ids, want) {
				t.Errorf("%s (%s, active %v) finds offers %v, the domain lets them see %v", v.Name, v.Role, v.Active, ids, want)
			}
			// Fewer than match: as good a match each, the newest.
			if len(want) > 3 {
				few, err := w.Store.Search(ctx, v, []string{"quasar"}, 3)
				if err != nil {
					t.Fatal(err)
				}
				var newest []int64
				for _, h := range few[read.SearchOffers] {
					newest = append(newest, h.ID)
				}
				if !slices.Equal(newest, []int64{want[len(want)-1], want[len(want)-2], want[len(want)-3]}) {
					t.Errorf("%s's newest three are %v, want the last three of %v", v.Name, newest, want)
				}
			}
		}
	})
}

// The search puts the best match first, the same way on both engines: a
// deal named exactly what was typed before newer deals that only mention
// it, and among those the one with fewer other words before the longer.
func TestSearchPutsTheExactTitleBeforeNewerWeakerMatches(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		w := testenv.NewWorld(t, d)
		owner := w.User("Olive Owner", domain.RoleSales)
		acc, _ := w.Account(owner, "Zephyr Holdings")
		exact := w.Deal(owner, acc.ID, "Telemetry")
		short := w.Deal(owner, acc.ID, "Telemetry pilot")
		long := w.Deal(owner, acc.ID, "Migrate the old telemetry platform to the new cloud region")
		got, err := w.Store.Search(context.Background(), owner, []string{"telemetry"}, 10)
		if err != nil {
			t.Fatal(err)
		}
		ids := foundDeals(got)
		if want := []int64{exact.ID, short.ID, long.ID}; !slices.Equal(ids, want) {
			t.Errorf("searching telemetry finds deals %v, want the exact title, the short, the long: %v", ids, want)
		}
	})
}

// Among more rows than the newest few PostgreSQL tests first, the search
// still finds the newest matches the viewer may see, on both engines: of
// 400 deals named alike, the newest 250 archived, the newest 10 of the
// 150 left come first (the newest 300 rows hold 50 of them, the newest
// 3,000 all; PostgreSQL takes the three steps).
func TestSearchFindsTheNewestMatchesPastTheNewestRows(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		w := testenv.NewWorld(t, d)
		owner := w.User("Olive Owner", domain.RoleSales)
		acc, _ := w.Account(owner, "Zephyr Holdings")
		now := w.Clock()
		deals := make([]domain.Deal, 400)
		for i := range deals {
			deals[i] = domain.Deal{AccountID: acc.ID, Title: fmt.Sprintf("Quokka %d", i), OwnerID: owner.ID, Stage: domain.StageDiscovery,
				Currency: "USD", TechnicalStatus: domain.TechNotStarted, Version: 1, CreatedAt: now, UpdatedAt: now}
		}
		if err := d.Write.CreateInBatches(&deals, 100).Error; err != nil {
			t.Fatal(err)
		}
		if err := d.Write.Exec("UPDATE deals SET archived_at = ? WHERE id > ?", now, deals[149].ID).Error; err != nil {
			t.Fatal(err)
		}
		got, err := w.Store.Search(context.Background(), owner, []string{"quokka"}, 10)
		if err != nil {
			t.Fatal(err)
		}
		ids, want := foundDeals(got), []int64(nil)
		for i := 149; i > 139; i-- {
			want = append(want, deals[i].ID)
		}
		if !slices.Equal(ids, want) {
			t.Fatalf("searching quokka finds %v, want the newest ten not archived: %v", ids, want)
		}
	})
}

// The words typed match whole but the last, which may still be being
// typed and matches the start of a word; the same on both engines.
func TestSearchMatchesTheLastWordByItsStart(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		w := testenv.NewWorld(t, d)
		owner := w.User("Olive Owner", domain.RoleSales)
		acc, _ := w.Account(owner, "Zephyr Holdings")
		fleet := w.Deal(owner, acc.ID, "Fleet telemetry 012345")
		w.Deal(owner, acc.ID, "Fleet telemetry 099999")
		// A name's words are split where what is typed is: at every
		// character not a letter or a digit (PostgreSQL's parser kept
		// "acme.io" and "v2.1" whole).
		acme := w.Deal(owner, acc.ID, "Acme.io rollout v2.1 (ana@acme.io)")
		for typed, want := range map[string][]int64{
			"fleet 0123":         {fleet.ID},
			"fleet telemetry 01": {fleet.ID},
			"telemetry 012345":   {fleet.ID},
			"fle 012345":         nil, // a word before the last is whole
			"fleet 12345":        nil, // the start of a word, not its inside
			"acme rollout":       {acme.ID},
			"acme.io roll":       {acme.ID},
			"rollout v2.1":       {acme.ID},
			"ana acme":           {acme.ID},
		} {
			got, err := w.Store.Search(context.Background(), owner, store.SearchTerms(typed), 10)
			if err != nil {
				t.Fatal(err)
			}
			if ids := foundDeals(got); !slices.Equal(ids, want) {
				t.Errorf("%q finds deals %v, want %v", typed, ids, want)
			}
		}
	})
}

// foundDeals are the ids of the deals a search found, best first.
func foundDeals(got read.SearchResults) []int64 {
	var ids []int64
	for _, h := range got[read.SearchDeals] {
		ids = append(ids, h.ID)
	}
	return ids
}
