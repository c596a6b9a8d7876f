package domain

import (
	"errors"
	"fmt"
	"testing"
	"time"
)

// The actors of a deal: Sam owns it, Dev proposed the offer, Ada is another
// assigned DevRel, Out is a DevRel not on the team, Sue is another
// salesperson and Mia a manager.
var (
	sam = User{ID: 1, Name: "Sam", Role: RoleSales, Active: true}
	dev = User{ID: 2, Name: "Dev", Role: RoleDevRel, Active: true}
	ada = User{ID: 3, Name: "Ada", Role: RoleDevRel, Active: true}
	out = User{ID: 4, Name: "Out", Role: RoleDevRel, Active: true}
	sue = User{ID: 5, Name: "Sue", Role: RoleSales, Active: true}
	mia = User{ID: 6, Name: "Mia", Role: RoleManager, Active: true}

	team = DealTeam{DealID: 10, OwnerID: sam.ID, DevRelIDs: []int64{dev.ID, ada.ID}}
)

// allowedMoves is the lifecycle of DESIGN.md written out independently of
// offerLifecycle: (state, action) → who may do it.
var allowedMoves = map[OfferStatus]map[OfferAction][]User{
	OfferDraft:     {OfferSubmit: {dev}, OfferWithdraw: {dev}},
	OfferProposed:  {OfferClear: {sam, mia}, OfferHold: {sam, mia}, OfferDecline: {sam, mia}, OfferWithdraw: {dev}},
	OfferCleared:   {OfferHold: {sam, mia}, OfferShare: {sam, dev, ada, mia}, OfferWithdraw: {dev}},
	OfferReserved:  {OfferRelease: {sam, mia}, OfferWithdraw: {dev}},
	OfferDeclined:  {},
	OfferShared:    {OfferAccept: {sam, dev, ada, mia}, OfferReject: {sam, dev, ada, mia}},
	OfferAccepted:  {},
	OfferRejected:  {},
	OfferWithdrawn: {},
}

var nextStatus = map[OfferAction]OfferStatus{
	OfferSubmit: OfferProposed, OfferClear: OfferCleared, OfferHold: OfferReserved, OfferRelease: OfferCleared,
	OfferDecline: OfferDeclined, OfferShare: OfferShared, OfferAccept: OfferAccepted, OfferReject: OfferRejected,
	OfferWithdraw: OfferWithdrawn,
}

func TestOfferLifecycleEveryStateActionActor(t *testing.T) {
	meeting := int64(77)
	input := OfferInput{Trigger: "if they push on price", Reason: "too costly", MeetingID: &meeting}
	actors := []User{sam, dev, ada, out, sue, mia}
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	combos := 0
	for _, from := range OfferStatuses {
		for _, action := range OfferActions {
			for _, actor := range actors {
				combos++
				name := fmt.Sprintf("%s/%s/%s", from, action, actor.Name)
				t.Run(name, func(t *testing.T) {
					offer := Offer{ID: 1, DealID: team.DealID, ProposedByID: dev.ID, Status: from}
					got, err := OfferMove{Offer: offer, Action: action, Actor: actor, Team: team, Input: input}.Decide(now)
					whoMay, stateAllows := allowedMoves[from][action]
					switch {
					case stateAllows && contains(whoMay, actor):
						if err != nil {
							t.Fatalf("refused: %v", err)
						}
						if got.Status != nextStatus[action] {
							t.Fatalf("status = %s, want %s", got.Status, nextStatus[action])
						}
					case stateAllows:
						if !errors.Is(err, ErrForbidden) {
							t.Fatalf("err = %v, want forbidden", err)
						}
						if got.Status != from {
							t.Fatalf("a refused move changed the status to %s", got.Status)
						}
					default:
						var conflict *ConflictError
						if !errors.As(err, &conflict) || conflict.Reason == "" {
							t.Fatalf("err = %v, want a conflict with a reason", err)
						}
						if got.Status != from {
							t.Fatalf("a refused move changed the status to %s", got.Status)
						}
					}
					available := contains(AvailableOfferActions(offer, actor, team), action)
					if available != (err == nil) {
						t.Fatalf("AvailableOfferActions says %v, Decide says %v", available, err)
					}
				})
			}
		}
	}
	if combos != 9*9*6 {
		t.Fatalf("tested %d combinations", combos)
	}
}

func TestOfferMoveNeedsItsInput(t *testing.T) {
	now := time.Now()
	cases := []struct {
		from   OfferStatus
		action OfferAction
		actor  User
		field  string
	}{
		{OfferProposed, OfferHold, sam, "trigger"},
		{OfferCleared, OfferHold, mia, "trigger"},
		{OfferProposed, OfferDecline, sam, "reason"},
		{OfferCleared, OfferShare, dev, "meeting_id"},
	}
	for _, c := range cases {
		t.Run(string(c.action), func(t *testing.T) {
			_, err := OfferMove{Offer: Offer{ProposedByID: dev.ID, Status: c.from}, Action: c.action, Actor: c.actor, Team: team,
				Input: OfferInput{Trigger: "  "}}.Decide(now)
			var v ValidationErrors
			if !errors.As(err, &v) || v[c.field] == "" {
				t.Fatalf("err = %v, want a message for %s", err, c.field)
			}
		})
	}
}

func TestOfferMoveRecordsDecision(t *testing.T) {
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	o, err := OfferMove{Offer: Offer{ProposedByID: dev.ID, Status: OfferProposed}, Action: OfferHold, Actor: sam, Team: team,
		Input: OfferInput{Trigger: " if they push on price "}}.Decide(now)
	if err != nil {
		t.Fatal(err)
	}
	if o.HoldTrigger != "if they push on price" || o.DecidedByID == nil || *o.DecidedByID != sam.ID || !o.DecidedAt.Equal(now) {
		t.Fatalf("hold recorded %+v", o)
	}
}

func TestSharingAReservedOfferSaysReleaseFirst(t *testing.T) {
	m := int64(1)
	_, err := OfferMove{Offer: Offer{ProposedByID: dev.ID, Status: OfferReserved}, Action: OfferShare, Actor: dev, Team: team,
		Input: OfferInput{MeetingID: &m}}.Decide(time.Now())
	var c *ConflictError
	if !errors.As(err, &c) || c.Reason != "This offer is held in reserve; the salesperson must release it before it can be shared." {
		t.Fatalf("err = %v", err)
	}
}

func contains[T comparable](set []T, v T) bool { return oneOf(v, set) }
