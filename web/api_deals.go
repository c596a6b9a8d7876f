package web

import (
	"context"
	"strings"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
	"github.com/presale/presale/internal/service"
)

// dealAPI serves the API's operations on deals: the pipeline's list, a
// deal, creating and changing one.
type dealAPI struct{ svc *service.Service }

// dealsIn are the pipeline's filters, as the list page takes them.
type dealsIn struct {
	Cursor          string                         `query:"cursor" doc:"The next_cursor of the previous page; empty for the first."`
	Limit           int                            `query:"limit" minimum:"1" maximum:"200" default:"25"`
	Q               string                         `query:"q" maxLength:"200" doc:"Words in the title or the account's name."`
	Stage           choice[domain.Stage]           `query:"stage"`
	OwnerID         int64                          `query:"owner_id" doc:"One salesperson's deals; everyone's when absent."`
	TechnicalStatus choice[domain.TechnicalStatus] `query:"technical_status"`
	DevRel          string                         `query:"devrel" enum:"with,without" doc:"Deals with or without DevRel assigned."`
	Status          string                         `query:"status" enum:"open,closed"`
	AssignedTo      int64                          `query:"assigned_to" doc:"Deals this DevRel is assigned to."`
	AccountID       int64                          `query:"account_id"`
	Archived        bool                           `query:"archived"`
	NoNextStep      bool                           `query:"no_next_step" doc:"Open deals without an open next step."`
}

// apiDeals lists deals by id: the cursor is the last id seen, so pages
// never skip or repeat while deals change.
func (h *dealAPI) apiDeals(ctx context.Context, in *dealsIn) (*list[apiDeal], error) {
	c, err := parseCursor(in.Cursor)
	if err != nil {
		return nil, err
	}
	f := read.DealFilter{Q: strings.TrimSpace(in.Q), Stage: domain.Stage(in.Stage), OwnerID: in.OwnerID,
		TechnicalStatus: domain.TechnicalStatus(in.TechnicalStatus), DevRel: in.DevRel, Open: in.Status, AssignedTo: in.AssignedTo,
		AccountID: in.AccountID, Archived: in.Archived, NoNextStep: in.NoNextStep, AfterID: c.After, Sort: "id",
		Page: read.Page{Number: 1, Size: in.Limit + 1, Uncounted: true}}
	p, err := h.svc.Deals.Pipeline(ctx, f)
	if err != nil {
		return nil, err
	}
	rows, more := p.Rows, len(p.Rows) > in.Limit
	after := ""
	if more {
		rows = rows[:in.Limit]
		after = cursor{After: rows[len(rows)-1].ID}.String()
	}
	return listOf(mapped(rows, dealRowOut), after), nil
}

func (h *dealAPI) apiDeal(ctx context.Context, in *IDParam) (*tagged[apiDeal], error) {
	d, team, err := h.svc.Deals.Deal(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	out := dealOut(d)
	out.DevRelIDs = team.DevRelIDs
	return withETag(d.Version, out), nil
}

type dealCreate struct{ Body dealNew }

func (h *dealAPI) apiCreateDeal(ctx context.Context, in *dealCreate) (*created[apiDeal], error) {
	u := apiUser(ctx)
	defaults := domain.DealInput{OwnerID: idString(u.ID), Stage: string(domain.StageProspecting),
		TechnicalStatus: string(domain.TechNotStarted), Currency: "USD"}
	d, err := h.svc.Deals.CreateDeal(ctx, u, apiDealIn(in.Body).over(defaults))
	if err != nil {
		return nil, err
	}
	out, err := h.apiDeal(ctx, &IDParam{ID: d.ID})
	if err != nil {
		return nil, err
	}
	return createdAt("/deals/", d.ID, out), nil
}

type dealUpdate struct {
	IDParam
	VersionCheck
	Body apiDealIn
}

// apiUpdateDeal changes the fields sent and keeps the rest.
func (h *dealAPI) apiUpdateDeal(ctx context.Context, in *dealUpdate) (*tagged[apiDeal], error) {
	version, err := in.expected(in.Body.Version)
	if err != nil {
		return nil, err
	}
	d, _, err := h.svc.Deals.Deal(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	if _, err := h.svc.Deals.UpdateDeal(ctx, apiUser(ctx), in.ID, version, in.Body.over(d.Input())); err != nil {
		return nil, err
	}
	return h.apiDeal(ctx, &IDParam{ID: in.ID})
}
