package service_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/presale/presale/db"
	"github.com/presale/presale/db/seed"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/service"
	"github.com/presale/presale/internal/store"
	"github.com/presale/presale/internal/testenv"
)

// The evidence reads what the service wrote: who was in the room, in
// sync before it started, which levers were released or kept, as each
// deal closed; a deal reopened leaves it. Managers read it whole; a
// DevRel reads their own row and not the reserve's; a salesperson not at
// all. Both engines, and what was kept is what a rebuild gives.
func TestTheEvidenceReadsWhatWasDone(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		t0 := time.Now().UTC().Truncate(time.Minute)
		now := &clock{now: t0}
		w := testenv.NewWorld(t, d, now.Now)
		svc := w.Svc
		sam := w.User("Sam Sales", domain.RoleSales)
		dev := w.User("Dana DevRel", domain.RoleDevRel, testenv.Capacity(5))
		mia := w.User("Mia Manager", domain.RoleManager)
		acc, _ := w.Account(sam, "Northwind")
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		lever := func(dealID int64, release bool) {
			o, err := svc.Offers.ProposeOffer(ctx, dev, dealID, domain.OfferProposal{Title: "Free pilot", Kind: "poc"}, true)
			must(err)
			_, _, err = svc.Offers.MoveOffer(ctx, sam, o.ID, domain.OfferHold, domain.OfferInput{Trigger: "if they push on price"})
			must(err)
			if release {
				_, _, err = svc.Offers.MoveOffer(ctx, sam, o.ID, domain.OfferRelease, domain.OfferInput{})
				must(err)
			}
		}
		closeAs := func(dealID int64, stage domain.Stage) {
			deal, err := w.Store.Deals().DealByID(ctx, dealID)
			must(err)
			_, _, _, err = svc.Deals.MoveDeal(ctx, sam, dealID, deal.Version, stage, domain.DealLoss{Reason: "timing"})
			must(err)
		}
		// A: DevRel in the room, in sync, a lever released, won.
		a := w.Deal(sam, acc.ID, "A")
		w.Assign(a.ID, dev)
		lever(a.ID, true)
		now.Set(t0.Add(time.Minute))
		ma := w.Meeting(sam, a.ID, "Demo A", 2, sam, dev)
		_, err := svc.Meetings.SaveSync(ctx, sam, ma.ID, 0, domain.SyncInput{Notes: "Lead with the API", MayRaise: "SSO", Avoid: "pricing"})
		must(err)
		for _, u := range []domain.User{sam, dev} {
			_, err := svc.Meetings.ConfirmSync(ctx, u, ma.ID)
			must(err)
		}
		// B: DevRel in the room, unsynced, a lever held and never used, lost.
		b := w.Deal(sam, acc.ID, "B")
		w.Assign(b.ID, dev)
		lever(b.ID, false)
		mb := w.Meeting(sam, b.ID, "Demo B", 2, sam, dev)
		// C: no DevRel in the room, nothing held, won. D: won, then reopened.
		c := w.Deal(sam, acc.ID, "C")
		mc := w.Meeting(sam, c.ID, "Call C", 2, sam)
		dd := w.Deal(sam, acc.ID, "D")

		now.Set(t0.Add(4 * time.Hour))
		for _, m := range []domain.Meeting{ma, mb, mc} {
			_, err := svc.Meetings.MarkMeetingHeld(ctx, sam, m.ID, "They liked it", false)
			must(err)
		}
		now.Set(t0.Add(5 * time.Hour))
		closeAs(a.ID, domain.StageClosedWon)
		closeAs(b.ID, domain.StageClosedLost)
		closeAs(c.ID, domain.StageClosedWon)
		closeAs(dd.ID, domain.StageClosedWon)
		closeAs(dd.ID, domain.StageNegotiation)

		now.Set(t0.Add(6 * time.Hour))
		from, to := service.EvidencePeriod(now.Now())
		e, err := svc.Desk.Evidence(ctx, mia, from, to)
		must(err)
		r := e.Report
		rate := func(g domain.Group) domain.Rate { return g.Rate }
		if r.Deals != 3 || rate(r.Room.Groups[0]) != (domain.Rate{Won: 1, Deals: 2}) || rate(r.Room.Groups[1]) != (domain.Rate{Won: 1, Deals: 1}) {
			t.Fatalf("in the room: %d deals, %+v", r.Deals, r.Room.Groups)
		}
		if rate(r.Sync.Groups[0]) != (domain.Rate{Won: 1, Deals: 1}) || rate(r.Sync.Groups[1]) != (domain.Rate{Won: 0, Deals: 1}) {
			t.Fatalf("in sync: %+v", r.Sync.Groups)
		}
		if !e.Levers || rate(r.Levers.Groups[0]) != (domain.Rate{Won: 1, Deals: 1}) || rate(r.Levers.Groups[1]) != (domain.Rate{Won: 0, Deals: 1}) ||
			rate(r.Levers.Groups[2]) != (domain.Rate{Won: 1, Deals: 1}) {
			t.Fatalf("levers: %+v", r.Levers.Groups)
		}
		if len(r.DevRel) != 1 || r.DevRel[0].UserID != dev.ID || r.DevRel[0].Meetings != 2 || r.DevRel[0].InSync != 1 || r.DevRel[0].Group.Rate != (domain.Rate{Won: 1, Deals: 2}) ||
			e.Names[dev.ID] != "Dana DevRel" {
			t.Fatalf("per DevRel: %+v %v", r.DevRel, e.Names)
		}
		if drift, err := w.Store.Derived().Drift(ctx); err != nil || len(drift) > 0 {
			t.Fatalf("drift: %v %v", drift, err)
		}

		// A DevRel reads their own row, and not the reserve's comparison.
		other := w.User("Olga DevRel", domain.RoleDevRel)
		seen, err := svc.Desk.Evidence(ctx, other, from, to)
		must(err)
		if seen.Levers || len(seen.Report.Levers.Groups) != 0 || len(seen.Report.DevRel) != 0 || seen.Report.Room.Groups[0].Rate.Deals != 2 {
			t.Fatalf("another DevRel reads %+v", seen)
		}
		if again, _ := svc.Desk.Evidence(ctx, mia, from, to); len(again.Report.DevRel) != 1 || len(again.Report.Levers.Groups) != 3 {
			t.Fatal("a DevRel's reading changed what is kept for everyone")
		}
		if _, err := svc.Desk.Evidence(ctx, sam, from, to); !errors.Is(err, domain.ErrForbidden) {
			t.Fatalf("a salesperson reads the evidence: %v", err)
		}
		// The deals behind a count keep the same rules: the manager reads
		// the released lever's and Dana's deals; Olga neither; Dana hers.
		if ids, err := svc.Desk.EvidenceDeals(ctx, mia, from, to, domain.EvidenceLevers, 0, -1); err != nil || len(ids) != 1 || ids[0] != a.ID {
			t.Fatalf("the released lever's deals: %v %v", ids, err)
		}
		if ids, err := svc.Desk.EvidenceDeals(ctx, dev, from, to, domain.EvidenceDevRel, dev.ID, -1); err != nil || len(ids) != r.DevRel[0].Group.Rate.Deals {
			t.Fatalf("Dana's own deals: %v %v", ids, err)
		}
		for key, group := range map[string]int64{domain.EvidenceLevers: 0, domain.EvidenceDevRel: dev.ID} {
			if ids, err := svc.Desk.EvidenceDeals(ctx, other, from, to, key, group, -1); !errors.Is(err, domain.ErrNotFound) {
				t.Fatalf("Olga reads the deals behind %s: %v %v", key, ids, err)
			}
		}
		if _, err := svc.Desk.EvidenceDeals(ctx, sam, from, to, domain.EvidenceRoom, 0, -1); !errors.Is(err, domain.ErrForbidden) {
			t.Fatalf("a salesperson reads the deals behind a count: %v", err)
		}
	})
}

// The synthetic organisation plants known effects in its closed deals
// (db/seed: a lift with DevRel in the room, a further one in sync, and
// DevRel more often on the large deals, which win less): the evidence
// recovers each lift within its interval, and within size thirds where
// the pooled figure reverses it. Fixed seed, both engines.
func TestTheEvidenceRecoversThePlantedLifts(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		now := time.Now().UTC()
		if err := seed.Synthetic(ctx, d.Write, service.HashPassword, 12000, now); err != nil {
			t.Fatal(err)
		}
		svc := service.New(store.New(d.Write, d.Read), service.WithClock(func() time.Time { return now }))
		managers, err := store.New(d.Write, d.Read).People().Users(ctx, domain.RoleManager)
		if err != nil || len(managers) == 0 {
			t.Fatal(err)
		}
		e, err := svc.Desk.Evidence(ctx, managers[0], now.AddDate(-2, 0, 0), now)
		if err != nil {
			t.Fatal(err)
		}
		room, sync := e.Report.Room, e.Report.Sync
		t.Logf("%d closed deals; in the room pooled %+.3f, banded %+.3f; in sync pooled %+.3f, banded %+.3f", e.Report.Deals,
			first(room.Difference()), first(room.BandedDifference()), first(sync.Difference()), first(sync.BandedDifference()))

		lift := seed.PlantedRoomLift + seed.PlantedSyncShare*seed.PlantedSyncLift
		if lo, hi, ok := room.BandedInterval(); !ok || lift < lo || lift > hi {
			t.Errorf("in the room, within thirds: %.3f to %.3f does not hold the planted %.3f", lo, hi, lift)
		}
		if lo, hi, ok := room.DifferenceInterval(); !ok || hi >= lift || !room.Confounded() || room.Pooled() != domain.FindingLess {
			t.Errorf("in the room, pooled: %.3f to %.3f, confounded %v: the pooled figure should hide the lift", lo, hi, room.Confounded())
		}
		for name, interval := range map[string]func() (float64, float64, bool){"pooled": sync.DifferenceInterval, "within thirds": sync.BandedInterval} {
			if lo, hi, ok := interval(); !ok || seed.PlantedSyncLift < lo || seed.PlantedSyncLift > hi {
				t.Errorf("in sync, %s: %.3f to %.3f does not hold the planted %.3f", name, lo, hi, seed.PlantedSyncLift)
			}
		}
	})
}

func first(x float64, _ bool) float64 { return x }
