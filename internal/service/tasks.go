package service

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
	"github.com/presale/presale/internal/store"
)

func taskSnapshot(t domain.Task, assignee string) domain.Snapshot {
	return domain.Snapshot{{Field: "title", New: t.Title}, {Field: "due", New: t.DueOn.Format(domain.DateLayout)}, {Field: "assignee", New: assignee}}
}

// taskSummary is t as its events tell it, its assignee by name.
func taskSummary(ctx context.Context, tx *store.Store, t domain.Task) (domain.Snapshot, error) {
	assignee, err := tx.People().UserByID(ctx, t.AssigneeID)
	return taskSnapshot(t, assignee.Name), err
}

// tellAssignee makes c tell t's assignee that the step is theirs (the
// actor is never told of their own act).
func tellAssignee(c *Change, deal domain.Deal, t domain.Task) {
	c.Notify = []int64{t.AssigneeID}
	c.Text = fmt.Sprintf("Next step on %q for you: %s (due %s)", deal.Title, t.Title, t.DueOn.Format("Mon 2 Jan"))
	c.Link = fmt.Sprintf("/deals/%d#tasks", t.DealID)
}

// AddTask sets a next step on a deal; the deal team writes them and
// assigns them to the owner or a DevRel on it, who is told.
func (s *Deals) AddTask(ctx context.Context, actor domain.User, dealID int64, in domain.TaskInput) (domain.Task, error) {
	var t domain.Task
	err := s.write(ctx, &actor, func(tx *store.Store) ([]Change, error) {
		d, err := tx.Deals().DealByID(ctx, dealID)
		if err != nil {
			return nil, err
		}
		team, err := dealAllows(ctx, tx, actor, dealID, domain.ActionManageTasks)
		if err != nil {
			return nil, err
		}
		now := s.now().UTC()
		t = domain.Task{DealID: dealID, CreatedByID: actor.ID, CreatedAt: now, UpdatedAt: now}
		if err := in.Apply(&t, team, actor); err != nil {
			return nil, err
		}
		if err := tx.Deals().CreateTask(ctx, &t); err != nil {
			return nil, err
		}
		snap, err := taskSummary(ctx, tx, t)
		if err != nil {
			return nil, err
		}
		c := created(domain.EntityTask, t.ID, &dealID, snap)
		tellAssignee(&c, d, t)
		return []Change{c}, nil
	})
	return t, err
}

// changeTask writes a change to a next step the actor may manage, as
// seen at version: fn changes the step and says what to record, nothing
// when there is nothing to write.
func (s *Deals) changeTask(ctx context.Context, actor domain.User, id, version int64,
	fn func(tx *store.Store, t *domain.Task, team domain.DealTeam) ([]Change, error)) (domain.Task, error) {
	var t domain.Task
	err := s.write(ctx, &actor, func(tx *store.Store) ([]Change, error) {
		var err error
		if t, err = tx.Deals().TaskByID(ctx, id); err != nil {
			return nil, err
		}
		team, err := dealAllows(ctx, tx, actor, t.DealID, domain.ActionManageTasks)
		if err != nil {
			return nil, err
		}
		changes, err := fn(tx, &t, team)
		if err != nil || len(changes) == 0 {
			return nil, err
		}
		t.UpdatedAt = s.now().UTC()
		if ok, err := tx.Deals().SaveTask(ctx, &t, version); err != nil || !ok {
			return nil, refuseStale(ctx, tx, err, domain.EntityTask, id, version)
		}
		return changes, nil
	})
	return t, err
}

// UpdateTask changes what a next step is, when it is due and who does it;
// a new assignee is told, as when it was added.
func (s *Deals) UpdateTask(ctx context.Context, actor domain.User, id, version int64, in domain.TaskInput) (domain.Task, error) {
	return s.changeTask(ctx, actor, id, version, func(tx *store.Store, t *domain.Task, team domain.DealTeam) ([]Change, error) {
		before, err := taskSummary(ctx, tx, *t)
		if err != nil {
			return nil, err
		}
		was := t.AssigneeID
		if err := in.Apply(t, team, actor); err != nil {
			return nil, err
		}
		after, err := taskSummary(ctx, tx, *t)
		if err != nil {
			return nil, err
		}
		changes := changed(domain.EntityTask, t.ID, &t.DealID, before, after)
		if len(changes) > 0 && t.AssigneeID != was {
			d, err := tx.Deals().DealByID(ctx, t.DealID)
			if err != nil {
				return nil, err
			}
			tellAssignee(&changes[0], d, *t)
		}
		return changes, nil
	})
}

// SetTaskDone ticks a next step off (done) or opens it again, as seen at
// version.
func (s *Deals) SetTaskDone(ctx context.Context, actor domain.User, id, version int64, done bool) (domain.Task, error) {
	return s.changeTask(ctx, actor, id, version, func(_ *store.Store, t *domain.Task, _ domain.DealTeam) ([]Change, error) {
		if t.Done() == done {
			return nil, nil // already so: nothing to record
		}
		now := s.now().UTC()
		t.DoneAt = nil
		action := "reopened"
		if done {
			t.DoneAt, action = &now, "done"
		}
		_, after := domain.EncodeChanges([]domain.FieldChange{{Field: "title", New: t.Title}})
		return []Change{{Event: domain.Event{Action: action, Entity: domain.EntityTask, EntityID: id, DealID: &t.DealID, After: after}}}, nil
	})
}

// DeleteTask deletes a next step, as seen at version; the step stays in
// the database, marked, so the undo it returns puts the same step back.
func (s *Deals) DeleteTask(ctx context.Context, actor domain.User, id, version int64) (domain.Task, domain.Undo, error) {
	var undo domain.Undo
	t, err := s.changeTask(ctx, actor, id, version, func(tx *store.Store, t *domain.Task, _ domain.DealTeam) ([]Change, error) {
		snap, err := taskSummary(ctx, tx, *t)
		if err != nil {
			return nil, err
		}
		now := s.now().UTC()
		undo = domain.Undo{Entity: domain.EntityTask, ID: id, From: "live", To: "deleted", By: actor.ID, At: now, Was: domain.UndoWas{UpdatedAt: t.UpdatedAt}}
		t.DeletedAt = &now
		return []Change{{Event: domain.Event{Action: "deleted", Entity: domain.EntityTask, EntityID: id, DealID: &t.DealID, Before: snap.Created()}}}, nil
	})
	undo.Version = t.Version
	return t, undo, err
}

// restoreTask takes back deleting a next step: the same step is back as
// it stood, unless something moved it since (moved).
func (s *Deals) restoreTask(ctx context.Context, actor domain.User, u domain.Undo, moved error) (domain.Task, error) {
	var t domain.Task
	err := s.write(ctx, &actor, func(tx *store.Store) ([]Change, error) {
		var err error
		if t, err = tx.Deals().DeletedTaskByID(ctx, u.ID); errors.Is(err, domain.ErrNotFound) {
			return nil, moved
		} else if err != nil {
			return nil, err
		}
		if _, err := dealAllows(ctx, tx, actor, t.DealID, domain.ActionManageTasks); err != nil {
			return nil, err
		}
		t.DeletedAt, t.UpdatedAt = nil, cmp.Or(u.Was.UpdatedAt, s.now().UTC())
		if ok, err := tx.Deals().SaveTask(ctx, &t, u.Version); err != nil || !ok {
			return nil, cmp.Or(err, moved)
		}
		snap, err := taskSummary(ctx, tx, t)
		if err != nil {
			return nil, err
		}
		return []Change{{Event: domain.Event{Action: "restored", Entity: domain.EntityTask, EntityID: t.ID, DealID: &t.DealID, After: snap.Created()}}}, nil
	})
	return t, err
}

// Task is one next step, to change it; a deleted one is not found.
func (s *Deals) Task(ctx context.Context, id int64) (domain.Task, error) {
	return s.store.Deals().TaskByID(ctx, id)
}

// DealTasks lists a deal's next steps.
func (s *Deals) DealTasks(ctx context.Context, dealID int64) ([]read.TaskRow, error) {
	return s.store.Deals().TasksOfDeal(ctx, dealID)
}

// DueTasks lists a user's open next steps overdue or due today in their
// time zone.
func (s *Deals) DueTasks(ctx context.Context, u domain.User, loc *time.Location) ([]read.TaskRow, time.Time, error) {
	today := domain.Today(s.now(), loc)
	rows, err := s.store.Deals().DueTasks(ctx, u.ID, today)
	return rows, today, err
}

// DealsWithoutNextStep counts the user's open deals with no open task.
func (s *Deals) DealsWithoutNextStep(ctx context.Context, u domain.User) (int64, error) {
	return s.store.Deals().CountDeals(ctx, read.DealFilter{OwnerID: u.ID, NoNextStep: true})
}
