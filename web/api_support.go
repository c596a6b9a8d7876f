package web

import (
	"context"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
	"github.com/presale/presale/internal/service"
)

// supportAPI serves the API's operations on support requests: the board, a
// request, asking for one, claiming and releasing it.
type supportAPI struct{ svc *service.Service }

func (h *supportAPI) apiSupportRequest(ctx context.Context, in *IDParam) (*tagged[apiSupport], error) {
	d, err := h.svc.Support.SupportDetail(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	return withETag(d.Request.Version, supportOut(d.Request.SupportRequest)), nil
}

type supportBoardIn struct {
	Paging
	Status  choice[domain.SupportStatus] `query:"status" doc:"open unless given"`
	Kind    choice[domain.SupportKind]   `query:"kind"`
	Overdue bool                         `query:"overdue" doc:"Past their needed-by date."`
}

func (h *supportAPI) apiSupportBoard(ctx context.Context, in *supportBoardIn) (*list[apiSupport], error) {
	pg, err := in.page()
	if err != nil {
		return nil, err
	}
	f := read.SupportFilter{Status: domain.SupportStatus(in.Status), Kind: domain.SupportKind(in.Kind), Overdue: in.Overdue, Page: pg}
	if f.Status == "" {
		f.Status = domain.SupportOpen
	}
	rows, total, err := h.svc.Support.SupportBoard(ctx, f)
	return listOf(mapped(rows, func(r read.SupportRow) apiSupport { return supportOut(r.SupportRequest) }), next(pg, len(rows), total)), err
}

type supportCreate struct {
	IDParam
	Body struct {
		Kind     choice[domain.SupportKind] `json:"kind"`
		NeededBy day                        `json:"needed_by,omitempty" doc:"YYYY-MM-DD, today or later; or empty for no date."`
		Details  string                     `json:"details" minLength:"1" maxLength:"10000" pattern:"\\S" doc:"What the customer needs."`
	}
}

func (h *supportAPI) apiRequestSupport(ctx context.Context, in *supportCreate) (*created[apiSupport], error) {
	b := in.Body
	r, err := h.svc.Support.RequestSupport(ctx, apiUser(ctx), in.ID, domain.SupportInput{Kind: string(b.Kind), NeededBy: string(b.NeededBy), Details: b.Details})
	if err != nil {
		return nil, err
	}
	out, err := h.apiSupportRequest(ctx, &IDParam{ID: r.ID})
	if err != nil {
		return nil, err
	}
	return createdAt("/support-requests/", r.ID, out), nil
}

// apiClaimSupport claims a request for the caller, within their capacity.
func (h *supportAPI) apiClaimSupport(ctx context.Context, in *IDParam) (*tagged[apiSupport], error) {
	if _, err := h.svc.Support.ClaimSupport(ctx, apiUser(ctx), in.ID); err != nil {
		return nil, err
	}
	return h.apiSupportRequest(ctx, in)
}

type supportRelease struct {
	IDParam
	Body *struct {
		Done bool `json:"done,omitempty" doc:"The work is finished: the request is fulfilled. Otherwise it opens again."`
	}
}

func (h *supportAPI) apiReleaseSupport(ctx context.Context, in *supportRelease) (*tagged[apiSupport], error) {
	done := in.Body != nil && in.Body.Done
	if _, _, err := h.svc.Support.ReleaseSupport(ctx, apiUser(ctx), in.ID, done); err != nil {
		return nil, err
	}
	return h.apiSupportRequest(ctx, &in.IDParam)
}
