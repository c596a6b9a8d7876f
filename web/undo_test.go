package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/presale/presale/db"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/testenv"
)

// Every one-click change shows what happened with an Undo that takes it
// back; the session holds what to undo, so nobody undoes another's change
// and nothing is undone twice.
func TestOneClickChangesCanBeUndone(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		oc := newOfferCast(t, d)
		sam := oc.clients["sam"]
		status := func(id int64) domain.OfferStatus {
			var o domain.Offer
			if err := oc.a.db.Read.First(&o, id).Error; err != nil {
				t.Fatal(err)
			}
			return o.Status
		}

		// Clear from the review queue, as htmx does: the queue comes back
		// with a status line offering Undo.
		o := oc.offerIn(domain.OfferProposed)
		if got := location(t, sam.htmxSubmit(fmt.Sprint("/offers/", o.ID, "/clear"), nil, "/offers/review"), http.StatusSeeOther); got != "/offers/review" {
			t.Fatalf("htmx clear → %s, want the review queue", got)
		}
		_, queue := sam.get("/offers/review")
		if flash := queue.Find(`#flash-region [data-testid="flash"]`); !strings.Contains(flash.Text(), "is now cleared") || flash.Find(`[data-testid="undo"]`).Length() != 1 {
			t.Fatalf("no status line with Undo after clearing: %q", flash.Text())
		}
		// Another person cannot undo it: their session holds nothing.
		if resp, _ := oc.clients["mia"].submit("/undo", nil); resp.StatusCode != http.StatusConflict {
			t.Fatalf("someone else's undo: %d, want 409", resp.StatusCode)
		}
		location(t, mustResp(sam.submit("/undo", nil)), http.StatusSeeOther)
		if got := status(o.ID); got != domain.OfferProposed {
			t.Fatalf("after undo the offer is %s, want proposed", got)
		}
		if resp, page := sam.submit("/undo", nil); resp.StatusCode != http.StatusConflict || !strings.Contains(page.Text(), "nothing to undo") {
			t.Fatalf("undoing twice: %d", resp.StatusCode)
		}

		// A change made after it wins over the undo.
		location(t, mustResp(sam.submit(fmt.Sprint("/offers/", o.ID, "/hold"), url.Values{"trigger": {"if they push on price"}})), http.StatusSeeOther)
		if _, _, err := oc.a.svc().Offers.MoveOffer(t.Context(), oc.people["sam"], o.ID, domain.OfferRelease, domain.OfferInput{}); err != nil {
			t.Fatal(err)
		}
		if resp, _ := sam.submit("/undo", nil); resp.StatusCode != http.StatusConflict {
			t.Fatalf("undoing a hold someone released since: %d, want 409", resp.StatusCode)
		}

		// Cancel a meeting, then undo: it is scheduled again.
		location(t, mustResp(sam.submit(fmt.Sprint("/meetings/", oc.meeting.ID, "/cancel"), nil)), http.StatusSeeOther)
		_, page := sam.get(fmt.Sprint("/meetings/", oc.meeting.ID))
		if page.Find(`[data-testid="undo"]`).Length() != 1 {
			t.Fatal("no Undo after cancelling a meeting")
		}
		location(t, mustResp(sam.submit("/undo", nil)), http.StatusSeeOther)
		if _, page := sam.get(fmt.Sprint("/meetings/", oc.meeting.ID)); page.Find(`[data-testid="meeting-status"]`).Text() != "scheduled" {
			t.Fatal("an undone cancellation left the meeting cancelled")
		}

		// Accept a shared offer, record it as a promise: the acceptance
		// then stays.
		shared := oc.offerIn(domain.OfferShared)
		location(t, mustResp(sam.submit(fmt.Sprint("/offers/", shared.ID, "/accept"), nil)), http.StatusSeeOther)
		if _, err := oc.a.svc().Offers.OfferToPromise(t.Context(), oc.people["sam"], shared.ID, domain.PromiseInput{Text: "Replay", Kind: "configuration"}); err != nil {
			t.Fatal(err)
		}
		if resp, page := sam.submit("/undo", nil); resp.StatusCode != http.StatusConflict || !strings.Contains(page.Text(), "promise register") {
			t.Fatalf("undoing an acceptance that became a promise: %d", resp.StatusCode)
		}

		// Mark a promise kept, then undo: open again.
		p, err := oc.a.svc().Offers.RecordPromise(t.Context(), oc.people["sam"], oc.deal.ID, domain.PromiseInput{Text: "SSO by March", Kind: "configuration", OwnerID: fmt.Sprint(oc.people["sam"].ID)})
		if err != nil {
			t.Fatal(err)
		}
		location(t, mustResp(sam.submit(fmt.Sprint("/promises/", p.ID, "/status"), url.Values{"status": {"kept"}})), http.StatusSeeOther)
		location(t, mustResp(sam.submit("/undo", nil)), http.StatusSeeOther)
		var back domain.Promise
		if err := oc.a.db.Read.First(&back, p.ID).Error; err != nil || back.Status != domain.PromiseOpen {
			t.Fatalf("promise after undo: %s %v", back.Status, err)
		}
	})
}
