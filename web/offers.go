package web

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
	"github.com/presale/presale/internal/service"
	"github.com/presale/presale/views/components"
	"github.com/presale/presale/views/pages"
)

// offerHandlers serve offers (their page, lifecycle, conversation and the
// review queue) and the promise register (promises.go), which accepted
// offers feed.
type offerHandlers struct {
	svc   *service.Service
	site  site
	deals *dealHandlers // a refused proposal or promise shows the deal page again
}

func (h *offerHandlers) proposeOffer(c echo.Context) error {
	dealID, err := idParam(c)
	if err != nil {
		return err
	}
	in := domain.OfferProposal{Title: c.FormValue("title"), Detail: c.FormValue("detail"), Kind: c.FormValue("kind"), EstimatedEffort: c.FormValue("estimated_effort")}
	submit := c.FormValue("submit") == "1"
	o, err := h.svc.Offers.ProposeOffer(c.Request().Context(), signedIn(c), dealID, in, submit)
	msg := "Draft saved. Submit it when it is ready for the salesperson."
	if submit {
		msg = "Submitted: the salesperson reviews it before it reaches the customer."
	}
	return h.site.saved(c, err, func(p formProblem) error {
		return h.deals.dealPage(c, p.Status, dealForms{offer: &pages.OfferFormView{DealID: dealID, Input: in, Errors: p.Errors}})
	}, components.Path("/offers/", o.ID), msg)
}

func (h *offerHandlers) offer(c echo.Context) error {
	return h.offerPage(c, http.StatusOK, offerForms{})
}

// offerForms are the offer page's forms as typed, when one was refused.
type offerForms struct {
	step         domain.OfferInput
	errs         domain.ValidationErrors
	comment      string
	commentError string
}

func (h *offerHandlers) offerPage(c echo.Context, status int, f offerForms) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	u := signedIn(c)
	d, err := h.svc.Offers.OfferDetail(c.Request().Context(), u, id)
	if err != nil {
		return err
	}
	comments := pages.CommentsView{Comments: d.Comments, ID: "offer-comment", Error: f.commentError, Body: f.comment}
	switch {
	case !domain.Can(u, domain.ActionComment, domain.OfferSubject{Offer: d.Offer.Offer, Team: d.Team}):
	case !d.Offer.OpenForComment():
		comments.Closed = "The offer is " + strings.ToLower(d.Offer.Status.Label()) + "; its conversation is closed."
	default:
		comments.Action = components.Path("/offers/", id, "/comments")
	}
	return h.site.render(c, status, pages.Offer(h.site.shell(c, d.Offer.Title), pages.OfferView{
		Offer: d.Offer, Actions: domain.AvailableOfferActions(d.Offer.Offer, u, d.Team), Meetings: d.Meetings, History: d.History,
		Promise: d.Promise, CanPromise: domain.Can(u, domain.ActionRecordPromise, d.Team), Input: f.step, Errors: f.errs,
		Comments: comments,
	}))
}

// moveOffer is the handler of one lifecycle step; the domain decides.
func (h *offerHandlers) moveOffer(action domain.OfferAction) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := idParam(c)
		if err != nil {
			return err
		}
		in := domain.OfferInput{Trigger: c.FormValue("trigger"), Reason: c.FormValue("reason")}
		if mid, ok := domain.ParseID(c.FormValue("meeting_id")); ok {
			in.MeetingID = &mid
		}
		o, undo, err := h.svc.Offers.MoveOffer(c.Request().Context(), signedIn(c), id, action, in)
		var invalid domain.ValidationErrors
		if errors.As(err, &invalid) {
			return h.offerPage(c, http.StatusUnprocessableEntity, offerForms{step: in, errs: invalid})
		}
		if err != nil {
			return err
		}
		h.site.flashUndo(c, "“"+o.Title+"” is now "+strings.ToLower(o.Status.Label())+".", undo) // every step is one click
		return back(c, components.Path("/offers/", id))
	}
}

func (h *offerHandlers) commentOnOffer(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	body := c.FormValue("body")
	err = h.svc.Offers.CommentOnOffer(c.Request().Context(), signedIn(c), id, body)
	var invalid domain.ValidationErrors
	if errors.As(err, &invalid) {
		return h.offerPage(c, http.StatusUnprocessableEntity, offerForms{comment: body, commentError: invalid["body"]})
	}
	if err != nil {
		return err
	}
	h.site.flash(c, "Comment added.")
	return c.Redirect(http.StatusSeeOther, components.Path("/offers/", id, "#comments"))
}

// reviewQueue is the salesperson's queue of proposed offers; with status
// (and a period, from the coverage review) it lists offers standing there.
func (h *offerHandlers) reviewQueue(c echo.Context) error {
	f := read.OfferFilter{Status: domain.OfferStatus(c.QueryParam("status")), OwnerID: queryID(c, "owner"), DevRelID: queryID(c, "devrel"), Page: page(c)}
	if !f.Status.Listed() {
		f.Status = domain.OfferProposed
	}
	loc := h.site.location(c)
	if from, err := time.ParseInLocation(domain.DateLayout, c.QueryParam("from"), loc); err == nil {
		if to, err := time.ParseInLocation(domain.DateLayout, c.QueryParam("to"), loc); err == nil {
			f.From, f.To = from.UTC(), to.Add(24*time.Hour).UTC()
		}
	}
	rows, total, err := h.svc.Offers.OffersByStatus(c.Request().Context(), signedIn(c), f)
	if err != nil {
		return err
	}
	v := pages.ReviewView{Rows: rows, Pager: pager(c, f.Page, total, "offers"), Status: f.Status}
	if domain.Can(signedIn(c), domain.ActionSeeAllDeals, domain.Organisation{}) { // others see their own deals whatever was asked
		if v.Scope, err = scopeNote(c, h.svc, f.OwnerID, f.DevRelID); err != nil {
			return err
		}
	}
	if !f.From.IsZero() {
		v.Period = components.DateOf(c.QueryParam("from")) + " to " + components.DateOf(c.QueryParam("to"))
	}
	return h.site.render(c, http.StatusOK, pages.Review(h.site.shell(c, "Review queue"), v))
}
