package web

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/views/components"
	"github.com/presale/presale/views/pages"
)

// Handlers of customer questions: raise one at a meeting, answer it.

func (s *Server) raiseQuestion(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	in := domain.QuestionInput{Category: c.FormValue("category"), Text: c.FormValue("text"), RaisedByID: c.FormValue("raised_by_id")}
	_, err = s.svc.RaiseQuestion(c.Request().Context(), signedIn(c), id, in)
	return s.saved(c, err, func(p formProblem) error {
		return s.meetingPage(c, p.Status, meetingForms{question: in, questionErrors: p.Errors})
	}, components.Path("/meetings/", id)+"#meeting-questions", "Question recorded.")
}

func (s *Server) question(c echo.Context) error {
	return s.questionPage(c, http.StatusOK, "", nil)
}

func (s *Server) questionPage(c echo.Context, status int, answer string, errs domain.ValidationErrors) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	d, err := s.svc.QuestionDetail(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return s.render(c, status, pages.Question(s.shell(c, "Question"), pages.QuestionView{Question: d.Question, Deal: d.Deal, Meeting: d.Meeting,
		CanAnswer: domain.Can(signedIn(c), domain.ActionAnswerQuestion, d.Team), Answer: answer, Errors: errs}))
}

func (s *Server) answerQuestion(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	answer := c.FormValue("answer")
	_, err = s.svc.AnswerQuestion(c.Request().Context(), signedIn(c), id, answer)
	return s.saved(c, err, func(p formProblem) error {
		return s.questionPage(c, p.Status, answer, p.Errors)
	}, answered(c.FormValue("next"), id), "Answer saved; the salesperson has been told.")
}

// answered is where an answer returns to: the deal or meeting page it was
// given on, else the question's own page.
func answered(next string, id int64) string {
	if next != "" && localPath(next) == next {
		return next
	}
	return components.Path("/questions/", id)
}
