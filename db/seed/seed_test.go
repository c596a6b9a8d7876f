package seed_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/presale/presale/db"
	"github.com/presale/presale/db/seed"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// A cheap hasher keeps the test fast; the real one is tested in service.
func hash(pw string) (string, error) { return "hash:" + pw, nil }

func TestDemoOrganisationCoversTheDomain(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		logins, err := seed.Demo(ctx, d.Write, hash, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		roles := map[domain.Role]int{}
		for _, l := range logins {
			roles[l.Role]++
		}
		if roles[domain.RoleSales] < 3 || roles[domain.RoleDevRel] < 3 || roles[domain.RoleManager] < 1 {
			t.Fatalf("roles: %v", roles)
		}
		for _, email := range []string{"sales@demo.test", "devrel@demo.test", "manager@demo.test"} {
			var n int64
			d.Read.Table("users").Where("email = ?", email).Count(&n)
			if n != 1 {
				t.Errorf("no demo user %s", email)
			}
		}
		count := func(table, where string, args ...any) int64 {
			var n int64
			q := d.Read.Table(table)
			if where != "" {
				q = q.Where(where, args...)
			}
			if err := q.Count(&n).Error; err != nil {
				t.Fatal(err)
			}
			return n
		}
		if n := count("accounts", ""); n < 8 {
			t.Errorf("%d accounts", n)
		}
		if n := count("contacts", ""); n < 16 {
			t.Errorf("%d contacts", n)
		}
		if n := count("deals", ""); n < 20 {
			t.Errorf("%d deals", n)
		}
		distinct := func(table, column string) map[string]bool {
			var vs []string
			if err := d.Read.Table(table).Distinct(column).Pluck(column, &vs).Error; err != nil {
				t.Fatal(err)
			}
			m := map[string]bool{}
			for _, v := range vs {
				m[v] = true
			}
			return m
		}
		for _, s := range domain.Stages {
			if !distinct("deals", "stage")[string(s)] {
				t.Errorf("no deal in stage %s", s)
			}
		}
		if n := len(distinct("deals", "currency")); n < 4 {
			t.Errorf("only %d currencies", n)
		}
		for _, s := range domain.OfferStatuses {
			if !distinct("offers", "status")[string(s)] {
				t.Errorf("no offer %s", s)
			}
		}
		for _, f := range domain.Feasibilities {
			if !distinct("promises", "feasibility")[string(f)] {
				t.Errorf("no promise rated %s", f)
			}
		}
		if n := count("offers", "status = ? AND hold_trigger = ''", domain.OfferReserved); n != 0 {
			t.Errorf("%d reserved offers without a trigger", n)
		}
		if count("support_requests", "status = ?", domain.SupportOpen) == 0 || count("support_requests", "status = ?", domain.SupportClaimed) == 0 {
			t.Error("support requests are not both open and claimed")
		}
		now := time.Now().UTC()
		if count("meetings", "starts_at < ? AND status = ?", now, domain.MeetingHeld) == 0 || count("meetings", "starts_at > ? AND status = ?", now, domain.MeetingScheduled) == 0 {
			t.Error("meetings are not both past and upcoming")
		}
		if count("questions", "status = ?", domain.QuestionOpen) == 0 || count("questions", "status = ?", domain.QuestionAnswered) == 0 {
			t.Error("questions are not both open and answered")
		}
		if count("events", "entity = 'deal' AND before_summary LIKE 'stage:%'") < 20 {
			t.Error("stage changes are missing from the timeline")
		}
		if count("events", "team_only") == 0 {
			t.Error("no reserve event is marked team-only")
		}
		// No DevRel carries more than their capacity.
		type load struct {
			UserID   int64
			Deals    int
			Capacity int
		}
		var loads []load
		if err := d.Read.Raw(`SELECT a.user_id, COUNT(DISTINCT a.deal_id) AS deals, u.capacity FROM assignments a
			JOIN users u ON u.id = a.user_id WHERE a.active GROUP BY a.user_id, u.capacity`).Scan(&loads).Error; err != nil {
			t.Fatal(err)
		}
		for _, l := range loads {
			if l.Deals > l.Capacity {
				t.Errorf("user %d carries %d deals over a capacity of %d", l.UserID, l.Deals, l.Capacity)
			}
		}
		// Meetings fall in the demo people's working hours, on weekdays.
		var meetings []domain.Meeting
		if err := d.Read.Find(&meetings).Error; err != nil {
			t.Fatal(err)
		}
		london, _ := time.LoadLocation("Europe/London")
		for _, m := range meetings {
			at := m.StartsAt.In(london)
			if wd := at.Weekday(); wd == time.Saturday || wd == time.Sunday || at.Hour() < domain.WorkdayStart || at.Hour() >= domain.WorkdayEnd {
				t.Errorf("%q starts %s in London, outside working hours", m.Title, at.Format("Mon 2 Jan 15:04"))
			}
		}
		// Every currency of the demo converts.
		if count("exchange_rates", "to_currency = 'USD'") < int64(len(domain.Currencies)-1) {
			t.Error("the demo lacks exchange rates")
		}
	})
}

func TestSeedNeverWritesIntoADatabaseWithData(t *testing.T) {
	d := testenv.Open(t, db.SQLite)
	ctx := context.Background()
	if _, err := seed.Demo(ctx, d.Write, hash, time.Now()); err != nil {
		t.Fatal(err)
	}
	var before int64
	d.Read.Table("deals").Count(&before)
	if _, err := seed.Demo(ctx, d.Write, hash, time.Now()); !errors.Is(err, seed.ErrNotEmpty) {
		t.Fatalf("second demo seed: err = %v", err)
	}
	if err := seed.Synthetic(ctx, d.Write, hash, 10, time.Now()); !errors.Is(err, seed.ErrNotEmpty) {
		t.Fatalf("synthetic over demo: err = %v", err)
	}
	var after int64
	d.Read.Table("deals").Count(&after)
	if after != before {
		t.Fatalf("deals %d → %d", before, after)
	}
}

func TestSyntheticDataset(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		if err := seed.Synthetic(context.Background(), d.Write, hash, 1200, time.Now()); err != nil {
			t.Fatal(err)
		}
		// A meeting a deal, and one more, held, for each closed deal DevRel
		// was in the room of (the evidence's planted effects).
		var deals, meetings, inRoom int64
		d.Read.Table("deals").Count(&deals)
		d.Read.Table("meetings").Count(&meetings)
		d.Read.Table("evidence_deals").Where("deals > 0 AND facts LIKE ?", "room %").Count(&inRoom)
		if deals != 1200 || inRoom == 0 || meetings != 1200+inRoom {
			t.Fatalf("deals %d, meetings %d, closed with DevRel in the room %d", deals, meetings, inRoom)
		}
	})
}
