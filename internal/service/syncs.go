package service

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
	"github.com/presale/presale/internal/store"
)

// meetingSides are who confirms a meeting's sync: the deal's owner and
// the DevRel attending.
func meetingSides(ctx context.Context, tx *store.Store, m domain.Meeting) (owner int64, devrel []int64, err error) {
	deal, err := tx.Deals().DealByID(ctx, m.DealID)
	if err != nil {
		return 0, nil, err
	}
	attendees, err := tx.Meetings().MeetingAttendees(ctx, m.ID)
	return deal.OwnerID, domain.DevRelAttending(attendees), err
}

// SaveSync records what the salesperson and DevRel agreed before a
// meeting, as edited on version of the sync (0: the form saw none yet).
// Changing it withdraws both confirmations.
func (s *Meetings) SaveSync(ctx context.Context, actor domain.User, meetingID, version int64, in domain.SyncInput) (domain.Sync, error) {
	var sy domain.Sync
	err := s.write(ctx, &actor, func(tx *store.Store) ([]Change, error) {
		m, err := tx.Meetings().MeetingByID(ctx, meetingID)
		if err != nil {
			return nil, err
		}
		if _, err := dealAllows(ctx, tx, actor, m.DealID, domain.ActionEditSync); err != nil {
			return nil, err
		}
		if sy, err = tx.Meetings().LockSync(ctx, meetingID, s.now().UTC()); err != nil {
			return nil, err
		}
		if version == 0 { // the form was drawn before any sync existed
			version = 1
		}
		if sy.Version != version {
			return nil, staleError(ctx, tx, domain.EntitySync, sy.ID, sy.Version, sy.Version-version)
		}
		before := syncSnapshot(sy)
		if changed, err := in.Apply(&sy); err != nil || !changed {
			return nil, err
		}
		sy.UpdatedAt = s.now().UTC()
		if ok, err := tx.Meetings().SaveSyncNotes(ctx, &sy, version); err != nil || !ok {
			if err == nil {
				err = staleError(ctx, tx, domain.EntitySync, sy.ID, version+1, 1)
			}
			return nil, err
		}
		owner, devrel, err := meetingSides(ctx, tx, m)
		if err != nil {
			return nil, err
		}
		c := changed(domain.EntitySync, sy.ID, &m.DealID, before, syncSnapshot(sy))
		if len(c) > 0 {
			c[0].Event.TeamOnly = true // the notes stay with the deal team
			c[0].TeamOnly = true
			c[0].Notify = append([]int64{owner}, devrel...)
			c[0].Text = fmt.Sprintf("The sync for %q changed and waits for your confirmation", m.Title)
			c[0].Link = fmt.Sprintf("/meetings/%d#sync", m.ID)
		}
		return c, nil
	})
	return sy, err
}

func syncSnapshot(sy domain.Sync) domain.Snapshot {
	return domain.Snapshot{{Field: "notes", New: sy.Notes}, {Field: "may_raise", New: sy.MayRaise}, {Field: "avoid", New: sy.Avoid},
		{Field: "sales_confirmed", New: stamp(sy.SalesConfirmedAt)}, {Field: "devrel_confirmed", New: stamp(sy.DevRelConfirmedAt)}}
}

func stamp(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}

// ConfirmSync stamps the actor's side of a meeting's sync; the other side
// is told it waits for them.
func (s *Meetings) ConfirmSync(ctx context.Context, actor domain.User, meetingID int64) (domain.Sync, error) {
	var sy domain.Sync
	err := s.write(ctx, &actor, func(tx *store.Store) ([]Change, error) {
		m, err := tx.Meetings().MeetingByID(ctx, meetingID)
		if err != nil {
			return nil, err
		}
		if m.Status != domain.MeetingScheduled {
			return nil, domain.Conflictf("This meeting is %s; its sync can no longer be confirmed.", m.Status)
		}
		team, _, err := tx.Deals().DealTeam(ctx, m.DealID)
		if err != nil {
			return nil, err
		}
		owner, devrel, err := meetingSides(ctx, tx, m)
		if err != nil {
			return nil, err
		}
		if len(devrel) == 0 {
			return nil, domain.Conflictf("No DevRel attends this meeting, so there is no sync to confirm. Add a DevRel attendee first.")
		}
		now := s.now().UTC()
		if sy, err = tx.Meetings().LockSync(ctx, meetingID, now); err != nil {
			return nil, err
		}
		sales, err := domain.ConfirmSync(&sy, actor, team, devrel, now)
		if err != nil {
			return nil, err
		}
		sy.UpdatedAt = now
		if err := tx.Meetings().ConfirmSyncSide(ctx, &sy, sales); err != nil {
			return nil, err
		}
		// Every confirmation is an event, a repeat one too: it moves the
		// time the sync rule compares against.
		c := Change{Event: domain.Event{Action: "confirmed", Entity: domain.EntitySync, EntityID: sy.ID, DealID: &m.DealID,
			After: fmt.Sprintf("meeting: %s\nconfirmed_by: %s", m.Title, actor.Name)}, TeamOnly: true}
		switch {
		case sy.SalesConfirmedAt == nil:
			c.Notify = []int64{owner}
		case sy.DevRelConfirmedAt == nil:
			c.Notify = devrel
		}
		c.Text = fmt.Sprintf("%s confirmed the sync for %q; it waits for yours", actor.Name, m.Title)
		c.Link = fmt.Sprintf("/meetings/%d#sync", m.ID)
		return []Change{c}, nil
	})
	return sy, err
}

// goingStale finds the deal's upcoming meetings that are in sync now and
// that a change to entity is about to make stale.
func goingStale(ctx context.Context, tx *store.Store, e domain.Event, now time.Time) ([]read.MeetingRow, error) {
	if e.DealID == nil || !domain.AffectsSync(e.Entity) {
		return nil, nil
	}
	rows, err := tx.Meetings().UpcomingMeetingsOfDeal(ctx, *e.DealID, now)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(rows, func(m read.MeetingRow) bool { return m.SyncState() != domain.SyncInSync }), nil
}

// staleNotices tells both sides of each meeting that its sync went stale.
func staleNotices(ctx context.Context, tx *store.Store, meetings []read.MeetingRow) ([]Change, error) {
	var out []Change
	for _, m := range meetings {
		owner, devrel, err := meetingSides(ctx, tx, m.Meeting)
		if err != nil {
			return nil, err
		}
		out = append(out, Change{Notify: append([]int64{owner}, devrel...), TeamOnly: true,
			Text: fmt.Sprintf("The sync for %q is stale: the deal's offers, questions or promises changed since you both confirmed", m.Title),
			Link: fmt.Sprintf("/meetings/%d#sync", m.ID)})
	}
	return out, nil
}

// SyncDetail is a meeting's sync panel: what was agreed, who confirmed,
// the verdict, and what changed since if it went stale.
type SyncDetail struct {
	Sync            domain.Sync
	State           domain.SyncState
	DevRelAttending bool
	SalesName       string
	DevRelName      string
	ChangedSince    []read.TimelineEntry
	NeedsAttention  bool
}

// SyncDetail loads the sync panel of a meeting for a viewer.
func (s *Meetings) SyncDetail(ctx context.Context, viewer domain.User, meetingID int64) (SyncDetail, error) {
	return s.syncDetail(ctx, viewer, meetingID, nil)
}

// SyncDetailOf is SyncDetail for a meeting whose detail, and so its deal
// team and its sync as read with it, is loaded already.
func (s *Meetings) SyncDetailOf(viewer domain.User, m MeetingDetail) SyncDetail {
	return m.sync.detail(viewer, m.Team, s.now().UTC())
}

// syncDetail loads the sync panel, and the deal team unless given.
func (s *Meetings) syncDetail(ctx context.Context, viewer domain.User, meetingID int64, team *domain.DealTeam) (SyncDetail, error) {
	r, err := s.readSync(ctx, meetingID)
	if err != nil {
		return SyncDetail{}, err
	}
	if team == nil {
		loaded, _, err := s.store.Deals().DealTeam(ctx, r.row.DealID)
		if err != nil {
			return SyncDetail{}, err
		}
		team = &loaded
	}
	return r.detail(viewer, *team, s.now().UTC()), nil
}

// syncRead is what a meeting's sync panel is made of, read once for
// every viewer (and kept with the meeting's page): what each viewer sees
// of it is decided in detail.
type syncRead struct {
	row                   read.MeetingRow
	sync                  domain.Sync
	salesName, devRelName string
	// changedSince, when the sync is stale, are the changes after the
	// later confirmation: [0] as those outside the team see them, [1] as
	// the team does.
	changedSince [2][]read.TimelineEntry
}

// readSync reads a meeting's sync panel for every viewer.
func (s *Meetings) readSync(ctx context.Context, meetingID int64) (syncRead, error) {
	var r syncRead
	var err error
	if r.row, err = s.store.Meetings().MeetingRow(ctx, meetingID); err != nil {
		return r, err
	}
	if r.sync, _, err = s.store.Meetings().SyncOf(ctx, meetingID); err != nil {
		return r, err
	}
	names := func(id *int64) string {
		if id == nil {
			return ""
		}
		u, err := s.store.People().UserByID(ctx, *id)
		if err != nil {
			return ""
		}
		return u.Name
	}
	r.salesName, r.devRelName = names(r.sync.SalesConfirmedBy), names(r.sync.DevRelConfirmedBy)
	if r.row.SyncState() == domain.SyncStale {
		later := *r.sync.SalesConfirmedAt
		if r.sync.DevRelConfirmedAt.After(later) {
			later = *r.sync.DevRelConfirmedAt
		}
		for i, insider := range []bool{false, true} {
			if r.changedSince[i], err = s.store.Meetings().SyncChangesSince(ctx, r.row.DealID, later, insider); err != nil {
				return r, err
			}
		}
	}
	return r, nil
}

// detail is the sync panel as viewer sees it at now. What the team
// agreed to raise or avoid often names the reserve: outside the team only
// the state shows.
func (r syncRead) detail(viewer domain.User, team domain.DealTeam, now time.Time) SyncDetail {
	d := SyncDetail{Sync: r.sync, State: r.row.SyncState(), DevRelAttending: r.row.DevRelAttending(),
		SalesName: r.salesName, DevRelName: r.devRelName}
	d.NeedsAttention = domain.NeedsAttention(d.State, r.row.Meeting, now)
	insider := domain.Can(viewer, domain.ActionSeeReserve, team)
	if !insider {
		d.Sync.Notes, d.Sync.MayRaise, d.Sync.Avoid = "", "", ""
	}
	if d.State == domain.SyncStale {
		d.ChangedSince = r.changedSince[0]
		if insider {
			d.ChangedSince = r.changedSince[1]
		}
	}
	return d
}
