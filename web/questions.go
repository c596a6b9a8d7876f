package web

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/service"
	"github.com/presale/presale/views/components"
	"github.com/presale/presale/views/pages"
)

// Handlers of customer questions: raise one at a meeting, answer it.

func (h *meetingHandlers) raiseQuestion(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	in := domain.QuestionInput{Category: c.FormValue("category"), Text: c.FormValue("text"), RaisedByID: c.FormValue("raised_by_id"),
		ProductArea: c.FormValue("product_area")}
	_, err = h.svc.Meetings.RaiseQuestion(c.Request().Context(), signedIn(c), id, in)
	return h.site.saved(c, err, func(p formProblem) error {
		return h.meetingPage(c, p.Status, meetingForms{question: in, questionErrors: p.Errors})
	}, components.Path("/meetings/", id)+"#meeting-questions", "Question recorded.")
}

func (h *meetingHandlers) question(c echo.Context) error {
	return h.questionPage(c, http.StatusOK, "", nil)
}

func (h *meetingHandlers) questionPage(c echo.Context, status int, answer string, errs domain.ValidationErrors) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	d, err := h.svc.Meetings.QuestionDetail(c.Request().Context(), id)
	if err != nil {
		return err
	}
	area, err := areaLabel(c, h.svc, d.Question.ProductArea)
	if err != nil {
		return err
	}
	return h.site.render(c, status, pages.Question(h.site.shell(c, "Question"), pages.QuestionView{Question: d.Question, Deal: d.Deal, Meeting: d.Meeting, Area: area,
		CanAnswer: domain.Can(signedIn(c), domain.ActionAnswerQuestion, d.Team), Answer: answer, Errors: errs}))
}

func (h *meetingHandlers) answerQuestion(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	answer := c.FormValue("answer")
	_, err = h.svc.Meetings.AnswerQuestion(c.Request().Context(), signedIn(c), id, answer)
	return h.site.saved(c, err, func(p formProblem) error {
		return h.questionPage(c, p.Status, answer, p.Errors)
	}, answered(c.FormValue("next"), id), "Answer saved; the salesperson has been told.")
}

// areaLabel is how a question's or promise's product area reads; empty
// for none.
func areaLabel(c echo.Context, svc *service.Service, key string) (string, error) {
	if key == "" {
		return "", nil
	}
	areas, err := svc.Organisation.Choices(c.Request().Context(), domain.ListProductAreas)
	return areas.Label(key), err
}

// answered is where an answer returns to: the deal or meeting page it was
// given on, else the question's own page.
func answered(next string, id int64) string {
	if next != "" && localPath(next) == next {
		return next
	}
	return components.Path("/questions/", id)
}
