package seed

import (
	mrand "math/rand/v2"
	"time"

	"github.com/presale/presale/internal/domain"
)

// The synthetic organisation's closed deals carry known effects, so the
// evidence page can be checked against them (issue 28). A closed deal is
// priced in the reporting currency, and its size third read from its
// amount (uniform up to 500,000); DevRel are
// put on the larger deals more often, and larger deals are won less
// often: the confounder the page must see through.
const (
	// PlantedRoomLift is how much more often a deal is won with DevRel in
	// the room, not in sync; in sync adds PlantedSyncLift on top.
	PlantedRoomLift = 0.10
	PlantedSyncLift = 0.10
	// PlantedSyncShare is the share of deals with DevRel in the room whose
	// meetings were all in sync.
	PlantedSyncShare = 0.6
)

// plantedBase is the win rate of each size third without DevRel, and
// plantedRoom the chance DevRel is in the room: small deals win most
// and see DevRel least.
var (
	plantedBase = [3]float64{0.65, 0.45, 0.15}
	plantedRoom = [3]float64{0.15, 0.50, 0.85}
)

// closedPlan is what a synthetic closed deal was planted with.
type closedPlan struct {
	room, sync bool
	lever      domain.Lever
}

// plantClose decides a closed deal's outcome from its size and who was in
// the room, and when it closed (days after it opened, before now); it
// sets the deal's stage and close.
func plantClose(rng *mrand.Rand, d *domain.Deal, now time.Time) closedPlan {
	// Priced in the reporting currency, its third is the page's.
	d.Currency = "USD"
	third := min(2, int(d.AmountMinor/100*3/500000))
	p := closedPlan{room: rng.Float64() < plantedRoom[third]}
	win := plantedBase[third]
	if p.room {
		win += PlantedRoomLift
		if p.sync = rng.Float64() < PlantedSyncShare; p.sync {
			win += PlantedSyncLift
		}
		// Half hold an idea in reserve, half of those release it: no
		// effect is planted on the levers.
		if rng.IntN(2) == 0 {
			p.lever = domain.LeverHeldUnused
			if rng.IntN(2) == 0 {
				p.lever = domain.LeverReleased
			}
		}
	}
	stage := domain.StageClosedLost
	if rng.Float64() < win {
		stage = domain.StageClosedWon
	}
	// Open at least five days, closed before now.
	if d.CreatedAt.After(now.AddDate(0, 0, -6)) {
		d.CreatedAt = now.AddDate(0, 0, -6-rng.IntN(30))
		d.UpdatedAt = d.CreatedAt
	}
	span := int(now.Sub(d.CreatedAt).Hours()/24) - 5
	closed := d.CreatedAt.AddDate(0, 0, 5+rng.IntN(min(span, 120)+1))
	d.Stage, d.ClosedAt = stage, &closed
	return p
}

// plantRoom writes what a planted deal with DevRel in the room needs: a
// held meeting on the working day before the close that the owner and
// dev attended, its sync confirmed by both the day before it (when in
// sync), and, for a lever, an offer held in reserve and perhaps released,
// with its events, before the sync was confirmed.
func plantRoom(p closedPlan, d domain.Deal, dev int64, w *plantedRows) {
	// The working day before the close, at 10:00 UTC (10 or 11 in London).
	start := time.Date(d.ClosedAt.Year(), d.ClosedAt.Month(), d.ClosedAt.Day()-1, 10, 0, 0, 0, time.UTC)
	for start.Weekday() == time.Saturday || start.Weekday() == time.Sunday {
		start = start.AddDate(0, 0, -1)
	}
	m := domain.Meeting{DealID: d.ID, Title: "Demo of " + d.Title, Type: domain.MeetingDemo, StartsAt: start, EndsAt: start.Add(time.Hour),
		Status: domain.MeetingHeld, OutcomeNotes: "They asked for a pilot", CreatedAt: d.CreatedAt, UpdatedAt: start}
	w.meetings = append(w.meetings, plannedMeeting{m: m, owner: d.OwnerID, dev: dev, sync: p.sync})
	if p.lever == domain.LeverNone {
		return
	}
	held, released := d.CreatedAt.Add(time.Hour), d.CreatedAt.Add(2*time.Hour)
	status, trigger := domain.OfferReserved, "If they push on price"
	if p.lever == domain.LeverReleased {
		status, trigger = domain.OfferCleared, "" // a trigger is the hold's
	}
	w.offers = append(w.offers, plannedOffer{o: domain.Offer{DealID: d.ID, ProposedByID: dev, Title: "Lever for " + d.Title, Kind: domain.OfferKinds[0],
		Status: status, HoldTrigger: trigger, Version: 1, CreatedAt: d.CreatedAt, UpdatedAt: held}, owner: d.OwnerID, held: held, released: released, release: p.lever == domain.LeverReleased})
}

// plantedRows are the rows planted deals need, written once the deals
// have ids.
type plantedRows struct {
	meetings []plannedMeeting
	offers   []plannedOffer
}

type plannedMeeting struct {
	m          domain.Meeting
	owner, dev int64
	sync       bool
}

type plannedOffer struct {
	o              domain.Offer
	owner          int64
	held, released time.Time
	release        bool
}

// write inserts the planted meetings (with attendees and syncs) and
// offers (with the events of their holds and releases).
func (w *plantedRows) write(create func(rows any) error) error {
	meetings := make([]domain.Meeting, len(w.meetings))
	for i, p := range w.meetings {
		meetings[i] = p.m
	}
	offers := make([]domain.Offer, len(w.offers))
	for i, p := range w.offers {
		offers[i] = p.o
	}
	for _, rows := range []any{&meetings, &offers} {
		if err := create(rows); err != nil {
			return err
		}
	}
	var attendees []domain.MeetingAttendee
	var syncs []domain.Sync
	for i, p := range w.meetings {
		id := meetings[i].ID
		attendees = append(attendees, domain.MeetingAttendee{MeetingID: id, UserID: p.owner}, domain.MeetingAttendee{MeetingID: id, UserID: p.dev})
		if p.sync {
			at := p.m.StartsAt.Add(-24 * time.Hour)
			syncs = append(syncs, domain.Sync{MeetingID: id, Notes: "Lead with the API", SalesConfirmedAt: &at, SalesConfirmedBy: &p.owner,
				DevRelConfirmedAt: &at, DevRelConfirmedBy: &p.dev, Version: 1, CreatedAt: at, UpdatedAt: at})
		}
	}
	var events []domain.Event
	move := func(p plannedOffer, id int64, action string, from, to domain.OfferStatus, at time.Time) {
		before, after := domain.EncodeChanges([]domain.FieldChange{{Field: "status", Old: string(from), New: string(to)}})
		events = append(events, domain.Event{ActorID: &p.owner, Action: action, Entity: domain.EntityOffer, EntityID: id, DealID: &p.o.DealID,
			Before: before, After: after, TeamOnly: true, At: at})
	}
	for i, p := range w.offers {
		move(p, offers[i].ID, string(domain.OfferHold), domain.OfferCleared, domain.OfferReserved, p.held)
		if p.release {
			move(p, offers[i].ID, string(domain.OfferRelease), domain.OfferReserved, domain.OfferCleared, p.released)
		}
	}
	for _, rows := range []any{&attendees, &syncs, &events} {
		if err := create(rows); err != nil {
			return err
		}
	}
	return nil
}
