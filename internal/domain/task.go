package domain

import (
	"strconv"
	"strings"
	"time"
)

// Task is a next step on a deal: what, by when, and who does it (the
// owner or someone on the deal team).
type Task struct {
	ID          int64
	DealID      int64
	Title       string
	DueOn       time.Time
	AssigneeID  int64
	CreatedByID int64
	DoneAt      *time.Time
	DeletedAt   *time.Time // deleted, until an undo puts it back
	Version     int64      `gorm:"default:1"`
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Done reports whether the task is ticked off.
func (t Task) Done() bool { return t.DoneAt != nil }

// Input is the task as its edit form starts: what was saved.
func (t Task) Input() TaskInput {
	return TaskInput{Title: t.Title, DueOn: t.DueOn.Format(DateLayout), AssigneeID: strconv.FormatInt(t.AssigneeID, 10)}
}

// Overdue reports whether an open task's day has passed by today (a
// date at midnight UTC, as due dates are stored).
func (t Task) Overdue(today time.Time) bool { return !t.Done() && t.DueOn.Before(today) }

// TaskInput is a task as typed: due_on as YYYY-MM-DD, assignee_id one of
// the deal team (empty: whoever writes it, if on the team, else the owner).
type TaskInput struct {
	Title      string
	DueOn      string
	AssigneeID string
}

// Apply validates the input against the deal team and writes it to t.
func (in TaskInput) Apply(t *Task, team DealTeam, actor User) error {
	errs := ValidationErrors{}
	t.Title = Line(in.Title)
	if t.Title == "" {
		errs.Add("title", "Say what the next step is.")
	}
	errs.Fit("title", t.Title, MaxLine)
	if d, err := time.Parse(DateLayout, strings.TrimSpace(in.DueOn)); err == nil {
		t.DueOn = d
	} else {
		errs.Add("due_on", "Enter the day it is due as YYYY-MM-DD.")
	}
	switch id, ok := parseID(in.AssigneeID); {
	case strings.TrimSpace(in.AssigneeID) == "" && team.HasMember(actor.ID):
		t.AssigneeID = actor.ID
	case strings.TrimSpace(in.AssigneeID) == "":
		t.AssigneeID = team.OwnerID
	case ok && team.HasMember(id):
		t.AssigneeID = id
	default:
		errs.Add("assignee_id", "Choose the owner or a DevRel on the deal team.")
	}
	return errs.Err()
}

// Today is the date of now in loc, at midnight UTC: how due dates compare.
func Today(now time.Time, loc *time.Location) time.Time {
	y, m, d := now.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// NextWorkingDay is the first weekday after day.
func NextWorkingDay(day time.Time) time.Time {
	next := day.AddDate(0, 0, 1)
	for next.Weekday() == time.Saturday || next.Weekday() == time.Sunday {
		next = next.AddDate(0, 0, 1)
	}
	return next
}
