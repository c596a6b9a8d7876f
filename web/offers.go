package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/store"
	"github.com/presale/presale/views/components"
	"github.com/presale/presale/views/pages"
)

func (s *Server) proposeOffer(c echo.Context) error {
	dealID, err := idParam(c)
	if err != nil {
		return err
	}
	in := domain.OfferProposal{Title: c.FormValue("title"), Detail: c.FormValue("detail"), Kind: c.FormValue("kind"), EstimatedEffort: c.FormValue("estimated_effort")}
	submit := c.FormValue("submit") == "1"
	o, err := s.svc.ProposeOffer(c.Request().Context(), signedIn(c), dealID, in, submit)
	msg := "Draft saved. Submit it when it is ready for the salesperson."
	if submit {
		msg = "Submitted: the salesperson reviews it before it reaches the customer."
	}
	return s.saved(c, err, func(p formProblem) error {
		return s.dealPage(c, p.Status, dealForms{offer: &pages.OfferFormView{DealID: dealID, Input: in, Errors: p.Errors}})
	}, components.Path("/offers/", o.ID), msg)
}

func (s *Server) offer(c echo.Context) error {
	return s.offerPage(c, http.StatusOK, domain.OfferInput{}, nil)
}

func (s *Server) offerPage(c echo.Context, status int, in domain.OfferInput, errs domain.ValidationErrors) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	u := signedIn(c)
	d, err := s.svc.OfferDetail(c.Request().Context(), u, id)
	if err != nil {
		return err
	}
	return s.render(c, status, pages.Offer(s.shell(c, d.Offer.Title), pages.OfferView{
		Offer: d.Offer, Actions: domain.AvailableOfferActions(d.Offer.Offer, u, d.Team), Meetings: d.Meetings, History: d.History,
		Promise: d.Promise, CanPromise: domain.Can(u, domain.ActionRecordPromise, d.Team), Input: in, Errors: errs,
	}))
}

// moveOffer is the handler of one lifecycle step; the domain decides.
func (s *Server) moveOffer(action domain.OfferAction) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := idParam(c)
		if err != nil {
			return err
		}
		in := domain.OfferInput{Trigger: c.FormValue("trigger"), Reason: c.FormValue("reason")}
		if mid, ok := domain.ParseID(c.FormValue("meeting_id")); ok {
			in.MeetingID = &mid
		}
		o, err := s.svc.MoveOffer(c.Request().Context(), signedIn(c), id, action, in)
		var invalid domain.ValidationErrors
		if errors.As(err, &invalid) {
			return s.offerPage(c, http.StatusUnprocessableEntity, in, invalid)
		}
		if err != nil {
			return err
		}
		s.flash(c, "“"+o.Title+"” is now "+strings.ToLower(o.Status.Label())+".")
		return back(c, components.Path("/offers/", id))
	}
}

func (s *Server) offerToPromise(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	p, err := s.svc.OfferToPromise(c.Request().Context(), signedIn(c), id)
	if err != nil {
		return err
	}
	s.flash(c, "Recorded in the promise register. DevRel will rate its feasibility.")
	return c.Redirect(http.StatusSeeOther, components.Path("/promises/", p.ID))
}

func (s *Server) reviewQueue(c echo.Context) error {
	p := page(c)
	rows, total, err := s.svc.ReviewQueue(c.Request().Context(), signedIn(c), p)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, pages.Review(s.shell(c, "Review queue"), pages.ReviewView{Rows: rows, Pager: pager(c, p, total, "offers")}))
}

func (s *Server) brief(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	u := signedIn(c)
	b, err := s.svc.Brief(c.Request().Context(), u, id)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, pages.Brief(s.shell(c, "Brief: "+b.Meeting.Title), pages.BriefView{
		Meeting: b.Meeting, Deal: b.Deal, Account: b.Account, Owner: b.Owner, Contacts: b.Contacts, Attendees: b.Attendees,
		Sync: syncPanel(b.Sync), ShowReserve: b.ShowReserve, Cleared: b.Cleared, Reserved: b.Reserved, Declined: b.Declined,
		Open: b.Open, Promises: b.Promises, LastOutcome: b.LastOutcome,
	}))
}

func (s *Server) promises(c echo.Context) error {
	ctx := c.Request().Context()
	f := store.PromiseFilter{Feasibility: domain.Feasibility(c.QueryParam("feasibility")), OwnerID: queryID(c, "owner"),
		Due: c.QueryParam("due"), Flagged: c.QueryParam("flagged") == "1", Page: page(c)}
	if !f.Feasibility.Valid() {
		f.Feasibility = ""
	}
	rows, total, err := s.svc.Promises(ctx, f)
	if err != nil {
		return err
	}
	owners, err := s.svc.Owners(ctx)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, pages.Promises(s.shell(c, "Promises"), pages.PromisesView{
		Filter: f, Query: c.QueryParams(), Owners: owners, Rows: rows, Pager: pager(c, f.Page, total, "promises"), Now: s.svc.Now()}))
}

func (s *Server) promise(c echo.Context) error {
	return s.promisePage(c, http.StatusOK, "", "", nil)
}

func (s *Server) promisePage(c echo.Context, status int, feasibility, note string, errs domain.ValidationErrors) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	d, err := s.svc.PromiseDetail(c.Request().Context(), id)
	if err != nil {
		return err
	}
	u := signedIn(c)
	v := pages.PromiseView{Promise: d.Promise, History: d.History, Now: s.svc.Now(), Errors: errs,
		CanReview: domain.Can(u, domain.ActionReviewPromise, d.Team), CanStatus: domain.Can(u, domain.ActionRecordPromise, d.Team)}
	v.Review.Feasibility, v.Review.Note = feasibility, note
	if feasibility == "" {
		v.Review.Feasibility, v.Review.Note = string(d.Promise.Feasibility), d.Promise.FeasibilityNote
	}
	return s.render(c, status, pages.Promise(s.shell(c, "Promise"), v))
}

func (s *Server) recordPromise(c echo.Context) error {
	dealID, err := idParam(c)
	if err != nil {
		return err
	}
	in := domain.PromiseInput{Text: c.FormValue("text"), Kind: c.FormValue("kind"), OwnerID: c.FormValue("owner_id"),
		DueDate: c.FormValue("due_date"), MeetingID: c.FormValue("meeting_id")}
	p, err := s.svc.RecordPromise(c.Request().Context(), signedIn(c), dealID, in)
	return s.saved(c, err, func(p formProblem) error {
		return s.dealPage(c, p.Status, dealForms{promise: &pages.PromiseFormView{DealID: dealID, Input: in, Errors: p.Errors}})
	}, components.Path("/promises/", p.ID), "Promise recorded; the deal's DevRel will rate it.")
}

func (s *Server) reviewPromise(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	f, note := c.FormValue("feasibility"), c.FormValue("note")
	_, err = s.svc.ReviewPromise(c.Request().Context(), signedIn(c), id, domain.Feasibility(f), note)
	return s.saved(c, err, func(p formProblem) error {
		return s.promisePage(c, p.Status, f, note, p.Errors)
	}, components.Path("/promises/", id), "Rating saved.")
}

func (s *Server) promiseStatus(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	p, err := s.svc.SetPromiseStatus(c.Request().Context(), signedIn(c), id, domain.PromiseStatus(c.FormValue("status")))
	if err != nil {
		return err
	}
	s.flash(c, "Promise marked "+string(p.Status)+".")
	return c.Redirect(http.StatusSeeOther, components.Path("/promises/", id))
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
	}, components.Path("/questions/", id), "Answer saved; the salesperson has been told.")
}
