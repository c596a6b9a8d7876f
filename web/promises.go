package web

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
	"github.com/presale/presale/views/components"
	"github.com/presale/presale/views/pages"
)

// Handlers of the promise register.

// offerPromise shows the promise an accepted offer becomes, prefilled to
// review before saving.
func (h *offerHandlers) offerPromise(c echo.Context) error {
	return h.offerPromisePage(c, http.StatusOK, nil, nil)
}

func (h *offerHandlers) offerPromisePage(c echo.Context, status int, typed *domain.PromiseInput, errs domain.ValidationErrors) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	d, err := h.svc.Offers.PromiseDraft(c.Request().Context(), signedIn(c), id)
	if err != nil {
		return err
	}
	in := d.Input
	if typed != nil {
		in = *typed
	}
	areas, err := h.svc.Organisation.Choices(c.Request().Context(), domain.ListProductAreas)
	if err != nil {
		return err
	}
	return h.site.render(c, status, pages.OfferPromise(h.site.shell(c, "Record as a promise"), pages.OfferPromiseView{Offer: d.Offer,
		Form: pages.PromiseFormView{DealID: d.Offer.DealID, Action: components.Path("/offers/", id, "/promise"), Input: in, Errors: errs,
			Owners: read.PeopleOf(d.Owners), Meetings: d.Meetings, Areas: areas}}))
}

func (h *offerHandlers) offerToPromise(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	in := promiseInput(c)
	p, err := h.svc.Offers.OfferToPromise(c.Request().Context(), signedIn(c), id, in)
	return h.site.saved(c, err, func(f formProblem) error {
		return h.offerPromisePage(c, f.Status, &in, f.Errors)
	}, components.Path("/promises/", p.ID), "Recorded in the promise register. DevRel will rate its feasibility.")
}

func (h *offerHandlers) promises(c echo.Context) error {
	ctx := c.Request().Context()
	f := read.PromiseFilter{Feasibility: domain.Feasibility(c.QueryParam("feasibility")), OwnerID: queryID(c, "owner"),
		Due: c.QueryParam("due"), Flagged: c.QueryParam("flagged") == "1", Status: domain.PromiseStatus(c.QueryParam("status")),
		DealOwnerID: queryID(c, "deal_owner"), RatedBy: queryID(c, "devrel_on"), ProductArea: c.QueryParam("product_area"), Page: page(c)}
	if !f.Feasibility.Valid() && f.Feasibility != read.AtRisk {
		f.Feasibility = ""
	}
	if !f.Status.Valid() {
		f.Status = ""
	}
	rows, total, err := h.svc.Offers.Promises(ctx, f)
	if err != nil {
		return err
	}
	scope, err := scopeNote(c, h.svc, f.DealOwnerID, f.RatedBy)
	if err != nil {
		return err
	}
	owners, err := h.svc.People.Owners(ctx)
	if err != nil {
		return err
	}
	areas, err := h.svc.Organisation.Choices(ctx, domain.ListProductAreas)
	if err != nil {
		return err
	}
	return h.site.render(c, http.StatusOK, pages.Promises(h.site.shell(c, "Promises"), pages.PromisesView{
		Areas: areas, Filter: f, Query: c.QueryParams(), Owners: read.PeopleOf(owners), Rows: rows, Pager: pager(c, f.Page, total, "promises"), Now: h.svc.Now(), Scope: scope}))
}

func (h *offerHandlers) promise(c echo.Context) error {
	return h.promisePage(c, http.StatusOK, "", "", nil, nil)
}

// promisePage shows a promise, with a refused rating (and area) as typed.
func (h *offerHandlers) promisePage(c echo.Context, status int, feasibility, note string, area *string, errs domain.ValidationErrors) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	d, err := h.svc.Offers.PromiseDetail(c.Request().Context(), id)
	if err != nil {
		return err
	}
	u := signedIn(c)
	areas, err := h.svc.Organisation.Choices(c.Request().Context(), domain.ListProductAreas)
	if err != nil {
		return err
	}
	v := pages.PromiseView{Areas: areas, Promise: d.Promise, History: d.History, Now: h.svc.Now(), Errors: errs,
		CanReview: domain.Can(u, domain.ActionReviewPromise, d.Team), CanStatus: domain.Can(u, domain.ActionRecordPromise, d.Team)}
	v.Review.Feasibility, v.Review.Note, v.Review.ProductArea = feasibility, note, d.Promise.ProductArea
	if feasibility == "" {
		v.Review.Feasibility, v.Review.Note = string(d.Promise.Feasibility), d.Promise.FeasibilityNote
	}
	if area != nil {
		v.Review.ProductArea = *area
	}
	return h.site.render(c, status, pages.Promise(h.site.shell(c, "Promise"), v))
}

func (h *offerHandlers) recordPromise(c echo.Context) error {
	dealID, err := idParam(c)
	if err != nil {
		return err
	}
	in := promiseInput(c)
	p, err := h.svc.Offers.RecordPromise(c.Request().Context(), signedIn(c), dealID, in)
	return h.site.saved(c, err, func(p formProblem) error {
		return h.deals.dealPage(c, p.Status, dealForms{promise: &pages.PromiseFormView{DealID: dealID, Input: in, Errors: p.Errors}})
	}, components.Path("/promises/", p.ID), "Promise recorded; the deal's DevRel will rate it.")
}

// promiseInput reads the promise form.
func promiseInput(c echo.Context) domain.PromiseInput {
	return domain.PromiseInput{Text: c.FormValue("text"), Kind: c.FormValue("kind"), OwnerID: c.FormValue("owner_id"),
		DueDate: c.FormValue("due_date"), MeetingID: c.FormValue("meeting_id"), ProductArea: c.FormValue("product_area")}
}

func (h *offerHandlers) reviewPromise(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	f, note, area := c.FormValue("feasibility"), c.FormValue("note"), formArea(c)
	_, err = h.svc.Offers.ReviewPromise(c.Request().Context(), signedIn(c), id, domain.Feasibility(f), note, area)
	return h.site.saved(c, err, func(p formProblem) error {
		return h.promisePage(c, p.Status, f, note, area, p.Errors)
	}, components.Path("/promises/", id), "Rating saved.")
}

func (h *offerHandlers) promiseStatus(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	p, undo, err := h.svc.Offers.SetPromiseStatus(c.Request().Context(), signedIn(c), id, domain.PromiseStatus(c.FormValue("status")))
	if err != nil {
		return err
	}
	h.site.flashUndo(c, "Promise marked "+strings.ToLower(p.Status.Label())+".", undo)
	return c.Redirect(http.StatusSeeOther, components.Path("/promises/", id))
}
