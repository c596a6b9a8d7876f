package service_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/presale/presale/db"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
	"github.com/presale/presale/internal/service"
	"github.com/presale/presale/internal/testenv"
)

// twoInstances is an organisation on one database, reached through two
// presale instances: a and b have their own pools.
func twoInstances(t *testing.T, a, b *db.DB) (*org, *service.Service) {
	o := newOrg(t, a, 2)
	return o, newService(b)
}

// meetingWithDevRel is a deal the DevRel is on and a meeting tomorrow
// that the salesperson and the DevRel attend.
func (o *org) meetingWithDevRel(title string, dev domain.User) (domain.Deal, domain.Meeting) {
	o.t.Helper()
	ctx := context.Background()
	deal, r := o.request(title)
	if _, err := o.svc.Support.AssignSupport(ctx, o.manager, r.ID, dev.ID, true); err != nil {
		o.t.Fatal(err)
	}
	start := time.Now().UTC().Add(30 * time.Hour)
	m, err := o.svc.Meetings.ScheduleMeeting(ctx, o.sales, deal.ID, domain.MeetingInput{Title: title + " demo", Type: "demo",
		StartsAt: start.Format(domain.DateTimeLayout), EndsAt: start.Add(time.Hour).Format(domain.DateTimeLayout),
		InternalAttendeeIDs: []string{fmt.Sprint(o.sales.ID), fmt.Sprint(dev.ID)}}, time.UTC)
	if err != nil {
		o.t.Fatal(err)
	}
	return deal, m
}

// The salesperson and the DevRel confirm one meeting's sync at the same
// moment on two instances: both confirmations are kept, every round.
func TestSimultaneousSyncConfirmationsAreBothKept(t *testing.T) {
	testenv.ForEachEngineTwice(t, func(t *testing.T, a, b *db.DB) {
		ctx := context.Background()
		o, other := twoInstances(t, a, b)
		dev := o.devrel[0]
		const rounds = 20
		for i := range rounds {
			_, m := o.meetingWithDevRel(fmt.Sprintf("Round %d", i), dev)
			errs := testenv.Together(
				func() error { _, err := o.svc.Meetings.ConfirmSync(ctx, o.sales, m.ID); return err },
				func() error { _, err := other.Meetings.ConfirmSync(ctx, dev, m.ID); return err },
			)
			if err := errors.Join(errs...); err != nil {
				t.Fatalf("round %d: %v", i, err)
			}
			sy, found, err := o.st.Meetings().SyncOf(ctx, m.ID)
			if err != nil || !found || sy.SalesConfirmedAt == nil || sy.DevRelConfirmedAt == nil {
				t.Fatalf("round %d: a confirmation was lost: %+v, %v", i, sy, err)
			}
		}
		t.Logf("%s: %d rounds of simultaneous confirmations on two instances, both kept in each", a.Dialect, rounds)
	})
}

// A DevRel rates a promise while its owner marks it kept: both stay.
func TestPromiseRatingAndStatusAtOnceAreBothKept(t *testing.T) {
	testenv.ForEachEngineTwice(t, func(t *testing.T, a, b *db.DB) {
		ctx := context.Background()
		o, other := twoInstances(t, a, b)
		dev := o.devrel[0]
		deal, _ := o.meetingWithDevRel("Promises", dev)
		for i := range 10 {
			p, err := o.svc.Offers.RecordPromise(ctx, o.sales, deal.ID, domain.PromiseInput{Text: fmt.Sprintf("SSO by Q%d", i%4+1), Kind: "roadmap"})
			if err != nil {
				t.Fatal(err)
			}
			errs := testenv.Together(
				func() error {
					_, _, err := o.svc.Offers.SetPromiseStatus(ctx, o.sales, p.ID, domain.PromiseKept)
					return err
				},
				func() error {
					_, err := other.Offers.ReviewPromise(ctx, dev, p.ID, domain.FeasibilityRisky, "Needs the new IdP", nil)
					return err
				},
			)
			if err := errors.Join(errs...); err != nil {
				t.Fatal(err)
			}
			got, err := o.st.Offers().PromiseByID(ctx, p.ID)
			if err != nil || got.Status != domain.PromiseKept || got.Feasibility != domain.FeasibilityRisky || got.Version != p.Version+2 {
				t.Fatalf("round %d: %+v, %v", i, got, err)
			}
		}
	})
}

// Two people turn one accepted offer into a promise at once: one promise,
// and the other is told 409.
func TestAnOfferBecomesAPromiseOnce(t *testing.T) {
	testenv.ForEachEngineTwice(t, func(t *testing.T, a, b *db.DB) {
		ctx := context.Background()
		o, other := twoInstances(t, a, b)
		dev := o.devrel[0]
		deal, m := o.meetingWithDevRel("Accepted", dev)
		for i := range 5 {
			off, err := o.svc.Offers.ProposeOffer(ctx, dev, deal.ID, domain.OfferProposal{Title: fmt.Sprintf("Webhook bridge %d", i), Kind: "integration"}, true)
			if err != nil {
				t.Fatal(err)
			}
			for _, step := range []struct {
				who    domain.User
				action domain.OfferAction
			}{{o.sales, domain.OfferClear}, {o.sales, domain.OfferShare}, {o.sales, domain.OfferAccept}} {
				if _, _, err := o.svc.Offers.MoveOffer(ctx, step.who, off.ID, step.action, domain.OfferInput{MeetingID: &m.ID}); err != nil {
					t.Fatalf("%s: %v", step.action, err)
				}
			}
			errs := testenv.Together(
				func() error {
					_, err := o.svc.Offers.OfferToPromise(ctx, o.sales, off.ID, domain.PromiseInput{Text: "SSO", Kind: "configuration"})
					return err
				},
				func() error {
					_, err := other.Offers.OfferToPromise(ctx, dev, off.ID, domain.PromiseInput{Text: "SSO", Kind: "configuration"})
					return err
				},
			)
			ok, conflicts := 0, 0
			for _, err := range errs {
				switch {
				case err == nil:
					ok++
				case errors.Is(err, domain.ErrConflict):
					conflicts++
				default:
					t.Fatalf("round %d: %v", i, err)
				}
			}
			if ok != 1 || conflicts != 1 {
				t.Fatalf("round %d: %d made, %d refused: %v", i, ok, conflicts, errs)
			}
		}
		_, n, err := o.st.Offers().Promises(ctx, read.PromiseFilter{DealID: deal.ID, Page: storePage()})
		if err != nil || n != 5 {
			t.Fatalf("%d promises of 5 offers, %v", n, err)
		}
	})
}

// Two people edit one account from the same form: the second save is
// refused with what the first changed, and saving again applies it.
func TestStaleEditsAreRefusedWithWhatChanged(t *testing.T) {
	testenv.ForEachEngineTwice(t, func(t *testing.T, a, b *db.DB) {
		ctx := context.Background()
		o, other := twoInstances(t, a, b)
		acc := o.account
		if _, err := o.svc.Accounts.UpdateAccount(ctx, o.sales, acc.ID, acc.Version, domain.AccountInput{Name: "Northwind Logistics"}); err != nil {
			t.Fatal(err)
		}
		_, err := other.Accounts.UpdateAccount(ctx, o.manager, acc.ID, acc.Version, domain.AccountInput{Name: "Northwind", Industry: "Freight"})
		var stale *service.StaleError
		if !errors.As(err, &stale) || !errors.Is(err, domain.ErrConflict) || stale.Version != acc.Version+1 || len(stale.Changes) != 1 ||
			stale.Changes[0].ActorName != o.sales.Name {
			t.Fatalf("stale edit: %v %+v", err, stale)
		}
		got, err := other.Accounts.UpdateAccount(ctx, o.manager, acc.ID, stale.Version, domain.AccountInput{Name: "Northwind", Industry: "Freight"})
		if err != nil || got.Industry != "Freight" || got.Version != acc.Version+2 {
			t.Fatalf("second save: %+v, %v", got, err)
		}

		// Many editors of one contact from one form: one wins.
		ct, err := o.svc.Accounts.CreateContact(ctx, o.sales, acc.ID, domain.ContactInput{Name: "Ines"})
		if err != nil {
			t.Fatal(err)
		}
		var fns []func() error
		for i := range 8 {
			svc := []*service.Service{o.svc, other}[i%2]
			fns = append(fns, func() error {
				_, err := svc.Accounts.UpdateContact(ctx, o.sales, ct.ID, ct.Version, domain.ContactInput{Name: fmt.Sprintf("Ines %d", i)})
				return err
			})
		}
		won := 0
		for _, err := range testenv.Together(fns...) {
			if err == nil {
				won++
			} else if !errors.As(err, &stale) {
				t.Fatalf("contact: %v", err)
			}
		}
		if won != 1 {
			t.Fatalf("%d of 8 simultaneous edits from one form were saved", won)
		}

		// A meeting edited from a form drawn before it was marked held.
		_, m := o.meetingWithDevRel("Edit", o.devrel[1])
		if _, err := other.Meetings.CancelMeeting(ctx, o.sales, m.ID); err != nil {
			t.Fatal(err)
		}
		in := domain.MeetingInput{Title: "Renamed", Type: "demo", StartsAt: m.StartsAt.Format(domain.DateTimeLayout), EndsAt: m.EndsAt.Format(domain.DateTimeLayout)}
		if _, err := o.svc.Meetings.UpdateMeeting(ctx, o.sales, m.ID, m.Version, in, time.UTC); !errors.As(err, &stale) {
			t.Fatalf("meeting edit after a cancel: %v", err)
		}
		// Two instances cancel one meeting: one does, one is told.
		_, m2 := o.meetingWithDevRel("Twice", o.devrel[1])
		errs := testenv.Together(
			func() error { _, err := o.svc.Meetings.CancelMeeting(ctx, o.sales, m2.ID); return err },
			func() error {
				_, err := other.Meetings.MarkMeetingHeld(ctx, o.sales, m2.ID, "Went well", true)
				return err
			},
		)
		if (errs[0] == nil) == (errs[1] == nil) || !errors.Is(errors.Join(errs...), domain.ErrConflict) {
			t.Fatalf("cancel and held at once: %v", errs)
		}
	})
}

// Closing a deal frees its DevRel; reopening it puts nobody back.
func TestClosingADealEndsItsAssignments(t *testing.T) {
	testenv.ForEachEngineTwice(t, func(t *testing.T, a, _ *db.DB) {
		ctx := context.Background()
		o := newOrg(t, a, 1)
		dev := o.devrel[0]
		deal, _ := o.meetingWithDevRel("Closing", dev)
		load := func() int {
			n, err := o.st.Support().ActiveLoad(ctx, dev.ID)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		if load() != 1 {
			t.Fatalf("load %d before closing", load())
		}
		in := domain.DealInput{Title: deal.Title, AccountID: fmt.Sprint(o.account.ID), Stage: "closed_won", Currency: "USD"}
		closed, err := o.svc.Deals.UpdateDeal(ctx, o.sales, deal.ID, deal.Version, in)
		if err != nil {
			t.Fatal(err)
		}
		if load() != 0 {
			t.Fatalf("load %d after the deal closed", load())
		}
		in.Stage = "negotiation"
		if _, err := o.svc.Deals.UpdateDeal(ctx, o.sales, deal.ID, closed.Version, in); err != nil {
			t.Fatal(err)
		}
		if team, _, _ := o.st.Deals().DealTeam(ctx, deal.ID); load() != 0 || len(team.DevRelIDs) != 0 {
			t.Fatalf("reopening restored the team: %+v", team)
		}
		events, err := o.st.Events().EventsFor(ctx, "assignment", dev.ID)
		if err != nil || len(events) == 0 || events[len(events)-1].Action != "ended" {
			t.Fatalf("no ended assignment on the timeline: %+v %v", events, err)
		}
		reqs, _ := o.st.Support().DealSupportRequests(ctx, deal.ID, time.Now())
		if len(reqs) != 1 || reqs[0].Status != domain.SupportFulfilled {
			t.Fatalf("the claimed request of a closed deal: %+v", reqs)
		}
		// The reopened deal shows who was on it, and they can claim again.
		reopened, err := o.st.Deals().DealByID(ctx, deal.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, members, former, err := o.st.Deals().TeamAndFormer(ctx, reopened); err != nil || len(members) != 0 || len(former) != 1 || former[0] != dev.Name {
			t.Fatalf("team %v, former team %v %v", members, former, err)
		}
		r, err := o.svc.Support.RequestSupport(ctx, o.sales, deal.ID, domain.SupportInput{Kind: "demo", Details: "Back in the race"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := o.svc.Support.ClaimSupport(ctx, dev, r.ID); err != nil || load() != 1 {
			t.Fatalf("re-claim: %v, load %d", err, load())
		}
	})
}

// A DevRel who has left a deal hears nothing of its reserve: holding,
// releasing or declining their old offer, and the sync going stale, are
// told only to who is on the deal team now.
func TestReviewNewsReachesOnlyTheTeamOfTheMoment(t *testing.T) {
	testenv.ForEachEngineTwice(t, func(t *testing.T, a, _ *db.DB) {
		ctx := context.Background()
		o := newOrg(t, a, 2)
		gone, stays := o.devrel[0], o.devrel[1]
		deal, m := o.meetingWithDevRel("Leaving", gone)
		off, err := o.svc.Offers.ProposeOffer(ctx, gone, deal.ID, domain.OfferProposal{Title: "Discount on support", Kind: "service"}, true)
		if err != nil {
			t.Fatal(err)
		}
		// Both sides confirm, so a later change makes the sync stale.
		for _, u := range []domain.User{o.sales, gone} {
			if _, err := o.svc.Meetings.ConfirmSync(ctx, u, m.ID); err != nil {
				t.Fatal(err)
			}
		}
		// The DevRel steps off; another joins.
		reqs, err := o.st.Support().DealSupportRequests(ctx, deal.ID, time.Now())
		if err != nil || len(reqs) != 1 {
			t.Fatalf("requests %v %v", reqs, err)
		}
		if _, _, err := o.svc.Support.ReleaseSupport(ctx, gone, reqs[0].ID, false); err != nil {
			t.Fatal(err)
		}
		if _, err := o.svc.Support.ClaimSupport(ctx, stays, reqs[0].ID); err != nil {
			t.Fatal(err)
		}
		before, _ := o.svc.Desk.UnreadCount(ctx, gone)
		if _, _, err := o.svc.Offers.MoveOffer(ctx, o.sales, off.ID, domain.OfferHold, domain.OfferInput{Trigger: "if they push on price"}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := o.svc.Offers.MoveOffer(ctx, o.sales, off.ID, domain.OfferRelease, domain.OfferInput{}); err != nil {
			t.Fatal(err)
		}
		if after, _ := o.svc.Desk.UnreadCount(ctx, gone); after != before {
			t.Fatalf("the DevRel who left got %d notices about the deal's reserve", after-before)
		}
		// Staying on the team, the proposer would have heard: the new
		// DevRel's own offer reaches them.
		own, err := o.svc.Offers.ProposeOffer(ctx, stays, deal.ID, domain.OfferProposal{Title: "Pilot", Kind: "poc"}, true)
		if err != nil {
			t.Fatal(err)
		}
		n, _ := o.svc.Desk.UnreadCount(ctx, stays)
		if _, _, err := o.svc.Offers.MoveOffer(ctx, o.sales, own.ID, domain.OfferClear, domain.OfferInput{}); err != nil {
			t.Fatal(err)
		}
		if after, _ := o.svc.Desk.UnreadCount(ctx, stays); after != n+1 {
			t.Fatalf("the team's DevRel was not told their offer was cleared")
		}
	})
}

// A DevRel's load is one rule counted one way: active assignments on open
// deals. The claim check, the support board's list and the coverage
// review agree, also for an assignment left active on a closed deal by an
// earlier release.
func TestLoadCountsOpenDealsOnlyEverywhere(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		o := newOrg(t, d, 1)
		dev := o.devrel[0]
		open, _ := o.meetingWithDevRel("Open", dev)
		closed, _ := o.meetingWithDevRel("Closed long ago", dev)
		if err := d.Write.Exec("UPDATE deals SET stage = 'closed_lost' WHERE id = ?", closed.ID).Error; err != nil {
			t.Fatal(err)
		}
		_ = open
		st := o.st
		// Written beside the service, as an earlier release left it: the
		// rebuild works its derived state out from the rows.
		if err := st.Derived().Rebuild(ctx); err != nil {
			t.Fatal(err)
		}
		load, err := st.Support().ActiveLoad(ctx, dev.ID)
		if err != nil || load != 1 {
			t.Fatalf("claim check load %d, %v", load, err)
		}
		board, err := st.Support().DevRelLoads(ctx)
		if err != nil || len(board) != 1 || board[0].Load != 1 {
			t.Fatalf("support board loads %+v, %v", board, err)
		}
		cov, err := st.Coverage().DevRelLoadsWithMeetings(ctx, read.CoverageFilter{}, time.Now(), time.Now().Add(time.Hour))
		if err != nil || len(cov) != 1 || cov[0].Load != 1 || cov[0].Full() {
			t.Fatalf("coverage loads %+v, %v", cov, err)
		}
		if !dev.HasRoomFor(load) || dev.HasRoomFor(dev.EffectiveCapacity()) {
			t.Fatal("HasRoomFor disagrees with capacity")
		}
	})
}

// Two DevRel answer one customer question at the same moment on two
// instances: one answer is kept, the other is told 409, never overwritten.
func TestSimultaneousAnswersKeepOne(t *testing.T) {
	testenv.ForEachEngineTwice(t, func(t *testing.T, a, b *db.DB) {
		ctx := context.Background()
		o, other := twoInstances(t, a, b)
		dev, ada := o.devrel[0], o.devrel[1]
		deal, m := o.meetingWithDevRel("Questions", dev)
		if _, err := o.svc.Support.AssignSupport(ctx, o.manager, mustRequest(t, o, deal.ID), ada.ID, true); err != nil {
			t.Fatal(err)
		}
		for i := range 10 {
			q, err := o.svc.Meetings.RaiseQuestion(ctx, o.sales, m.ID, domain.QuestionInput{Category: "security", Text: fmt.Sprintf("SSO %d?", i)})
			if err != nil {
				t.Fatal(err)
			}
			errs := testenv.Together(
				func() error { _, err := o.svc.Meetings.AnswerQuestion(ctx, dev, q.ID, "Yes, SAML", nil); return err },
				func() error { _, err := other.Meetings.AnswerQuestion(ctx, ada, q.ID, "Yes, OIDC", nil); return err },
			)
			if (errs[0] == nil) == (errs[1] == nil) || !errors.Is(errors.Join(errs...), domain.ErrConflict) {
				t.Fatalf("round %d: %v", i, errs)
			}
			got, err := o.st.Meetings().QuestionByID(ctx, q.ID)
			want := map[bool]string{true: "Yes, SAML", false: "Yes, OIDC"}[errs[0] == nil]
			if err != nil || got.Answer != want {
				t.Fatalf("round %d: the kept answer is %q, want the winner's %q", i, got.Answer, want)
			}
		}
	})
}

// mustRequest asks for support on a deal and returns the request's id.
func mustRequest(t *testing.T, o *org, dealID int64) int64 {
	t.Helper()
	r, err := o.svc.Support.RequestSupport(context.Background(), o.sales, dealID, domain.SupportInput{Kind: "deep_dive", Details: "Security review"})
	if err != nil {
		t.Fatal(err)
	}
	return r.ID
}

// Two people merge one account into two others at once, on two
// instances: one merge lands, the other is refused, and nothing is moved
// twice. Two archives of one deal at once record one archive.
func TestSimultaneousMergesAndArchivesLandOnce(t *testing.T) {
	testenv.ForEachEngineTwice(t, func(t *testing.T, a, b *db.DB) {
		ctx := context.Background()
		o, other := twoInstances(t, a, b)
		for i := range 10 {
			from, err := o.svc.Accounts.CreateAccount(ctx, o.sales, domain.AccountInput{Name: fmt.Sprintf("Dup %d", i)}, true)
			if err != nil {
				t.Fatal(err)
			}
			x, _ := o.svc.Accounts.CreateAccount(ctx, o.sales, domain.AccountInput{Name: fmt.Sprintf("Into X %d", i)}, true)
			y, _ := o.svc.Accounts.CreateAccount(ctx, o.sales, domain.AccountInput{Name: fmt.Sprintf("Into Y %d", i)}, true)
			deal, err := o.svc.Deals.CreateDeal(ctx, o.sales, domain.DealInput{Title: fmt.Sprintf("Deal %d", i), AccountID: fmt.Sprint(from.ID), Amount: "1", Currency: "USD"})
			if err != nil {
				t.Fatal(err)
			}
			errs := testenv.Together(
				func() error { return o.svc.Accounts.MergeAccount(ctx, o.sales, from.ID, x.ID) },
				func() error { return other.Accounts.MergeAccount(ctx, o.manager, from.ID, y.ID) },
			)
			landed := 0
			for _, err := range errs {
				switch {
				case err == nil:
					landed++
				case !errors.Is(err, domain.ErrConflict):
					t.Fatalf("round %d: %v", i, err)
				}
			}
			var merges int64
			a.Read.Table("account_merges").Where("from_account_id = ?", from.ID).Count(&merges)
			d, _ := o.st.Deals().DealByID(ctx, deal.ID)
			if landed != 1 || merges != 1 || (d.AccountID != x.ID && d.AccountID != y.ID) {
				t.Fatalf("round %d: %d merges landed, %d recorded, the deal is on account %d", i, landed, merges, d.AccountID)
			}

			errs = testenv.Together(
				func() error { _, err := o.svc.SetArchived(ctx, o.sales, domain.EntityDeal, deal.ID, true); return err },
				func() error {
					_, err := other.SetArchived(ctx, o.manager, domain.EntityDeal, deal.ID, true)
					return err
				},
			)
			var archived int64
			a.Read.Table("events").Where("entity = 'deal' AND entity_id = ? AND action = 'archived'", deal.ID).Count(&archived)
			if archived != 1 || (errs[0] == nil) == (errs[1] == nil) {
				t.Fatalf("round %d: two archives at once recorded %d events (%v)", i, archived, errs)
			}
		}
	})
}

// The coverage rollups stay true when two DevRel claim one deal at once on
// two instances, when two deals move past each other between the same
// stages, and when both DevRel leave at once.
func TestSimultaneousChangesKeepTheCoverageRollups(t *testing.T) {
	testenv.ForEachEngineTwice(t, func(t *testing.T, a, b *db.DB) {
		ctx := context.Background()
		o, other := twoInstances(t, a, b)
		dev1, dev2 := o.devrel[0], o.devrel[1]
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		for i := range 8 {
			deal, r1 := o.request(fmt.Sprintf("Deal %d", i))
			r2, err := o.svc.Support.RequestSupport(ctx, o.sales, deal.ID, domain.SupportInput{Kind: "poc", Details: "POC"})
			must(err)
			errs := testenv.Together(
				func() error { _, err := o.svc.Support.ClaimSupport(ctx, dev1, r1.ID); return err },
				func() error { _, err := other.Support.ClaimSupport(ctx, dev2, r2.ID); return err },
			)
			must(errors.Join(errs...))
			x, err := o.svc.Deals.CreateDeal(ctx, o.sales, domain.DealInput{Title: "X", AccountID: fmt.Sprint(o.account.ID), Stage: "discovery", Amount: "10", Currency: "USD"})
			must(err)
			y, err := o.svc.Deals.CreateDeal(ctx, o.sales, domain.DealInput{Title: "Y", AccountID: fmt.Sprint(o.account.ID), Stage: "proposal", Amount: "20", Currency: "USD"})
			must(err)
			move := func(svc *service.Service, d domain.Deal, stage string) func() error {
				return func() error {
					_, err := svc.Deals.UpdateDeal(ctx, o.sales, d.ID, d.Version, domain.DealInput{Title: d.Title, AccountID: fmt.Sprint(o.account.ID), Stage: stage, Amount: "30", Currency: "USD"})
					return err
				}
			}
			must(errors.Join(testenv.Together(move(o.svc, x, "proposal"), move(other, y, "discovery"))...))
			errs = testenv.Together(
				func() error { _, _, err := o.svc.Support.ReleaseSupport(ctx, dev1, r1.ID, false); return err },
				func() error { _, _, err := other.Support.ReleaseSupport(ctx, dev2, r2.ID, false); return err },
			)
			must(errors.Join(errs...))
			// The deal is handed over while a meeting is scheduled on it:
			// the meeting keeps whichever owner the deal ends with.
			start := time.Now().UTC().Add(48 * time.Hour)
			errs = testenv.Together(
				func() error {
					_, err := o.svc.Deals.BulkUpdateDeals(ctx, o.manager, []int64{deal.ID}, service.BulkChange{OwnerID: o.manager.ID})
					return err
				},
				func() error {
					_, err := other.Meetings.ScheduleMeeting(ctx, o.manager, deal.ID, domain.MeetingInput{Title: "Handover", Type: "demo",
						StartsAt: start.Format(domain.DateTimeLayout), EndsAt: start.Add(time.Hour).Format(domain.DateTimeLayout),
						InternalAttendeeIDs: []string{fmt.Sprint(o.manager.ID)}}, time.UTC)
					return err
				},
			)
			must(errors.Join(errs...))
			drift, err := o.st.Derived().Drift(ctx)
			must(err)
			if len(drift) > 0 {
				t.Fatalf("round %d: the rollups drifted from the rows: %v", i, drift)
			}
		}
	})
}

// One-click unsubscribes of two kinds and of the digest arrive at once on
// two instances: each takes off only what it names, and none undoes
// another, every round.
func TestSimultaneousUnsubscribesAreAllKept(t *testing.T) {
	testenv.ForEachEngineTwice(t, func(t *testing.T, a, b *db.DB) {
		ctx := context.Background()
		o, other := twoInstances(t, a, b)
		const rounds = 15
		for i := range rounds {
			u, err := o.svc.People.SetEmailPrefs(ctx, o.sales, domain.EmailPrefs{Kinds: []string{"offers", "support", "questions"}, Digest: true})
			if err != nil {
				t.Fatal(err)
			}
			errs := testenv.Together(
				func() error { _, err := o.svc.People.Unsubscribe(ctx, u.EmailToken, "offers"); return err },
				func() error { _, err := other.People.Unsubscribe(ctx, u.EmailToken, "support"); return err },
				func() error { _, err := other.People.Unsubscribe(ctx, u.EmailToken, domain.DigestKind); return err },
			)
			if err := errors.Join(errs...); err != nil {
				t.Fatalf("round %d: %v", i, err)
			}
			got, err := o.st.People().UserByID(ctx, u.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.EmailKinds != "questions" || got.EmailDigest || got.EmailToken != u.EmailToken {
				t.Fatalf("round %d: kinds %q, digest %v, token kept %v", i, got.EmailKinds, got.EmailDigest, got.EmailToken == u.EmailToken)
			}
		}
	})
}
