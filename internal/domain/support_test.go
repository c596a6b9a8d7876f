package domain

import (
	"errors"
	"strings"
	"testing"
)

func TestCheckClaimAgainstCapacity(t *testing.T) {
	open := SupportRequest{ID: 1, DealID: 10, Status: SupportOpen}
	devCap := func(c int) User { u := dev; u.Capacity = c; return u }
	cases := []struct {
		name         string
		claim        Claim
		wantOverride bool
		wantErr      error
		wantText     string
	}{
		{"under capacity", Claim{Request: open, Claimer: devCap(5), Actor: devCap(5), Load: 3}, false, nil, ""},
		{"reaching capacity exactly", Claim{Request: open, Claimer: devCap(5), Actor: devCap(5), Load: 4}, false, nil, ""},
		{"over capacity", Claim{Request: open, Claimer: devCap(5), Actor: devCap(5), Load: 5}, false, ErrConflict, "already carries 5 of 5"},
		{"zero capacity means the default", Claim{Request: open, Claimer: devCap(0), Actor: devCap(0), Load: DefaultCapacity}, false, ErrConflict, "of 5"},
		{"already on the deal adds no load", Claim{Request: open, Claimer: devCap(5), Actor: devCap(5), Load: 5, AlreadyOnDeal: true}, false, nil, ""},
		{"manager overrides capacity", Claim{Request: open, Claimer: devCap(2), Actor: mia, Load: 2}, true, nil, ""},
		{"manager within capacity is no override", Claim{Request: open, Claimer: devCap(2), Actor: mia, Load: 1}, false, nil, ""},
		{"request already claimed", Claim{Request: SupportRequest{Status: SupportClaimed}, Claimer: devCap(5), Actor: devCap(5)}, false, ErrConflict, "claimed"},
		{"salesperson cannot claim", Claim{Request: open, Claimer: sam, Actor: sam}, false, ErrConflict, "DevRel"},
		{"DevRel cannot assign another", Claim{Request: open, Claimer: ada, Actor: dev}, false, ErrForbidden, "manager"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			override, err := CheckClaim(c.claim)
			if override != c.wantOverride {
				t.Fatalf("override = %v", override)
			}
			if c.wantErr == nil && err != nil || c.wantErr != nil && !errors.Is(err, c.wantErr) {
				t.Fatalf("err = %v, want %v", err, c.wantErr)
			}
			if err != nil && !strings.Contains(err.Error(), c.wantText) {
				t.Fatalf("message %q lacks %q", err, c.wantText)
			}
		})
	}
}
