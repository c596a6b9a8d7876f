package web

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
	"github.com/presale/presale/internal/service"
	"github.com/presale/presale/views/components"
	"github.com/presale/presale/views/pages"
)

// supportHandlers serve DevRel support: the board, a request's page, and
// asking, claiming, assigning, releasing and cancelling.
type supportHandlers struct {
	svc   *service.Service
	site  site
	deals *dealHandlers // a refused request shows the deal page again
}

func (h *supportHandlers) supportBoard(c echo.Context) error {
	ctx := c.Request().Context()
	u := signedIn(c)
	f := read.SupportFilter{Kind: domain.SupportKind(c.QueryParam("kind")), Status: domain.SupportStatus(c.QueryParam("status")),
		Overdue: c.QueryParam("overdue") == "1", Age: c.QueryParam("age"),
		DealOwnerID: queryID(c, "deal_owner"), DevRelID: queryID(c, "devrel_on"), Page: page(c)}
	if _, ok := read.SupportAgeBands[f.Age]; !ok {
		f.Age = ""
	}
	if !f.Kind.Valid() {
		f.Kind = ""
	}
	switch f.Status {
	case domain.SupportClaimed, domain.SupportFulfilled, domain.SupportCancelled:
	default:
		f.Status = domain.SupportOpen
	}
	cards, total, load, err := h.svc.Support.SupportBoardFor(ctx, u, f)
	if err != nil {
		return err
	}
	scope, err := scopeNote(c, h.svc, f.DealOwnerID, f.DevRelID)
	if err != nil {
		return err
	}
	v := pages.SupportBoardView{Kind: f.Kind, Status: f.Status, Overdue: f.Overdue, Age: f.Age, Scope: scope, Query: c.QueryParams(), Rows: cards, Now: h.svc.Now(), Load: load,
		Pager: pager(c, f.Page, total, "requests"), CanClaim: domain.Can(u, domain.ActionClaimSupport, domain.Organisation{}), Capacity: u.EffectiveCapacity()}
	if v.CanAssign = domain.Can(u, domain.ActionAssignDevRel, domain.Organisation{}); v.CanAssign {
		if v.DevRel, err = h.svc.Support.DevRelLoads(ctx); err != nil {
			return err
		}
	}
	return h.site.render(c, http.StatusOK, pages.SupportBoard(h.site.shell(c, "Support board"), v))
}

func (h *supportHandlers) supportRequest(c echo.Context) error {
	return h.supportPage(c, http.StatusOK, nil)
}

// supportPage shows a request, asking the manager to confirm an
// assignment beyond capacity when confirm is set.
func (h *supportHandlers) supportPage(c echo.Context, status int, confirm *pages.ConfirmAssign) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	d, err := h.svc.Support.SupportDetail(c.Request().Context(), id)
	if err != nil {
		return err
	}
	u := signedIn(c)
	r := d.Request
	return h.site.render(c, status, pages.Support(h.site.shell(c, r.Kind.Label()+" for "+r.DealTitle), pages.SupportView{
		Request: r, DevRel: d.DevRel, Events: d.Events, Now: h.svc.Now(), Confirm: confirm,
		CanClaim:   r.Allows(u, domain.ActionClaimRequest, d.Team),
		CanAssign:  domain.Can(u, domain.ActionAssignDevRel, domain.Organisation{}),
		CanRelease: r.Allows(u, domain.ActionReleaseRequest, d.Team),
		CanCancel:  r.Allows(u, domain.ActionCancelRequest, d.Team),
	}))
}

func (h *supportHandlers) requestSupport(c echo.Context) error {
	dealID, err := idParam(c)
	if err != nil {
		return err
	}
	in := domain.SupportInput{Kind: c.FormValue("kind"), NeededBy: c.FormValue("needed_by"), Details: c.FormValue("details")}
	r, err := h.svc.Support.RequestSupport(c.Request().Context(), signedIn(c), dealID, in)
	return h.site.saved(c, err, func(p formProblem) error {
		return h.deals.dealPage(c, p.Status, dealForms{support: &pages.SupportFormView{DealID: dealID, Input: in, Errors: p.Errors}})
	}, components.Path("/support-requests/", r.ID), "Support requested: every DevRel has been told.")
}

func (h *supportHandlers) claimSupport(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	r, err := h.svc.Support.ClaimSupport(c.Request().Context(), signedIn(c), id)
	if err != nil {
		return err
	}
	h.site.flashUndo(c, "You claimed this request and joined the deal team.",
		domain.UndoOfClaim(r, signedIn(c).ID, h.svc.Now()))
	return c.Redirect(http.StatusSeeOther, components.Path("/deals/", r.DealID))
}

func (h *supportHandlers) assignSupport(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	devrelID, _ := domain.ParseID(c.FormValue("devrel_id"))
	r, err := h.svc.Support.AssignSupport(c.Request().Context(), signedIn(c), id, devrelID, c.FormValue("over_capacity") == "1")
	var over *domain.OverCapacity
	if errors.As(err, &over) {
		return h.supportPage(c, http.StatusConflict, &pages.ConfirmAssign{DevRelID: devrelID, Question: over.Error()})
	}
	if err != nil {
		return err
	}
	h.site.flash(c, r.Kind.Label()+" assigned; the DevRel and the salesperson have been told.")
	return c.Redirect(http.StatusSeeOther, components.Path("/support-requests/", id))
}

func (h *supportHandlers) releaseSupport(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	r, undo, err := h.svc.Support.ReleaseSupport(c.Request().Context(), signedIn(c), id, c.FormValue("done") == "1")
	if err != nil {
		return err
	}
	if r.Status == domain.SupportFulfilled {
		h.site.flash(c, "Request fulfilled. Thank you.")
	} else {
		h.site.flashUndo(c, "Released; the request is open again.", undo)
	}
	return c.Redirect(http.StatusSeeOther, components.Path("/support-requests/", id))
}

func (h *supportHandlers) cancelSupport(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	if _, err := h.svc.Support.CancelSupport(c.Request().Context(), signedIn(c), id); err != nil {
		return err
	}
	h.site.flash(c, "Request cancelled.")
	return c.Redirect(http.StatusSeeOther, components.Path("/support-requests/", id))
}

func (h *supportHandlers) askToAssign(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	if err := h.svc.Support.AskToAssign(c.Request().Context(), signedIn(c), id); err != nil {
		return err
	}
	h.site.flash(c, "The managers have been asked to assign this request to you.")
	return c.Redirect(http.StatusSeeOther, components.Path("/support-requests/", id))
}
