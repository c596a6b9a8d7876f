package web

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/views/components"
)

func (s *Server) addTask(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	in := domain.TaskInput{Title: c.FormValue("title"), DueOn: c.FormValue("due_on"), AssigneeID: c.FormValue("assignee_id")}
	t, err := s.svc.AddTask(c.Request().Context(), signedIn(c), id, in)
	var invalid domain.ValidationErrors
	if errors.As(err, &invalid) {
		return s.dealPage(c, http.StatusUnprocessableEntity, dealForms{task: &taskForm{in, invalid}})
	}
	if err != nil {
		return err
	}
	s.flash(c, "Next step “"+t.Title+"” added.")
	return c.Redirect(http.StatusSeeOther, returnTo(c, components.Path("/deals/", id, "#tasks")))
}

func (s *Server) taskDone(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	done := c.FormValue("done") != "0"
	t, err := s.svc.SetTaskDone(c.Request().Context(), signedIn(c), id, formVersion(c), done)
	if err != nil {
		return err
	}
	if done {
		s.flash(c, "“"+t.Title+"” done.")
	} else {
		s.flash(c, "“"+t.Title+"” is open again.")
	}
	return c.Redirect(http.StatusSeeOther, returnTo(c, components.Path("/deals/", t.DealID, "#tasks")))
}
