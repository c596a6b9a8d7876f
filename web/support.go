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

func (s *Server) supportBoard(c echo.Context) error {
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
	cards, total, load, err := s.svc.SupportBoardFor(ctx, u, f)
	if err != nil {
		return err
	}
	scope, err := scopeNote(c, s.svc, f.DealOwnerID, f.DevRelID)
	if err != nil {
		return err
	}
	v := pages.SupportBoardView{Kind: f.Kind, Status: f.Status, Overdue: f.Overdue, Age: f.Age, Scope: scope, Query: c.QueryParams(), Rows: cards, Now: s.svc.Now(), Load: load,
		Pager: pager(c, f.Page, total, "requests"), CanClaim: domain.Can(u, domain.ActionClaimSupport, domain.Organisation{}), Capacity: u.EffectiveCapacity()}
	if v.CanAssign = domain.Can(u, domain.ActionAssignDevRel, domain.Organisation{}); v.CanAssign {
		if v.DevRel, err = s.svc.DevRelLoads(ctx); err != nil {
			return err
		}
	}
	return s.render(c, http.StatusOK, pages.SupportBoard(s.shell(c, "Support board"), v))
}

func (s *Server) supportRequest(c echo.Context) error {
	return s.supportPage(c, http.StatusOK, nil)
}

// supportPage shows a request, asking the manager to confirm an
// assignment beyond capacity when confirm is set.
func (s *Server) supportPage(c echo.Context, status int, confirm *pages.ConfirmAssign) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	d, err := s.svc.SupportDetail(c.Request().Context(), id)
	if err != nil {
		return err
	}
	u := signedIn(c)
	r := d.Request
	return s.render(c, status, pages.Support(s.shell(c, r.Kind.Label()+" for "+r.DealTitle), pages.SupportView{
		Request: r, DevRel: d.DevRel, Events: d.Events, Now: s.svc.Now(), Confirm: confirm,
		CanClaim:   r.Allows(u, domain.ActionClaimRequest, d.Team),
		CanAssign:  domain.Can(u, domain.ActionAssignDevRel, domain.Organisation{}),
		CanRelease: r.Allows(u, domain.ActionReleaseRequest, d.Team),
		CanCancel:  r.Allows(u, domain.ActionCancelRequest, d.Team),
	}))
}

func (s *Server) requestSupport(c echo.Context) error {
	dealID, err := idParam(c)
	if err != nil {
		return err
	}
	in := domain.SupportInput{Kind: c.FormValue("kind"), NeededBy: c.FormValue("needed_by"), Details: c.FormValue("details")}
	r, err := s.svc.RequestSupport(c.Request().Context(), signedIn(c), dealID, in)
	return s.saved(c, err, func(p formProblem) error {
		return s.deals.dealPage(c, p.Status, dealForms{support: &pages.SupportFormView{DealID: dealID, Input: in, Errors: p.Errors}})
	}, components.Path("/support-requests/", r.ID), "Support requested: every DevRel has been told.")
}

func (s *Server) claimSupport(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	r, err := s.svc.ClaimSupport(c.Request().Context(), signedIn(c), id)
	if err != nil {
		return err
	}
	s.flashUndo(c, "You claimed this request and joined the deal team.",
		domain.UndoOfClaim(r, signedIn(c).ID, s.svc.Now()))
	return c.Redirect(http.StatusSeeOther, components.Path("/deals/", r.DealID))
}

func (s *Server) assignSupport(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	devrelID, _ := domain.ParseID(c.FormValue("devrel_id"))
	r, err := s.svc.AssignSupport(c.Request().Context(), signedIn(c), id, devrelID, c.FormValue("over_capacity") == "1")
	var over *domain.OverCapacity
	if errors.As(err, &over) {
		return s.supportPage(c, http.StatusConflict, &pages.ConfirmAssign{DevRelID: devrelID, Question: over.Error()})
	}
	if err != nil {
		return err
	}
	s.flash(c, r.Kind.Label()+" assigned; the DevRel and the salesperson have been told.")
	return c.Redirect(http.StatusSeeOther, components.Path("/support-requests/", id))
}

func (s *Server) releaseSupport(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	r, undo, err := s.svc.ReleaseSupport(c.Request().Context(), signedIn(c), id, c.FormValue("done") == "1")
	if err != nil {
		return err
	}
	if r.Status == domain.SupportFulfilled {
		s.flash(c, "Request fulfilled. Thank you.")
	} else {
		s.flashUndo(c, "Released; the request is open again.", undo)
	}
	return c.Redirect(http.StatusSeeOther, components.Path("/support-requests/", id))
}

func (s *Server) cancelSupport(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	if _, err := s.svc.CancelSupport(c.Request().Context(), signedIn(c), id); err != nil {
		return err
	}
	s.flash(c, "Request cancelled.")
	return c.Redirect(http.StatusSeeOther, components.Path("/support-requests/", id))
}

func (s *Server) askToAssign(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	if err := s.svc.AskToAssign(c.Request().Context(), signedIn(c), id); err != nil {
		return err
	}
	s.flash(c, "The managers have been asked to assign this request to you.")
	return c.Redirect(http.StatusSeeOther, components.Path("/support-requests/", id))
}
