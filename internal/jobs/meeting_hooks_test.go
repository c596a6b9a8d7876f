package jobs_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"

	"github.com/presale/presale/db"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/testenv"
)

// A meeting marked held and one cancelled each reach an endpoint that
// subscribed to meeting.held and meeting.cancelled, as those types (they
// were sent as nothing: both were recorded as updates); one reopened is
// a meeting.updated, which the endpoint did not ask for.
func TestHeldAndCancelledMeetingsReachTheirSubscribers(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w, svc, admin, sales := hooked(t, d, true)
		devrel := w.User("Dee DevRel", domain.RoleDevRel)
		rcv := newReceiver(t)
		ep, err := svc.Deliveries.CreateWebhookEndpoint(ctx, admin, domain.WebhookInput{URL: rcv.srv.URL, Kind: "standard",
			EventTypes: []string{"meeting.held", "meeting.cancelled"}})
		if err != nil {
			t.Fatal(err)
		}
		rcv.secret = ep.Secret
		acc, _ := w.Account(sales, "Northwind")
		deal := w.Deal(sales, acc.ID, "Fleet")
		w.Assign(deal.ID, devrel)
		held, cancelled := w.Meeting(sales, deal.ID, "Demo", 2, sales, devrel), w.Meeting(sales, deal.ID, "Pricing call", 3, sales, devrel)
		if _, err := svc.Meetings.MarkMeetingHeld(ctx, sales, held.ID, "They want a POC.", true); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Meetings.CancelMeeting(ctx, sales, cancelled.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Meetings.ReopenMeeting(ctx, sales, cancelled.ID); err != nil {
			t.Fatal(err)
		}
		until(t, "the held and the cancelled meeting", func() bool { return len(rcv.all()) >= 2 })
		var got []string
		for _, r := range rcv.all() {
			var msg struct {
				Type string
				Data struct{ ID int64 }
			}
			if err := json.Unmarshal(r.Body, &msg); err != nil || !r.Verified {
				t.Fatalf("delivery %s (verified %v): %v", r.Body, r.Verified, err)
			}
			got = append(got, msg.Type+" "+map[int64]string{held.ID: "held", cancelled.ID: "cancelled"}[msg.Data.ID])
		}
		slices.Sort(got)
		if want := []string{"meeting.cancelled cancelled", "meeting.held held"}; !slices.Equal(got, want) {
			t.Errorf("deliveries %q, want %q", got, want)
		}
		// The timeline says what happened.
		page, err := svc.Deals.DealDetail(ctx, sales, deal.ID)
		if err != nil {
			t.Fatal(err)
		}
		var said []string
		for _, e := range page.Timeline {
			// The queue's sweep may also warn of the reopened meeting's sync.
			if e.Entity == domain.EntityMeeting && e.Action != "created" && e.Action != domain.ActionSyncDue {
				said = append(said, e.Verb()+" the "+e.Noun())
			}
		}
		slices.Sort(said)
		if want := []string{"cancelled the meeting", "held the meeting", "updated the meeting"}; !slices.Equal(said, want) {
			t.Errorf("the timeline says %q, want %q", said, want)
		}
	})
}
