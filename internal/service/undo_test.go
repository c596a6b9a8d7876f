package service_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/presale/presale/db"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/store"
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

// Undoing a review step puts the offer back exactly as it stood: undoing
// "clear" leaves it proposed at the time it was proposed (the review
// queue's "proposed …"), undecided; undoing a hold of a cleared offer
// leaves it cleared by whoever cleared it, when they did.
func TestUndoingAReviewPutsTheOfferBackExactly(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		clock := time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC)
		w := testenv.NewWorld(t, d, func() time.Time { return clock })
		sam := w.User("sam", domain.RoleSales)
		dev := w.User("dev", domain.RoleDevRel)
		acc, _ := w.Account(sam, "Northwind")
		deal := w.Deal(sam, acc.ID, "Fleet")
		w.Assign(deal.ID, dev)
		proposed, err := w.Svc.Offers.ProposeOffer(ctx, dev, deal.ID, domain.OfferProposal{Title: "Replay API", Kind: "idea"}, true)
		if err != nil {
			t.Fatal(err)
		}
		offerNow := func() domain.Offer {
			o, err := store.New(d.Write, d.Read).Offers().OfferByID(ctx, proposed.ID)
			if err != nil {
				t.Fatal(err)
			}
			return o
		}
		before := offerNow()

		clock = clock.Add(40 * time.Minute)
		_, undo, err := w.Svc.Offers.MoveOffer(ctx, sam, proposed.ID, domain.OfferClear, domain.OfferInput{})
		if err != nil {
			t.Fatal(err)
		}
		cleared := offerNow()
		clock = clock.Add(time.Minute)
		if _, err := w.Svc.Undo(ctx, sam, undo); err != nil {
			t.Fatal(err)
		}
		if got := offerNow(); got.Status != domain.OfferProposed || !got.UpdatedAt.Equal(before.UpdatedAt) || got.DecidedByID != nil || got.DecidedAt != nil {
			t.Fatalf("after undoing clear: %s, updated %s (proposed %s), decided %v %v", got.Status, got.UpdatedAt, before.UpdatedAt, got.DecidedByID, got.DecidedAt)
		}

		if _, _, err = w.Svc.Offers.MoveOffer(ctx, sam, proposed.ID, domain.OfferClear, domain.OfferInput{}); err != nil {
			t.Fatal(err)
		}
		cleared = offerNow()
		clock = clock.Add(time.Minute)
		_, undo, err = w.Svc.Offers.MoveOffer(ctx, sam, proposed.ID, domain.OfferHold, domain.OfferInput{Trigger: "if they push on price"})
		if err != nil {
			t.Fatal(err)
		}
		// Through the session, as the Undo button takes it.
		if undo, err = domain.ParseUndo(undo.String()); err != nil {
			t.Fatal(err)
		}
		clock = clock.Add(time.Minute)
		if _, err := w.Svc.Undo(ctx, sam, undo); err != nil {
			t.Fatal(err)
		}
		got := offerNow()
		if got.Status != domain.OfferCleared || got.HoldTrigger != "" || !got.UpdatedAt.Equal(cleared.UpdatedAt) ||
			got.DecidedAt == nil || !got.DecidedAt.Equal(*cleared.DecidedAt) || *got.DecidedByID != sam.ID {
			t.Fatalf("after undoing the hold: %s, updated %s (cleared %s), decided %v", got.Status, got.UpdatedAt, cleared.UpdatedAt, got.DecidedAt)
		}
	})
}
