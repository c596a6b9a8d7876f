package domain

import (
	"testing"
	"time"
)

func BenchmarkOfferMoveDecide(b *testing.B) {
	m := OfferMove{Offer: Offer{ProposedByID: dev.ID, Status: OfferProposed}, Action: OfferHold, Actor: sam, Team: team,
		Input: OfferInput{Trigger: "if they push on price"}}
	now := time.Now()
	for b.Loop() {
		if _, err := m.Decide(now); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCanSeeReservedOffer(b *testing.B) {
	s := OfferSubject{Offer: Offer{Status: OfferReserved, ProposedByID: dev.ID}, Team: team}
	for b.Loop() {
		if Can(sue, ActionViewOffer, s) {
			b.Fatal("an outsider saw the reserve")
		}
	}
}
