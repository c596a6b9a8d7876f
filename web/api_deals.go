package web

import (
	"context"
	"strings"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
)

// API operations on people, customers and deals.

type meOut struct{ Body apiUserOut }

func (s *Server) apiMe(ctx context.Context, _ *struct{}) (*meOut, error) {
	u := apiUser(ctx)
	return &meOut{Body: apiUserOut{ID: u.ID, Name: u.Name, Email: u.Email, Role: choice[domain.Role](u.Role), Admin: u.Admin}}, nil
}

type accountsIn struct {
	Paging
	Q        string `query:"q" maxLength:"200" doc:"Words in the name or domain."`
	Archived bool   `query:"archived" doc:"The archived accounts instead."`
}

func (s *Server) apiAccounts(ctx context.Context, in *accountsIn) (*list[apiAccount], error) {
	pg, err := in.page()
	if err != nil {
		return nil, err
	}
	rows, total, err := s.svc.Accounts(ctx, strings.TrimSpace(in.Q), in.Archived, pg)
	return listOf(mapped(rows, func(r read.AccountRow) apiAccount { return accountOut(r.Account) }), next(pg, len(rows), total)), err
}

func accountResult(a domain.Account, err error) (*tagged[apiAccount], error) {
	if err != nil {
		return nil, err
	}
	return withETag(a.Version, accountOut(a)), nil
}

func (s *Server) apiAccount(ctx context.Context, in *IDParam) (*tagged[apiAccount], error) {
	return accountResult(s.svc.Account(ctx, in.ID))
}

type accountCreate struct{ Body accountNew }

func (s *Server) apiCreateAccount(ctx context.Context, in *accountCreate) (*created[apiAccount], error) {
	// The API states its intent: a look-alike name is no reason to stop.
	a, err := s.svc.CreateAccount(ctx, apiUser(ctx), apiAccountIn(in.Body).over(domain.AccountInput{}), true)
	if err != nil {
		return nil, err
	}
	return createdAt("/accounts/", a.ID, withETag(a.Version, accountOut(a))), nil
}

type accountUpdate struct {
	IDParam
	VersionCheck
	Body apiAccountIn
}

func (s *Server) apiUpdateAccount(ctx context.Context, in *accountUpdate) (*tagged[apiAccount], error) {
	version, err := in.expected(in.Body.Version)
	if err != nil {
		return nil, err
	}
	a, err := s.svc.Account(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	current := domain.AccountInput{Name: a.Name, Domain: a.Domain, Industry: a.Industry, Notes: a.Notes}
	return accountResult(s.svc.UpdateAccount(ctx, apiUser(ctx), in.ID, version, in.Body.over(current)))
}

func (s *Server) apiContacts(ctx context.Context, in *accountsIn) (*list[apiContact], error) {
	pg, err := in.page()
	if err != nil {
		return nil, err
	}
	rows, total, err := s.svc.Contacts(ctx, strings.TrimSpace(in.Q), in.Archived, pg)
	return listOf(mapped(rows, func(r read.ContactRow) apiContact { return contactOut(r.Contact) }), next(pg, len(rows), total)), err
}

func contactResult(c domain.Contact, err error) (*tagged[apiContact], error) {
	if err != nil {
		return nil, err
	}
	return withETag(c.Version, contactOut(c)), nil
}

func (s *Server) apiContact(ctx context.Context, in *IDParam) (*tagged[apiContact], error) {
	c, _, err := s.svc.Contact(ctx, in.ID)
	return contactResult(c, err)
}

type contactCreate struct{ Body contactNew }

func (s *Server) apiCreateContact(ctx context.Context, in *contactCreate) (*created[apiContact], error) {
	b := apiContactIn(in.Body)
	if b.AccountID == nil {
		return nil, domain.ValidationErrors{"account_id": "Say which account the contact works for."}
	}
	c, err := s.svc.CreateContact(ctx, apiUser(ctx), *b.AccountID, b.over(domain.ContactInput{}))
	if err != nil {
		return nil, err
	}
	return createdAt("/contacts/", c.ID, withETag(c.Version, contactOut(c))), nil
}

type contactUpdate struct {
	IDParam
	VersionCheck
	Body apiContactIn
}

func (s *Server) apiUpdateContact(ctx context.Context, in *contactUpdate) (*tagged[apiContact], error) {
	version, err := in.expected(in.Body.Version)
	if err != nil {
		return nil, err
	}
	c, _, err := s.svc.Contact(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	current := domain.ContactInput{Name: c.Name, Title: c.Title, Email: c.Email, Phone: c.Phone}
	return contactResult(s.svc.UpdateContact(ctx, apiUser(ctx), in.ID, version, in.Body.over(current)))
}

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
func (s *Server) apiDeals(ctx context.Context, in *dealsIn) (*list[apiDeal], error) {
	c, err := parseCursor(in.Cursor)
	if err != nil {
		return nil, err
	}
	f := read.DealFilter{Q: strings.TrimSpace(in.Q), Stage: domain.Stage(in.Stage), OwnerID: in.OwnerID,
		TechnicalStatus: domain.TechnicalStatus(in.TechnicalStatus), DevRel: in.DevRel, Open: in.Status, AssignedTo: in.AssignedTo,
		AccountID: in.AccountID, Archived: in.Archived, NoNextStep: in.NoNextStep, AfterID: c.After, Sort: "id",
		Page: read.Page{Number: 1, Size: in.Limit + 1, Uncounted: true}}
	p, err := s.svc.Pipeline(ctx, f)
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

func (s *Server) apiDeal(ctx context.Context, in *IDParam) (*tagged[apiDeal], error) {
	d, team, err := s.svc.Deal(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	out := dealOut(d)
	out.DevRelIDs = team.DevRelIDs
	return withETag(d.Version, out), nil
}

type dealCreate struct{ Body dealNew }

func (s *Server) apiCreateDeal(ctx context.Context, in *dealCreate) (*created[apiDeal], error) {
	u := apiUser(ctx)
	defaults := domain.DealInput{OwnerID: idString(u.ID), Stage: string(domain.StageProspecting),
		TechnicalStatus: string(domain.TechNotStarted), Currency: "USD"}
	d, err := s.svc.CreateDeal(ctx, u, apiDealIn(in.Body).over(defaults))
	if err != nil {
		return nil, err
	}
	out, err := s.apiDeal(ctx, &IDParam{ID: d.ID})
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
func (s *Server) apiUpdateDeal(ctx context.Context, in *dealUpdate) (*tagged[apiDeal], error) {
	version, err := in.expected(in.Body.Version)
	if err != nil {
		return nil, err
	}
	d, _, err := s.svc.Deal(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	if _, err := s.svc.UpdateDeal(ctx, apiUser(ctx), in.ID, version, in.Body.over(d.Input())); err != nil {
		return nil, err
	}
	return s.apiDeal(ctx, &IDParam{ID: in.ID})
}
