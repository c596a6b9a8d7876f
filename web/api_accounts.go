package web

import (
	"context"
	"strings"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
	"github.com/presale/presale/internal/service"
)

// accountAPI serves the API's operations on customers: accounts and their
// contacts.
type accountAPI struct{ svc *service.Service }

type accountsIn struct {
	Paging
	Q        string `query:"q" maxLength:"200" doc:"Words in the name or domain."`
	Archived bool   `query:"archived" doc:"The archived accounts instead."`
}

func (h *accountAPI) apiAccounts(ctx context.Context, in *accountsIn) (*list[apiAccount], error) {
	pg, err := in.page()
	if err != nil {
		return nil, err
	}
	rows, total, err := h.svc.Accounts.Accounts(ctx, strings.TrimSpace(in.Q), in.Archived, pg)
	return listOf(mapped(rows, func(r read.AccountRow) apiAccount { return accountOut(r.Account) }), next(pg, len(rows), total)), err
}

func accountResult(a domain.Account, err error) (*tagged[apiAccount], error) {
	if err != nil {
		return nil, err
	}
	return withETag(a.Version, accountOut(a)), nil
}

func (h *accountAPI) apiAccount(ctx context.Context, in *IDParam) (*tagged[apiAccount], error) {
	return accountResult(h.svc.Accounts.Account(ctx, in.ID))
}

type accountCreate struct{ Body accountNew }

func (h *accountAPI) apiCreateAccount(ctx context.Context, in *accountCreate) (*created[apiAccount], error) {
	// The API states its intent: a look-alike name is no reason to stop.
	a, err := h.svc.Accounts.CreateAccount(ctx, apiUser(ctx), apiAccountIn(in.Body).over(domain.AccountInput{}), true)
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

func (h *accountAPI) apiUpdateAccount(ctx context.Context, in *accountUpdate) (*tagged[apiAccount], error) {
	version, err := in.expected(in.Body.Version)
	if err != nil {
		return nil, err
	}
	a, err := h.svc.Accounts.Account(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	current := domain.AccountInput{Name: a.Name, Domain: a.Domain, Industry: a.Industry, Notes: a.Notes}
	return accountResult(h.svc.Accounts.UpdateAccount(ctx, apiUser(ctx), in.ID, version, in.Body.over(current)))
}

func (h *accountAPI) apiContacts(ctx context.Context, in *accountsIn) (*list[apiContact], error) {
	pg, err := in.page()
	if err != nil {
		return nil, err
	}
	rows, total, err := h.svc.Accounts.Contacts(ctx, strings.TrimSpace(in.Q), in.Archived, pg)
	return listOf(mapped(rows, func(r read.ContactRow) apiContact { return contactOut(r.Contact) }), next(pg, len(rows), total)), err
}

func contactResult(c domain.Contact, err error) (*tagged[apiContact], error) {
	if err != nil {
		return nil, err
	}
	return withETag(c.Version, contactOut(c)), nil
}

func (h *accountAPI) apiContact(ctx context.Context, in *IDParam) (*tagged[apiContact], error) {
	c, _, err := h.svc.Accounts.Contact(ctx, in.ID)
	return contactResult(c, err)
}

type contactCreate struct{ Body contactNew }

func (h *accountAPI) apiCreateContact(ctx context.Context, in *contactCreate) (*created[apiContact], error) {
	b := apiContactIn(in.Body)
	if b.AccountID == nil {
		return nil, domain.ValidationErrors{"account_id": "Say which account the contact works for."}
	}
	c, err := h.svc.Accounts.CreateContact(ctx, apiUser(ctx), *b.AccountID, b.over(domain.ContactInput{}))
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

func (h *accountAPI) apiUpdateContact(ctx context.Context, in *contactUpdate) (*tagged[apiContact], error) {
	version, err := in.expected(in.Body.Version)
	if err != nil {
		return nil, err
	}
	c, _, err := h.svc.Accounts.Contact(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	current := domain.ContactInput{Name: c.Name, Title: c.Title, Email: c.Email, Phone: c.Phone}
	return contactResult(h.svc.Accounts.UpdateContact(ctx, apiUser(ctx), in.ID, version, in.Body.over(current)))
}
