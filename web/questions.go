package web

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/presale/presale/internal/domain"
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
	return h.questionPage(c, http.StatusOK, "", nil, nil)
}

// questionPage shows a question, with a refused answer (and area) as typed.
func (h *meetingHandlers) questionPage(c echo.Context, status int, answer string, area *string, errs domain.ValidationErrors) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	d, err := h.svc.Meetings.QuestionDetail(c.Request().Context(), id)
	if err != nil {
		return err
	}
	areas, err := h.svc.Organisation.Choices(c.Request().Context(), domain.ListProductAreas)
	if err != nil {
		return err
	}
	typed := d.Question.ProductArea
	if area != nil {
		typed = *area
	}
	return h.site.render(c, status, pages.Question(h.site.shell(c, "Question"), pages.QuestionView{Question: d.Question, Deal: d.Deal, Meeting: d.Meeting,
		Areas: areas, AnswerArea: typed,
		CanAnswer: domain.Can(signedIn(c), domain.ActionAnswerQuestion, d.Team), Answer: answer, Errors: errs}))
}

func (h *meetingHandlers) answerQuestion(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	answer, area := c.FormValue("answer"), formArea(c)
	_, err = h.svc.Meetings.AnswerQuestion(c.Request().Context(), signedIn(c), id, answer, area)
	return h.site.saved(c, err, func(p formProblem) error {
		return h.questionPage(c, p.Status, answer, area, p.Errors)
	}, answered(c.FormValue("next"), id), "Answer saved; the salesperson has been told.")
}

// formArea is the product area a form sent, nil when it has no such
// field (the area is then left as it is).
func formArea(c echo.Context) *string {
	if _, err := c.FormParams(); err != nil || !c.Request().Form.Has("product_area") {
		return nil
	}
	a := c.FormValue("product_area")
	return &a
}

// answered is where an answer returns to: the deal or meeting page it was
// given on, else the question's own page.
func answered(next string, id int64) string {
	if next != "" && localPath(next) == next {
		return next
	}
	return components.Path("/questions/", id)
}
