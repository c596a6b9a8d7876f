package web

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
	"github.com/presale/presale/views/components"
	"github.com/presale/presale/views/pages"
)

func (h *dealHandlers) addTask(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	in := taskInput(c)
	t, err := h.svc.Deals.AddTask(c.Request().Context(), signedIn(c), id, in)
	var invalid domain.ValidationErrors
	if errors.As(err, &invalid) {
		return h.dealPage(c, http.StatusUnprocessableEntity, dealForms{task: &taskForm{in, invalid}})
	}
	if err != nil {
		return err
	}
	h.site.flash(c, "Next step “"+t.Title+"” added.")
	return c.Redirect(http.StatusSeeOther, returnTo(c, components.Path("/deals/", id, "#tasks")))
}

func taskInput(c echo.Context) domain.TaskInput {
	return domain.TaskInput{Title: c.FormValue("title"), DueOn: c.FormValue("due_on"), AssigneeID: c.FormValue("assignee_id")}
}

func (h *dealHandlers) editTask(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	t, err := h.svc.Deals.Task(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return h.taskEdit(c, http.StatusOK, t, taskForm{in: t.Input()}, nil)
}

func (h *dealHandlers) updateTask(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	in, version := taskInput(c), formVersion(c)
	t, err := h.svc.Deals.UpdateTask(c.Request().Context(), signedIn(c), id, version, in)
	return h.site.saved(c, err, func(p formProblem) error {
		t, err := h.svc.Deals.Task(c.Request().Context(), id)
		if err != nil {
			return err
		}
		t.Version = p.version(version)
		return h.taskEdit(c, p.Status, t, taskForm{in, p.Errors}, p.Stale)
	}, returnTo(c, components.Path("/deals/", t.DealID, "#tasks")), "“"+t.Title+"” saved.")
}

// taskEdit shows the form to change next step t, at t's version, with
// form as typed; only those who manage the deal's next steps see it.
func (h *dealHandlers) taskEdit(c echo.Context, status int, t domain.Task, form taskForm, stale *pages.Stale) error {
	d, err := h.svc.Deals.DealDetail(c.Request().Context(), signedIn(c), t.DealID)
	if err != nil {
		return err
	}
	if err := domain.Authorize(signedIn(c), domain.ActionManageTasks, d.Team); err != nil {
		return err
	}
	next := returnTo(c, components.Path("/deals/", t.DealID, "#tasks"))
	return h.site.render(c, status, pages.TaskEdit(h.site.shell(c, "Edit the next step"), pages.TaskEditView{ID: t.ID, Version: t.Version,
		DealTitle: d.Deal.Title, Form: h.tasksView(c, d.Deal, d.Team, d.Owner, d.Members, nil, next, &form), Stale: stale}))
}

func (h *dealHandlers) deleteTask(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	t, undo, err := h.svc.Deals.DeleteTask(c.Request().Context(), signedIn(c), id, formVersion(c))
	if err != nil {
		return err
	}
	h.site.flashUndo(c, "“"+t.Title+"” deleted.", undo)
	return c.Redirect(http.StatusSeeOther, returnTo(c, components.Path("/deals/", t.DealID, "#tasks")))
}

func (h *dealHandlers) taskDone(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	done := c.FormValue("done") != "0"
	t, err := h.svc.Deals.SetTaskDone(c.Request().Context(), signedIn(c), id, formVersion(c), done)
	if err != nil {
		return err
	}
	if done {
		h.site.flash(c, "“"+t.Title+"” done.")
	} else {
		h.site.flash(c, "“"+t.Title+"” is open again.")
	}
	return c.Redirect(http.StatusSeeOther, returnTo(c, components.Path("/deals/", t.DealID, "#tasks")))
}

// tasksView is a deal's next steps and the form to add one, returning to
// next; form is the form as typed (refused, or prefilled), if any.
func (h *dealHandlers) tasksView(c echo.Context, deal domain.Deal, team domain.DealTeam, owner read.Person, members []read.TeamMember,
	tasks []read.TaskRow, next string, form *taskForm) pages.TasksView {
	u := signedIn(c)
	v := pages.TasksView{DealID: deal.ID, Open: !deal.Stage.Closed(), Tasks: tasks, Today: domain.Today(h.svc.Now(), h.site.location(c)),
		CanManage: domain.Can(u, domain.ActionManageTasks, team), Next: next}
	if form != nil {
		v.Input, v.Errors = form.in, form.errs
	}
	if v.Input.DueOn == "" {
		v.Input.DueOn = domain.NextWorkingDay(v.Today).Format(domain.DateLayout)
	}
	v.Assignees = teamChoices(owner, members, v.Input.AssigneeID, u)
	return v
}

// teamChoices are the people a next step can be given to: the owner and
// the DevRel on the deal; the chosen one, or the viewer, selected.
func teamChoices(owner read.Person, members []read.TeamMember, chosen string, viewer domain.User) []components.Option {
	if chosen == "" {
		chosen = components.ID(owner.ID)
		for _, m := range members {
			if m.UserID == viewer.ID {
				chosen = components.ID(viewer.ID)
			}
		}
	}
	opts := []components.Option{{Value: components.ID(owner.ID), Label: owner.Name + " (owner)", Selected: chosen == components.ID(owner.ID)}}
	for _, m := range members {
		opts = append(opts, components.Option{Value: components.ID(m.UserID), Label: m.Name, Selected: chosen == components.ID(m.UserID)})
	}
	return opts
}
