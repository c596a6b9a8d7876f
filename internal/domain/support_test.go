package domain

import (
	"errors"
	"strings"
	"testing"
	"time"
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
		{"manager is asked before exceeding capacity", Claim{Request: open, Claimer: devCap(2), Actor: mia, Load: 2}, false, nil, "would carry 3 of 2"},
		{"manager overrides capacity once confirmed", Claim{Request: open, Claimer: devCap(2), Actor: mia, Load: 2, OverCapacityConfirmed: true}, true, nil, ""},
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
			var over *OverCapacity
			if c.wantErr == nil && err != nil && !errors.As(err, &over) || c.wantErr != nil && !errors.Is(err, c.wantErr) {
				t.Fatalf("err = %v, want %v", err, c.wantErr)
			}
			if c.wantText != "" && err == nil {
				t.Fatalf("no error, want one saying %q", c.wantText)
			}
			if err != nil && !strings.Contains(err.Error(), c.wantText) {
				t.Fatalf("message %q lacks %q", err, c.wantText)
			}
		})
	}
}

func TestSupportInputAndRelease(t *testing.T) {
	today := time.Date(2026, 11, 26, 15, 0, 0, 0, time.UTC)
	var r SupportRequest
	err := SupportInput{Kind: "lunch", NeededBy: "2026-11-25", Details: " "}.Apply(&r, today)
	var v ValidationErrors
	if !errors.As(err, &v) || v["kind"] == "" || v["needed_by"] == "" || v["details"] == "" {
		t.Fatalf("err = %v", err)
	}
	if err := (SupportInput{Kind: "poc", NeededBy: "2026-11-26", Details: "POC on their data"}).Apply(&r, today); err != nil {
		t.Fatalf("today is a valid needed-by date: %v", err)
	}

	claimed := func() SupportRequest {
		at := today
		return SupportRequest{Status: SupportClaimed, ClaimedByID: &dev.ID, ClaimedAt: &at}
	}
	cases := []struct {
		name  string
		req   SupportRequest
		actor User
		done  bool
		want  SupportStatus
		errIs error
	}{
		{"claimer steps off", claimed(), dev, false, SupportOpen, nil},
		{"claimer finishes", claimed(), dev, true, SupportFulfilled, nil},
		{"manager releases for them", claimed(), mia, false, SupportOpen, nil},
		{"another DevRel", claimed(), ada, false, SupportClaimed, ErrForbidden},
		{"open request", SupportRequest{Status: SupportOpen}, dev, false, SupportOpen, ErrConflict},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := c.req
			err := r.Release(c.actor, c.done)
			if c.errIs == nil && err != nil || c.errIs != nil && !errors.Is(err, c.errIs) {
				t.Fatalf("err = %v", err)
			}
			if r.Status != c.want {
				t.Fatalf("status %s, want %s", r.Status, c.want)
			}
			if r.Status == SupportOpen && r.ClaimedByID != nil {
				t.Fatal("a reopened request still names its claimer")
			}
		})
	}
}

func TestEditingTheSyncWithdrawsConfirmations(t *testing.T) {
	now := time.Now()
	s := Sync{Notes: "lead with replay", SalesConfirmedAt: &now, DevRelConfirmedAt: &now}
	if changed, err := (SyncInput{Notes: " lead with replay "}).Apply(&s); changed || err != nil {
		t.Fatal("an unchanged sync counted as changed")
	}
	if s.SalesConfirmedAt == nil {
		t.Fatal("an unchanged save withdrew the confirmations")
	}
	if changed, err := (SyncInput{Notes: "lead with replay", Avoid: "pricing"}).Apply(&s); !changed || err != nil || s.SalesConfirmedAt != nil || s.DevRelConfirmedAt != nil {
		t.Fatalf("a changed sync kept its confirmations: %+v", s)
	}
	if _, err := (SyncInput{Notes: strings.Repeat("x", MaxBody+1)}).Apply(&s); err == nil || s.Avoid != "pricing" {
		t.Fatalf("an over-long note was taken: %v", err)
	}
}

func TestMeetingsSoonAndOutOfSyncStandOut(t *testing.T) {
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	in := func(h int) Meeting {
		return Meeting{Status: MeetingScheduled, StartsAt: now.Add(time.Duration(h) * time.Hour)}
	}
	cases := []struct {
		state SyncState
		m     Meeting
		want  bool
	}{
		{SyncUnsynced, in(3), true},
		{SyncStale, in(47), true},
		{SyncInSync, in(3), false},
		{SyncNotNeeded, in(3), false},
		{SyncUnsynced, in(49), false},
		{SyncUnsynced, in(-1), false},
		{SyncUnsynced, Meeting{Status: MeetingCancelled, StartsAt: now.Add(time.Hour)}, false},
	}
	for _, c := range cases {
		if got := NeedsAttention(c.state, c.m, now); got != c.want {
			t.Errorf("%s at %s: %v", c.state, c.m.StartsAt.Sub(now), got)
		}
	}
}
