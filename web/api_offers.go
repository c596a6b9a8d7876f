package web

import (
	"context"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
	"github.com/presale/presale/internal/service"
)

// offerAPI serves the API's operations on offers, their lifecycle, and the
// promise register they feed.
type offerAPI struct{ svc *service.Service }

// apiDealOffers lists the offers of a deal the caller may see: the
// reserve only for the deal team and managers.
func (h *offerAPI) apiDealOffers(ctx context.Context, in *IDParam) (*list[apiOffer], error) {
	u := apiUser(ctx)
	_, team, err := h.svc.Deals.Deal(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	rows, err := h.svc.Offers.DealOffers(ctx, u, in.ID, team)
	insider := domain.Can(u, domain.ActionSeeReserve, team)
	return listOf(mapped(rows, func(r read.OfferRow) apiOffer { return offerOut(r.Offer, insider) }), ""), err
}

// apiOffer shows an offer; one the caller may not see is not found.
func (h *offerAPI) apiOffer(ctx context.Context, in *IDParam) (*tagged[apiOffer], error) {
	u := apiUser(ctx)
	d, err := h.svc.Offers.OfferDetail(ctx, u, in.ID)
	if err != nil {
		return nil, err
	}
	o := d.Offer.Offer
	return withETag(o.Version, offerOut(o, domain.Can(u, domain.ActionSeeReserve, d.Team))), nil
}

type offerPropose struct {
	IDParam
	Body struct {
		Title           string                   `json:"title" minLength:"1" maxLength:"200" pattern:"\\S"`
		Detail          string                   `json:"detail,omitempty" maxLength:"10000"`
		Kind            choice[domain.OfferKind] `json:"kind"`
		EstimatedEffort string                   `json:"estimated_effort,omitempty" maxLength:"200"`
		Submit          bool                     `json:"submit,omitempty" doc:"Send it to the salesperson's review at once; otherwise it stays a draft."`
	}
}

func (h *offerAPI) apiProposeOffer(ctx context.Context, in *offerPropose) (*created[apiOffer], error) {
	b := in.Body
	o, err := h.svc.Offers.ProposeOffer(ctx, apiUser(ctx), in.ID, domain.OfferProposal{Title: b.Title, Detail: b.Detail, Kind: string(b.Kind), EstimatedEffort: b.EstimatedEffort}, b.Submit)
	if err != nil {
		return nil, err
	}
	out, err := h.apiOffer(ctx, &IDParam{ID: o.ID})
	if err != nil {
		return nil, err
	}
	return createdAt("/offers/", o.ID, out), nil
}

// An offer's lifecycle steps: most need only the offer; a hold, a decline
// and a share each need one thing more, which their bodies require.
type (
	offerStep struct{ IDParam }
	offerHold struct {
		IDParam
		Body struct {
			Trigger string `json:"trigger" minLength:"1" maxLength:"400" pattern:"\\S" doc:"When to bring it out."`
		}
	}
	offerDecline struct {
		IDParam
		Body struct {
			Reason string `json:"reason" minLength:"1" maxLength:"10000" pattern:"\\S" doc:"Why not."`
		}
	}
	offerShare struct {
		IDParam
		Body struct {
			MeetingID int64 `json:"meeting_id" minimum:"1" doc:"The deal's meeting it was shared in."`
		}
	}
)

func (in *offerStep) step() (int64, domain.OfferInput) { return in.ID, domain.OfferInput{} }
func (in *offerHold) step() (int64, domain.OfferInput) {
	return in.ID, domain.OfferInput{Trigger: in.Body.Trigger}
}
func (in *offerDecline) step() (int64, domain.OfferInput) {
	return in.ID, domain.OfferInput{Reason: in.Body.Reason}
}
func (in *offerShare) step() (int64, domain.OfferInput) {
	return in.ID, domain.OfferInput{MeetingID: &in.Body.MeetingID}
}

// offerStepIn is the input of a step: the offer, and what the step needs.
type offerStepIn[I any] interface {
	*I
	step() (int64, domain.OfferInput)
}

// apiMoveOffer takes one lifecycle step; a step the offer's state or the
// caller's role does not allow is refused and changes nothing.
func apiMoveOffer[I any, P offerStepIn[I]](h *offerAPI, action domain.OfferAction) func(context.Context, *I) (*tagged[apiOffer], error) {
	return func(ctx context.Context, in *I) (*tagged[apiOffer], error) {
		id, step := P(in).step()
		if _, _, err := h.svc.Offers.MoveOffer(ctx, apiUser(ctx), id, action, step); err != nil {
			return nil, err
		}
		return h.apiOffer(ctx, &IDParam{ID: id})
	}
}

func (h *offerAPI) apiPromise(ctx context.Context, in *IDParam) (*tagged[apiPromise], error) {
	d, err := h.svc.Offers.PromiseDetail(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	return withETag(d.Promise.Version, promiseOut(d.Promise.Promise)), nil
}

type promisesIn struct {
	Paging
	DealID      int64                        `query:"deal_id"`
	OwnerID     int64                        `query:"owner_id"`
	Feasibility choice[domain.Feasibility]   `query:"feasibility"`
	Status      choice[domain.PromiseStatus] `query:"status"`
	Due         string                       `query:"due" enum:"overdue,soon" doc:"Past due, or due in the next 30 days."`
	ProductArea string                       `query:"product_area" maxLength:"60" doc:"Promises about this product area (its key)."`
}

func (h *offerAPI) apiPromises(ctx context.Context, in *promisesIn) (*list[apiPromise], error) {
	pg, err := in.page()
	if err != nil {
		return nil, err
	}
	f := read.PromiseFilter{DealID: in.DealID, OwnerID: in.OwnerID, Feasibility: domain.Feasibility(in.Feasibility),
		Status: domain.PromiseStatus(in.Status), Due: in.Due, ProductArea: in.ProductArea, Page: pg}
	rows, total, err := h.svc.Offers.Promises(ctx, f)
	return listOf(mapped(rows, func(r read.PromiseRow) apiPromise { return promiseOut(r.Promise) }), next(pg, len(rows), total)), err
}

type promiseRecord struct {
	IDParam
	Body struct {
		Text        string                     `json:"text" minLength:"1" maxLength:"10000" pattern:"\\S"`
		Kind        choice[domain.PromiseKind] `json:"kind"`
		OwnerID     int64                      `json:"owner_id,omitempty" minimum:"1" doc:"Who keeps it; the deal's owner unless given."`
		DueDate     day                        `json:"due_date,omitempty" doc:"YYYY-MM-DD, or empty for none."`
		MeetingID   int64                      `json:"meeting_id,omitempty" minimum:"1" doc:"The deal's meeting it was made in."`
		ProductArea string                     `json:"product_area,omitempty" maxLength:"60" doc:"The key of one of the organisation's product areas it is about; none unless given."`
	}
}

func (h *offerAPI) apiRecordPromise(ctx context.Context, in *promiseRecord) (*created[apiPromise], error) {
	b := in.Body
	owner := b.OwnerID
	if owner == 0 {
		d, _, err := h.svc.Deals.Deal(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		owner = d.OwnerID
	}
	p, err := h.svc.Offers.RecordPromise(ctx, apiUser(ctx), in.ID, domain.PromiseInput{Text: b.Text, Kind: string(b.Kind), OwnerID: idString(owner),
		DueDate: string(b.DueDate), MeetingID: idString(b.MeetingID), ProductArea: b.ProductArea})
	if err != nil {
		return nil, err
	}
	out, err := h.apiPromise(ctx, &IDParam{ID: p.ID})
	if err != nil {
		return nil, err
	}
	return createdAt("/promises/", p.ID, out), nil
}

type promiseReview struct {
	IDParam
	Body struct {
		Feasibility string  `json:"feasibility" enum:"feasible,risky,infeasible"`
		Note        string  `json:"note,omitempty" maxLength:"10000" doc:"Required for risky or infeasible: what makes it so."`
		ProductArea *string `json:"product_area,omitempty" maxLength:"60" doc:"The key of one of the organisation's product areas it is about; empty for none; kept unless given."`
	}
}

// apiReviewPromise is DevRel's feasibility rating.
func (h *offerAPI) apiReviewPromise(ctx context.Context, in *promiseReview) (*tagged[apiPromise], error) {
	if _, err := h.svc.Offers.ReviewPromise(ctx, apiUser(ctx), in.ID, domain.Feasibility(in.Body.Feasibility), in.Body.Note, in.Body.ProductArea); err != nil {
		return nil, err
	}
	return h.apiPromise(ctx, &in.IDParam)
}
