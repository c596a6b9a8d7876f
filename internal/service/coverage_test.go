package service_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/presale/presale/db"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
	"github.com/presale/presale/internal/service"
	"github.com/presale/presale/internal/store"
	"github.com/presale/presale/internal/testenv"
)

// coverageWorld is a hand-built organisation whose coverage figures are
// known: its history is written at chosen times with a settable clock.
type coverageWorld struct {
	svc            *service.Service
	clock          *time.Time
	sam, sue, mia  domain.User
	dev1, dev2     domain.User
	d1, d2, d3, d4 domain.Deal
	m1, m2, m3, m4 domain.Meeting
	acc            domain.Account
	st             *store.Store
	now            time.Time
}

const week = 7 * 24 * time.Hour

func buildCoverageWorld(t *testing.T, d *db.DB) *coverageWorld {
	t.Helper()
	ctx := context.Background()
	now := time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC)
	clock := now.Add(-11 * week)
	w := &coverageWorld{clock: &clock, now: now}
	world := testenv.NewWorld(t, d, func() time.Time { return *w.clock })
	w.st, w.svc = world.Store, world.Svc
	at := func(ago time.Duration) { *w.clock = now.Add(-ago) }
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	user := func(name string, role domain.Role) domain.User { return world.User(name, role) }
	w.sam, w.sue, w.mia = user("sam", domain.RoleSales), user("sue", domain.RoleSales), user("mia", domain.RoleManager)
	w.dev1, w.dev2 = user("dev1", domain.RoleDevRel), user("dev2", domain.RoleDevRel)
	acc, _ := world.Account(w.sam, "Northwind")
	w.acc = acc
	deal := func(owner domain.User, title, stage, amount, currency string) domain.Deal {
		dl, err := w.svc.Deals.CreateDeal(ctx, owner, domain.DealInput{Title: title, AccountID: fmt.Sprint(acc.ID), Stage: stage, Amount: amount, Currency: currency})
		must(err)
		return dl
	}
	claim := func(dl domain.Deal, dev domain.User) domain.SupportRequest {
		owner, _, _ := w.svc.Deals.Deal(ctx, dl.ID)
		r, err := w.svc.Support.RequestSupport(ctx, domain.User{ID: owner.OwnerID, Role: domain.RoleSales, Active: true}, dl.ID, domain.SupportInput{Kind: "demo", Details: "help"})
		must(err)
		_, err = w.svc.Support.ClaimSupport(ctx, dev, r.ID)
		must(err)
		return r
	}
	h := time.Hour
	at(10*week + h)
	w.d1 = deal(w.sam, "D1", "discovery", "1000", "USD")
	at(9*week + h)
	w.d4 = deal(w.sue, "D4", "negotiation", "300", "USD")
	at(8*week + h)
	claim(w.d1, w.dev1)
	at(6*week + h)
	w.d2 = deal(w.sam, "D2", "proposal", "500", "EUR")
	at(4*week + h)
	w.d3 = deal(w.sue, "D3", "negotiation", "2000", "USD")
	r3, err := w.svc.Support.RequestSupport(ctx, w.sue, w.d3.ID, domain.SupportInput{Kind: "poc", Details: "POC"})
	must(err)
	at(3*week + h)
	_, err = w.svc.Support.ClaimSupport(ctx, w.dev2, r3.ID)
	must(err)
	at(2*week + h)
	_, err = w.svc.Deals.UpdateDeal(ctx, w.sue, w.d4.ID, 1, domain.DealInput{Title: "D4", AccountID: fmt.Sprint(acc.ID), Stage: "closed_won", Amount: "300", Currency: "USD"})
	must(err)
	at(1*week + h)
	_, _, err = w.svc.Support.ReleaseSupport(ctx, w.dev2, r3.ID, false)
	must(err)

	// The last days: a request waiting, offers, promises, meetings.
	at(3 * 24 * h)
	yesterday := now.Add(-24 * h).Format(domain.DateLayout)
	_, err = w.svc.Support.RequestSupport(ctx, w.sam, w.d2.ID, domain.SupportInput{Kind: "demo", NeededBy: now.Add(-3 * 24 * h).Format(domain.DateLayout), Details: "demo"})
	must(err)
	at(2 * h)
	offer := func(title string, moves ...domain.OfferAction) {
		o, err := w.svc.Offers.ProposeOffer(ctx, w.dev1, w.d1.ID, domain.OfferProposal{Title: title, Kind: "idea"}, true)
		must(err)
		for _, m := range moves {
			in := domain.OfferInput{Trigger: "on price", Reason: "no"}
			if m == domain.OfferShare {
				in.MeetingID = &w.m4.ID
			}
			actor := w.sam
			if m == domain.OfferShare {
				actor = w.dev1
			}
			_, _, err := w.svc.Offers.MoveOffer(ctx, actor, o.ID, m, in)
			must(err)
		}
	}
	meeting := func(dl domain.Deal, owner domain.User, title string, in time.Duration, attendees ...domain.User) domain.Meeting {
		start := now.Add(in)
		mi := domain.MeetingInput{Title: title, Type: "demo", StartsAt: start.Format(domain.DateTimeLayout), EndsAt: start.Add(h).Format(domain.DateTimeLayout)}
		for _, u := range attendees {
			mi.InternalAttendeeIDs = append(mi.InternalAttendeeIDs, fmt.Sprint(u.ID))
		}
		m, err := w.svc.Meetings.ScheduleMeeting(ctx, owner, dl.ID, mi, time.UTC)
		must(err)
		return m
	}
	w.m4 = meeting(w.d1, w.sam, "M4 beyond the window", 20*24*h, w.sam, w.dev1)
	offer("proposed")
	offer("reserved", domain.OfferHold)
	offer("accepted", domain.OfferClear, domain.OfferShare, domain.OfferAccept)
	offer("declined", domain.OfferDecline)
	promise := func(text, kind, due string, f domain.Feasibility) {
		p, err := w.svc.Offers.RecordPromise(ctx, w.sam, w.d1.ID, domain.PromiseInput{Text: text, Kind: kind, DueDate: due})
		must(err)
		if f != domain.FeasibilityUnreviewed {
			_, err = w.svc.Offers.ReviewPromise(ctx, w.dev1, p.ID, f, "because", nil)
			must(err)
		}
	}
	promise("P1", "roadmap", "", domain.FeasibilityUnreviewed)
	promise("P2", "custom_work", "", domain.FeasibilityRisky)
	promise("P3", "configuration", "", domain.FeasibilityInfeasible)
	promise("P4", "existing_feature", yesterday, domain.FeasibilityFeasible)
	at(h)
	w.m1 = meeting(w.d1, w.sam, "M1 in sync", 2*24*h, w.sam, w.dev1)
	w.m2 = meeting(w.d2, w.sam, "M2 no DevRel", 3*24*h, w.sam)
	w.m3 = meeting(w.d3, w.sue, "M3 unsynced", 4*24*h, w.sue, w.dev2)
	at(30 * time.Minute)
	_, err = w.svc.Meetings.ConfirmSync(ctx, w.sam, w.m1.ID)
	must(err)
	_, err = w.svc.Meetings.ConfirmSync(ctx, w.dev1, w.m1.ID)
	must(err)
	at(0)
	return w
}

func TestCoverageFiguresOfAKnownOrganisation(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := buildCoverageWorld(t, d)
		if _, err := w.svc.Desk.Coverage(ctx, w.sam, read.CoverageFilter{}); err == nil {
			t.Fatal("a salesperson read the coverage review")
		}
		c, err := w.svc.Desk.Coverage(ctx, w.mia, read.CoverageFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if c.Total.Deals != 3 || c.Total.Covered != 1 {
			t.Errorf("open pipeline %d deals, %d covered; want 3, 1", c.Total.Deals, c.Total.Covered)
		}
		wantValues := []read.CurrencyValue{{Currency: "EUR", Value: 50000, Covered: 0}, {Currency: "USD", Value: 300000, Covered: 100000}}
		if fmt.Sprint(c.Total.Values) != fmt.Sprint(wantValues) {
			t.Errorf("values %v, want %v (currencies kept apart)", c.Total.Values, wantValues)
		}
		stages := map[string][2]int64{}
		for _, r := range c.ByStage {
			stages[r.Key] = [2]int64{r.Deals, r.Covered}
		}
		if fmt.Sprint(stages) != fmt.Sprint(map[string][2]int64{"prospecting": {0, 0}, "discovery": {1, 1}, "evaluation": {0, 0}, "proposal": {1, 0}, "negotiation": {1, 0}}) {
			t.Errorf("by stage %v", stages)
		}
		sales := map[string]string{}
		for _, r := range c.BySalesperson {
			sales[r.Key] = fmt.Sprint(r.Deals, r.Covered, r.Values)
		}
		if sales["sam"] != "2 1 [{EUR 50000 0} {USD 100000 100000}]" || sales["sue"] != "1 0 [{USD 200000 0}]" {
			t.Errorf("by salesperson %v", sales)
		}
		if c.Meetings[domain.SyncInSync] != 1 || c.Meetings[domain.SyncUnsynced] != 1 || c.Meetings[domain.SyncNotNeeded] != 1 || c.WithDevRel != 2 || c.WithoutDevRel != 1 {
			t.Errorf("meetings %v with %d without %d", c.Meetings, c.WithDevRel, c.WithoutDevRel)
		}
		if len(c.AtRisk) != 2 || c.AtRisk[0].ID != w.m2.ID || c.AtRisk[1].ID != w.m3.ID {
			t.Errorf("at risk: %+v", c.AtRisk)
		}
		if c.Support != (read.SupportAges{TwoToSeven: 1, OverFourteen: 1, PastNeededBy: 1}) {
			t.Errorf("support ages %+v", c.Support)
		}
		loads := map[string]string{}
		for _, l := range c.DevRel {
			loads[l.Name] = fmt.Sprint(l.Load, "/", l.Capacity, " ", l.Meetings)
		}
		if loads["dev1"] != "1/5 1" || loads["dev2"] != "0/5 1" {
			t.Errorf("DevRel load %v", loads)
		}
		if c.Offers[domain.OfferProposed] != 1 || c.Offers[domain.OfferReserved] != 1 || c.Offers[domain.OfferAccepted] != 1 || c.Offers[domain.OfferDeclined] != 1 {
			t.Errorf("offers %v", c.Offers)
		}
		if c.AcceptanceRate() != 1 || fmt.Sprintf("%.3f", c.DeclineRate()) != "0.333" || c.ReserveRate() != 0.25 {
			t.Errorf("rates: accepted %v declined %v reserved %v", c.AcceptanceRate(), c.DeclineRate(), c.ReserveRate())
		}
		if c.Promises != (read.PromiseRisk{Unreviewed: 1, Risky: 1, Infeasible: 1, Overdue: 1}) {
			t.Errorf("promises %+v", c.Promises)
		}
		// The trend rebuilds the past from the deals' and assignments'
		// dates: oldest week first.
		var open, covered []int64
		for _, wk := range c.Trend {
			open, covered = append(open, wk.Open), append(covered, wk.Covered)
		}
		if fmt.Sprint(open) != "[0 1 2 2 2 3 3 4 4 3 3 3]" || fmt.Sprint(covered) != "[0 0 0 1 1 1 1 1 2 2 1 1]" {
			t.Errorf("trend open %v covered %v", open, covered)
		}

		// One salesperson's view.
		c, err = w.svc.Desk.Coverage(ctx, w.mia, read.CoverageFilter{OwnerID: w.sue.ID})
		if err != nil {
			t.Fatal(err)
		}
		if c.Total.Deals != 1 || c.Total.Covered != 0 || len(c.AtRisk) != 1 || c.AtRisk[0].ID != w.m3.ID {
			t.Errorf("sue's view: %d deals, %d covered, at risk %d", c.Total.Deals, c.Total.Covered, len(c.AtRisk))
		}
		var sueOpen []int64
		for _, wk := range c.Trend {
			sueOpen = append(sueOpen, wk.Open)
		}
		if fmt.Sprint(sueOpen) != "[0 0 1 1 1 1 1 2 2 1 1 1]" {
			t.Errorf("sue's trend %v", sueOpen)
		}
	})
}

// The sync state counted in SQL agrees with the domain's rule, meeting by
// meeting.
func TestSQLSyncStateAgreesWithTheDomain(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := buildCoverageWorld(t, d)
		// Two more cases the first world lacked: a meeting gone stale (an
		// offer changed after both confirmed) and one whose deal changed at
		// the very instant of the later confirmation (in sync: the rule
		// compares with "after", and the engines store instants differently).
		dev := w.dev2
		staleDeal, err := w.svc.Deals.CreateDeal(ctx, w.sue, domain.DealInput{Title: "Stale", AccountID: fmt.Sprint(w.acc.ID), Currency: "USD"})
		if err != nil {
			t.Fatal(err)
		}
		sameDeal, err := w.svc.Deals.CreateDeal(ctx, w.sue, domain.DealInput{Title: "Same instant", AccountID: fmt.Sprint(w.acc.ID), Currency: "USD"})
		if err != nil {
			t.Fatal(err)
		}
		var extra []domain.Meeting
		for _, dl := range []domain.Deal{staleDeal, sameDeal} {
			r, err := w.svc.Support.RequestSupport(ctx, w.sue, dl.ID, domain.SupportInput{Kind: "demo", Details: "help"})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := w.svc.Support.AssignSupport(ctx, w.mia, r.ID, dev.ID, true); err != nil {
				t.Fatal(err)
			}
			start := w.now.Add(5 * 24 * time.Hour)
			m, err := w.svc.Meetings.ScheduleMeeting(ctx, w.sue, dl.ID, domain.MeetingInput{Title: dl.Title, Type: "demo", StartsAt: start.Format(domain.DateTimeLayout),
				EndsAt: start.Add(time.Hour).Format(domain.DateTimeLayout), InternalAttendeeIDs: []string{fmt.Sprint(w.sue.ID), fmt.Sprint(dev.ID)}}, time.UTC)
			if err != nil {
				t.Fatal(err)
			}
			for _, u := range []domain.User{w.sue, dev} {
				if _, err := w.svc.Meetings.ConfirmSync(ctx, u, m.ID); err != nil {
					t.Fatal(err)
				}
			}
			if dl.ID == staleDeal.ID {
				*w.clock = w.clock.Add(time.Microsecond)
			}
			if _, err := w.svc.Offers.ProposeOffer(ctx, dev, dl.ID, domain.OfferProposal{Title: "Idea", Kind: "idea"}, true); err != nil {
				t.Fatal(err)
			}
			extra = append(extra, m)
		}
		counts, err := w.st.Coverage().MeetingSyncCounts(ctx, read.CoverageFilter{}, w.now.Add(-week), w.now.Add(60*24*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		sql := map[domain.SyncState]int64{}
		for _, c := range counts {
			sql[c.State] = c.Count
		}
		fromDomain := map[domain.SyncState]int64{}
		for _, m := range append([]domain.Meeting{w.m1, w.m2, w.m3, w.m4}, extra...) {
			row, err := w.st.Meetings().MeetingRow(ctx, m.ID)
			if err != nil {
				t.Fatal(err)
			}
			fromDomain[row.SyncState()]++
		}
		if fmt.Sprint(sql) != fmt.Sprint(fromDomain) {
			t.Fatalf("SQL %v, domain %v", sql, fromDomain)
		}
		for i, want := range []domain.SyncState{domain.SyncStale, domain.SyncInSync} {
			if row, _ := w.st.Meetings().MeetingRow(ctx, extra[i].ID); row.SyncState() != want {
				t.Errorf("%s: %s, want %s", extra[i].Title, row.SyncState(), want)
			}
		}
	})
}

// The figures read from the rollups are the figures computed from the
// rows, for the organisation and for one salesperson, after every kind of
// change the triggers follow.
func TestCoverageRollupsAgreeWithTheRows(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := buildCoverageWorld(t, d)
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		agree := func(step string, trend, values bool) {
			t.Helper()
			drift, err := w.st.Derived().Drift(ctx)
			must(err)
			if len(drift) > 0 {
				t.Fatalf("%s: the rollups drifted: %v", step, drift)
			}
			// The registers count what they list: neither holds an archived
			// deal's rows (they count all rows less the archived deals').
			page := read.Page{Number: 1, Size: 100}
			listed := func(what string, n int64, rows int, err error) {
				t.Helper()
				must(err)
				if n != int64(rows) {
					t.Errorf("%s: %s counted %d, listed %d", step, what, n, rows)
				}
			}
			for _, st := range []domain.OfferStatus{domain.OfferReserved, domain.OfferAccepted, domain.OfferDeclined} {
				rows, n, err := w.st.Offers().ReviewQueue(ctx, read.OfferFilter{Status: st, Page: page})
				listed(string(st)+" offers", n, len(rows), err)
			}
			promises, n, err := w.st.Offers().Promises(ctx, read.PromiseFilter{Now: *w.clock, Page: page})
			listed("promises", n, len(promises), err)
			for _, st := range []domain.SupportStatus{domain.SupportOpen, domain.SupportClaimed} {
				rows, n, err := w.st.Support().SupportBoard(ctx, read.SupportFilter{Status: st, Now: *w.clock, Page: page})
				listed(string(st)+" support requests", n, len(rows), err)
			}
			// The pipeline's totals, from the deal rollup and from the rows.
			money, err := w.svc.Organisation.Money(ctx)
			must(err)
			for _, f := range []read.DealFilter{{}, {OwnerID: w.sam.ID}, {Stage: domain.StageNegotiation}, {Open: "open"}, {OwnerID: w.sue.ID, Open: "closed"}} {
				f.AmountFactors, f.StagePercents, f.Watch = money.Rates.Factors(), money.Probabilities, []string{"EUR", "GBP"}
				sameFigure(t, fmt.Sprintf("%s, deals %+v: totals", step, f), func(s read.DealSums) string {
					return fmt.Sprintf("%d deals, %.2f, weighted %.2f, unrated %v, watched %v", s.Deals, s.Value, s.Weighted, s.Unrated, s.Watched)
				}, func() (read.DealSums, error) { _, sums, err := w.st.Deals().Deals(ctx, f); return sums, err },
					func() (read.DealSums, error) { return w.st.Deals().DealSumsFromRows(ctx, f) })
			}
			for _, f := range []read.CoverageFilter{{}, {OwnerID: w.sam.ID}} {
				f.Now, f.To = *w.clock, *w.clock
				f.From = f.To.Add(-5 * 24 * time.Hour)
				from, to := f.Now.Add(-30*time.Minute), f.Now.Add(service.MeetingWindow)
				sameFigure(t, fmt.Sprintf("%s, owner %d: pipeline", step, f.OwnerID), sprint[[]read.PipelineCell],
					func() ([]read.PipelineCell, error) { return w.st.Coverage().OpenPipeline(ctx, f) },
					func() ([]read.PipelineCell, error) { return w.st.Coverage().OpenPipelineFromRows(ctx, f) })
				sameFigure(t, step+": offers", count,
					func() ([]read.StatusCount, error) { return w.st.Coverage().OfferStatusCounts(ctx, f) },
					func() ([]read.StatusCount, error) { return w.st.Coverage().OfferStatusCountsFromRows(ctx, f) })
				sameFigure(t, step+": meetings by sync state", states,
					func() ([]read.SyncCount, error) { return w.st.Coverage().MeetingSyncCounts(ctx, f, from, to) },
					func() ([]read.SyncCount, error) { return w.st.Coverage().MeetingSyncCountsFromRows(ctx, f, from, to) })
				sameFigure(t, step+": DevRel loads", sprint[[]read.DevRelCoverage],
					func() ([]read.DevRelCoverage, error) {
						return w.st.Coverage().DevRelLoadsWithMeetings(ctx, f, from, to)
					},
					func() ([]read.DevRelCoverage, error) {
						return w.st.Coverage().DevRelLoadsWithMeetingsFromRows(ctx, f, from, to)
					})
				sameFigure(t, step+": promise risks", func(r read.PromiseRisk) string { return fmt.Sprintf("%+v", r) },
					func() (read.PromiseRisk, error) { return w.st.Coverage().PromiseRisks(ctx, f) },
					func() (read.PromiseRisk, error) { return w.st.Coverage().PromiseRisksFromRows(ctx, f) })
				if !trend {
					continue // the rows forget an archived deal's past…
				}
				weeks := service.WeekEnds(f.To, service.TrendWeeks)
				tr, err := w.st.Coverage().CoverageTrend(ctx, f, weeks)
				must(err)
				trRows, err := w.st.Coverage().CoverageTrendFromRows(ctx, f, weeks)
				must(err)
				if weekly(tr, values) != weekly(trRows, values) {
					t.Errorf("%s, owner %d: trend %v, from the rows %v", step, f.OwnerID, weekly(tr, values), weekly(trRows, values))
				}
			}
		}
		agree("the world as built", true, true)
		step := func(d time.Duration) { *w.clock = w.clock.Add(d) }
		step(time.Hour)
		d2, _, err := w.svc.Deals.Deal(ctx, w.d2.ID)
		must(err)
		_, err = w.svc.Deals.UpdateDeal(ctx, w.sam, d2.ID, d2.Version, domain.DealInput{Title: "D2", AccountID: fmt.Sprint(w.acc.ID), Stage: "negotiation", Amount: "700", Currency: "GBP"})
		must(err)
		// …and price the past at today's amounts: the rollup keeps them.
		agree("a deal moved, repriced and recurrencied", true, false)
		step(24 * time.Hour)
		_, err = w.svc.SetArchived(ctx, w.sam, domain.EntityDeal, w.d1.ID, true)
		must(err)
		agree("a covered deal with offers and promises archived", false, false)
		step(24 * time.Hour)
		_, err = w.svc.SetArchived(ctx, w.sam, domain.EntityDeal, w.d1.ID, false)
		must(err)
		agree("and restored", true, false)
		d3, _, err := w.svc.Deals.Deal(ctx, w.d3.ID)
		must(err)
		_, err = w.svc.Deals.UpdateDeal(ctx, w.sue, d3.ID, d3.Version, domain.DealInput{Title: "D3", AccountID: fmt.Sprint(w.acc.ID), Stage: "closed_lost", Amount: "2000", Currency: "USD", LostReason: "timing"})
		must(err)
		agree("a deal closed", true, false)
		// A deal with meetings and offers handed to another salesperson:
		// its meetings and offers follow, and so does her desk.
		// (Past weeks keep the deal with its owner of the time.)
		_, err = w.svc.Deals.BulkUpdateDeals(ctx, w.mia, []int64{w.d1.ID}, service.BulkChange{OwnerID: w.sue.ID})
		must(err)
		agree("a deal handed over", false, false)
		mine, err := w.svc.Meetings.MyMeetings(ctx, w.sue, 30)
		must(err)
		if !slices.ContainsFunc(mine, func(m read.MeetingRow) bool { return m.ID == w.m4.ID && m.OwnerID == w.sue.ID }) {
			t.Errorf("the handed-over deal's meeting %d is not on its new owner's desk: %v", w.m4.ID, mine)
		}
		mine, err = w.svc.Meetings.MyMeetings(ctx, w.sam, 30)
		must(err)
		// A meeting cancelled leaves its attendees' next meetings.
		if dev2, err := w.svc.Meetings.MyMeetings(ctx, w.dev2, 30); err != nil || !slices.ContainsFunc(dev2, func(m read.MeetingRow) bool { return m.ID == w.m3.ID }) {
			t.Fatalf("meeting %d is not among its DevRel's next meetings (%v)", w.m3.ID, err)
		}
		_, err = w.svc.Meetings.CancelMeeting(ctx, w.sue, w.m3.ID)
		must(err)
		agree("a meeting cancelled", false, false)
		if dev2, err := w.svc.Meetings.MyMeetings(ctx, w.dev2, 30); err != nil || slices.ContainsFunc(dev2, func(m read.MeetingRow) bool { return m.ID == w.m3.ID }) {
			t.Errorf("the cancelled meeting %d is still among its DevRel's next meetings (%v)", w.m3.ID, err)
		}
		// Sam attends it still, so it stays on his desk as Sue's.
		if slices.ContainsFunc(mine, func(m read.MeetingRow) bool { return m.ID == w.m4.ID && m.OwnerID != w.sue.ID }) {
			t.Errorf("the handed-over deal's meeting %d still shows its old owner on his desk", w.m4.ID)
		}
	})
}

// sameFigure holds a figure read from a rollup to the one the rows give,
// compared as show prints them.
func sameFigure[T any](t *testing.T, what string, show func(T) string, rollup, rows func() (T, error)) {
	t.Helper()
	got, err := rollup()
	if err != nil {
		t.Fatal(err)
	}
	want, err := rows()
	if err != nil {
		t.Fatal(err)
	}
	if show(got) != show(want) {
		t.Errorf("%s %s, from the rows %s", what, show(got), show(want))
	}
}

func sprint[T any](v T) string { return fmt.Sprint(v) }

func count(rows []read.StatusCount) string {
	m := map[domain.OfferStatus]int64{}
	for _, r := range rows {
		if r.Count != 0 {
			m[r.Status] += r.Count
		}
	}
	return fmt.Sprint(m)
}

func states(rows []read.SyncCount) string {
	m := map[domain.SyncState]int64{}
	for _, r := range rows {
		m[r.State] += r.Count
	}
	return fmt.Sprint(m)
}

// weekly prints a trend's counts, and its non-zero values when asked.
func weekly(trend []read.WeekCoverage, values bool) string {
	s := ""
	for _, w := range trend {
		s += fmt.Sprintf("%s %d/%d", w.At.Format("2 Jan"), w.Covered, w.Open)
		for _, v := range w.Values {
			if values && (v.Value != 0 || v.Covered != 0) {
				s += fmt.Sprintf(" %s %d/%d", v.Currency, v.Covered, v.Value)
			}
		}
		s += "; "
	}
	return s
}
