package domain

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestSyncFreshness(t *testing.T) {
	t0 := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	at := func(min int) *time.Time { v := t0.Add(time.Duration(min) * time.Minute); return &v }
	cases := []struct {
		name       string
		devrel     bool
		sync       *Sync
		lastChange time.Time
		want       SyncState
	}{
		{"no DevRel attending", false, nil, time.Time{}, SyncNotNeeded},
		{"no sync recorded", true, nil, time.Time{}, SyncUnsynced},
		{"only sales confirmed", true, &Sync{SalesConfirmedAt: at(0)}, time.Time{}, SyncUnsynced},
		{"only DevRel confirmed", true, &Sync{DevRelConfirmedAt: at(0)}, time.Time{}, SyncUnsynced},
		{"both confirmed, no change", true, &Sync{SalesConfirmedAt: at(0), DevRelConfirmedAt: at(5)}, time.Time{}, SyncInSync},
		{"change before the later confirmation", true, &Sync{SalesConfirmedAt: at(0), DevRelConfirmedAt: at(5)}, *at(3), SyncInSync},
		{"change at the later confirmation", true, &Sync{SalesConfirmedAt: at(0), DevRelConfirmedAt: at(5)}, *at(5), SyncInSync},
		{"change after both confirmed", true, &Sync{SalesConfirmedAt: at(0), DevRelConfirmedAt: at(5)}, *at(6), SyncStale},
		{"change after both, DevRel first", true, &Sync{SalesConfirmedAt: at(9), DevRelConfirmedAt: at(5)}, *at(10), SyncStale},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := SyncFreshness(c.devrel, c.sync, c.lastChange); got != c.want {
				t.Fatalf("got %s, want %s", got, c.want)
			}
		})
	}
}

func TestConfirmSyncSides(t *testing.T) {
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	attending := []int64{dev.ID, out.ID}
	cases := []struct {
		who        User
		salesSide  bool
		devrelSide bool
		forbidden  bool
	}{
		{sam, true, false, false},
		{mia, true, false, false},
		{dev, false, true, false},
		{ada, false, false, true}, // assigned but not attending
		{out, false, false, true}, // attending but not on the deal team
		{sue, false, false, true},
	}
	for _, c := range cases {
		t.Run(c.who.Name, func(t *testing.T) {
			var s Sync
			sales, err := ConfirmSync(&s, c.who, team, attending, now)
			if c.forbidden != errors.Is(err, ErrForbidden) || sales != c.salesSide {
				t.Fatalf("sales = %v, err = %v", sales, err)
			}
			if c.who == out && !strings.Contains(err.Error(), "support board") {
				t.Fatalf("an attending DevRel off the team is not told how to join: %v", err)
			}
			if (s.SalesConfirmedAt != nil) != c.salesSide || (s.DevRelConfirmedAt != nil) != c.devrelSide {
				t.Fatalf("sync = %+v", s)
			}
		})
	}
}

// A meeting has DevRel attending when an internal attendee is a DevRel;
// they are its sync's DevRel side.
func TestDevRelAttending(t *testing.T) {
	people := []User{{ID: 1, Role: RoleSales}, {ID: 2, Role: RoleDevRel}, {ID: 3, Role: RoleManager}, {ID: 4, Role: RoleDevRel}}
	if got := DevRelAttending(people); len(got) != 2 || got[0] != 2 || got[1] != 4 {
		t.Errorf("DevRelAttending = %v", got)
	}
	if got := DevRelAttending(people[:1]); got != nil {
		t.Errorf("no DevRel: %v", got)
	}
}
