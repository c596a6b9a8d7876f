package service

import (
	"context"
	"fmt"
	"time"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
	"github.com/presale/presale/internal/store"
)

func taskSnapshot(t domain.Task, assignee string) domain.Snapshot {
	return domain.Snapshot{{Field: "next step", New: t.Title}, {Field: "due", New: t.DueOn.Format(domain.DateLayout)}, {Field: "assignee", New: assignee}}
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
		assignee, err := tx.People().UserByID(ctx, t.AssigneeID)
		if err != nil {
			return nil, err
		}
		c := created(domain.EntityTask, t.ID, &dealID, taskSnapshot(t, assignee.Name))
		c.Notify = []int64{t.AssigneeID}
		c.Text = fmt.Sprintf("Next step on %q for you: %s (due %s)", d.Title, t.Title, t.DueOn.Format("Mon 2 Jan"))
		c.Link = fmt.Sprintf("/deals/%d#tasks", dealID)
		return []Change{c}, nil
	})
	return t, err
}

// SetTaskDone ticks a next step off (done) or opens it again, as seen at
// version.
func (s *Deals) SetTaskDone(ctx context.Context, actor domain.User, id, version int64, done bool) (domain.Task, error) {
	var t domain.Task
	err := s.write(ctx, &actor, func(tx *store.Store) ([]Change, error) {
		var err error
		if t, err = tx.Deals().TaskByID(ctx, id); err != nil {
			return nil, err
		}
		if _, err := dealAllows(ctx, tx, actor, t.DealID, domain.ActionManageTasks); err != nil {
			return nil, err
		}
		if t.Done() == done {
			return nil, nil // already so: nothing to record
		}
		now := s.now().UTC()
		t.DoneAt, t.UpdatedAt = nil, now
		action := "reopened"
		if done {
			t.DoneAt, action = &now, "done"
		}
		if ok, err := tx.Deals().SetTaskDone(ctx, &t, version); err != nil || !ok {
			return nil, refuseStale(ctx, tx, err, domain.EntityTask, id, version)
		}
		_, after := domain.EncodeChanges([]domain.FieldChange{{Field: "next step", New: t.Title}})
		return []Change{{Event: domain.Event{Action: action, Entity: domain.EntityTask, EntityID: id, DealID: &t.DealID, After: after}}}, nil
	})
	return t, err
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
