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

// An undo works within the window, for who made the change, and not
// after: the meeting stays as it is.
func TestUndoHasAWindow(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		clock := time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC)
		w := testenv.NewWorld(t, d, func() time.Time { return clock })
		sam := w.User("sam", domain.RoleSales)
		acc, _ := w.Account(sam, "Northwind")
		deal := w.Deal(sam, acc.ID, "Fleet")
		m1 := w.Meeting(sam, deal.ID, "Demo", 2, sam)
		m2 := w.Meeting(sam, deal.ID, "Pricing", 3, sam)
		undoOf := func(m domain.Meeting) domain.Undo {
			if _, err := w.Svc.Meetings.CancelMeeting(ctx, sam, m.ID); err != nil {
				t.Fatal(err)
			}
			return domain.Undo{Entity: domain.EntityMeeting, ID: m.ID, From: "scheduled", To: "cancelled", By: sam.ID, At: clock}
		}
		u1, u2 := undoOf(m1), undoOf(m2)
		other := w.User("sue", domain.RoleSales)
		if _, err := w.Svc.Undo(ctx, other, u1); !errors.Is(err, domain.ErrNotFound) {
			t.Fatalf("someone else's undo: %v", err)
		}
		clock = clock.Add(domain.UndoWindow - time.Second)
		if _, err := w.Svc.Undo(ctx, sam, u1); err != nil {
			t.Fatalf("undo within the window: %v", err)
		}
		clock = clock.Add(2 * time.Second)
		if _, err := w.Svc.Undo(ctx, sam, u2); !errors.Is(err, domain.ErrConflict) {
			t.Fatalf("undo after the window: %v, want a conflict", err)
		}
		got, err := w.Svc.Meetings.MeetingDetail(ctx, m2.ID)
		if err != nil || got.Meeting.Status != domain.MeetingCancelled {
			t.Fatalf("late undo changed the meeting: %s %v", got.Meeting.Status, err)
		}
	})
}
