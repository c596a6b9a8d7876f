package store

import (
	"context"
	"time"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
	"gorm.io/gorm"
)

// CreateTask inserts t and sets its ID.
func (s Deals) CreateTask(ctx context.Context, t *domain.Task) error {
	t.Version = 1
	return s.write(ctx).Create(t).Error
}

// TaskByID loads one task; a deleted one is not found.
func (s Deals) TaskByID(ctx context.Context, id int64) (domain.Task, error) {
	return s.taskByID(ctx, id, "deleted_at IS NULL")
}

// DeletedTaskByID loads a deleted task, for an undo to put it back.
func (s Deals) DeletedTaskByID(ctx context.Context, id int64) (domain.Task, error) {
	return s.taskByID(ctx, id, "deleted_at IS NOT NULL")
}

func (s Deals) taskByID(ctx context.Context, id int64, deleted string) (domain.Task, error) {
	var t domain.Task
	err := s.read(ctx).Where(deleted).First(&t, id).Error
	return t, notFound(err)
}

// SaveTask writes what can change of a task (what, when, who, done,
// deleted) if it is still at version expected.
func (s Deals) SaveTask(ctx context.Context, t *domain.Task, expected int64) (bool, error) {
	ok, err := s.updateVersioned(ctx, "tasks", t.ID, expected, map[string]any{"title": t.Title, "due_on": t.DueOn, "assignee_id": t.AssigneeID,
		"done_at": t.DoneAt, "deleted_at": t.DeletedAt, "updated_at": t.UpdatedAt})
	if ok {
		t.Version = expected + 1
	}
	return ok, err
}

// taskRows reads the tasks not deleted, with the names a list shows.
func (s Deals) taskRows(ctx context.Context) *gorm.DB {
	return s.read(ctx).Table("tasks").Select(`tasks.*, users.name AS assignee_name, deals.title AS deal_title`).
		Joins("JOIN users ON users.id = tasks.assignee_id").Joins("JOIN deals ON deals.id = tasks.deal_id").Where("tasks.deleted_at IS NULL")
}

// TasksOfDeal lists a deal's tasks: open ones by due day, then done ones,
// latest first.
func (s Deals) TasksOfDeal(ctx context.Context, dealID int64) ([]read.TaskRow, error) {
	var rows []read.TaskRow
	return rows, s.taskRows(ctx).Where("tasks.deal_id = ?", dealID).
		Order("CASE WHEN tasks.done_at IS NULL THEN 0 ELSE 1 END, tasks.due_on, tasks.done_at DESC, tasks.id").Scan(&rows).Error
}

// DueTasks lists a user's open tasks due by the day given (overdue and due
// that day), on deals not archived, oldest first.
func (s Deals) DueTasks(ctx context.Context, userID int64, by time.Time) ([]read.TaskRow, error) {
	var rows []read.TaskRow
	return rows, s.taskRows(ctx).Where("tasks.assignee_id = ? AND tasks.done_at IS NULL AND tasks.due_on <= ? AND deals.archived_at IS NULL", userID, by).
		Order("tasks.due_on, tasks.id").Limit(50).Scan(&rows).Error
}

// noNextStep selects open deals with no open task (a deleted one is none).
const noNextStep = "NOT EXISTS (SELECT 1 FROM tasks t WHERE t.deal_id = deals.id AND t.done_at IS NULL AND t.deleted_at IS NULL)"
