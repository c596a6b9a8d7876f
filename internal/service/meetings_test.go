package service_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/presale/presale/db"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/testenv"
)

// Marking a meeting held follows one rule for every caller: before its
// start only confirmed and with its outcome; from its start, outcome or not.
func TestAMeetingIsHeldEarlyOnlyConfirmedWithItsOutcome(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		clock := time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC)
		w := testenv.NewWorld(t, d, func() time.Time { return clock })
		sam := w.User("sam", domain.RoleSales)
		acc, _ := w.Account(sam, "Northwind")
		deal := w.Deal(sam, acc.ID, "Fleet")
		m := w.Meeting(sam, deal.ID, "Demo", 2, sam)

		for _, c := range []struct {
			outcome string
			early   bool
			field   string
		}{{"Went well.", false, "early"}, {"", true, "outcome"}, {" \n ", true, "outcome"}} {
			_, err := w.Svc.Meetings.MarkMeetingHeld(ctx, sam, m.ID, c.outcome, c.early)
			var invalid domain.ValidationErrors
			if !errors.As(err, &invalid) || invalid[c.field] == "" {
				t.Fatalf("held early (%q, confirmed %v): %v, want a refusal on %s", c.outcome, c.early, err, c.field)
			}
		}
		if got, _ := w.Svc.Meetings.MeetingDetail(ctx, m.ID); got.Meeting.Status != domain.MeetingScheduled {
			t.Fatalf("a refused mark left it %s", got.Meeting.Status)
		}
		if _, err := w.Svc.Meetings.MarkMeetingHeld(ctx, sam, m.ID, "Moved up; went well.", true); err != nil {
			t.Fatalf("held early, confirmed, with its outcome: %v", err)
		}

		later := w.Meeting(sam, deal.ID, "Review", 3, sam)
		clock = clock.Add(3 * time.Hour)
		if _, err := w.Svc.Meetings.MarkMeetingHeld(ctx, sam, later.ID, "", false); err != nil {
			t.Fatalf("held at its start without an outcome: %v", err)
		}
	})
}
