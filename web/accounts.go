package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/service"
	"github.com/presale/presale/views/components"
	"github.com/presale/presale/views/pages"
)

// accountHandlers serve the customers: accounts and their contacts, the
// account picker of the forms, merging accounts and undoing a merge.
type accountHandlers struct {
	svc  *service.Service
	site site
}

func canManageAccounts(c echo.Context) bool {
	return domain.Can(signedIn(c), domain.ActionManageAccounts, domain.Organisation{})
}

func mayManageAccounts(c echo.Context) error {
	return domain.Authorize(signedIn(c), domain.ActionManageAccounts, domain.Organisation{})
}

func (h *accountHandlers) accounts(c echo.Context) error {
	p := page(c)
	q := strings.TrimSpace(c.QueryParam("q"))
	archived := c.QueryParam("archived") == "1"
	rows, total, err := h.svc.Accounts.Accounts(c.Request().Context(), q, archived, p)
	if err != nil {
		return err
	}
	return h.site.render(c, http.StatusOK, pages.Accounts(h.site.shell(c, "Accounts"), pages.AccountsList{
		Q: q, Archived: archived, Query: c.QueryParams(), Rows: rows, Pager: pager(c, p, total, "accounts"), CanCreate: canManageAccounts(c)}))
}

// accountChoices answers a form's account search with the options that
// match, the account chosen in the form kept among them.
func (h *accountHandlers) accountChoices(c echo.Context) error {
	q := strings.TrimSpace(c.QueryParam("account_q"))
	var chosen string
	if f := c.QueryParam("field"); f == "account_id" || f == "into_id" {
		chosen = c.QueryParam(f)
	}
	chosenID, _ := strconv.ParseInt(chosen, 10, 64)
	except, _ := strconv.ParseInt(c.QueryParam("except"), 10, 64)
	choices, err := h.svc.Accounts.AccountChoices(c.Request().Context(), q, except, chosenID)
	if err != nil {
		return err
	}
	return h.site.render(c, http.StatusOK, pages.AccountOptions(choices, chosen, q))
}

func (h *accountHandlers) account(c echo.Context) error {
	return h.accountPage(c, http.StatusOK, "")
}

// accountPage shows a customer; mergeError is why a merge was refused.
func (h *accountHandlers) accountPage(c echo.Context, status int, mergeError string) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	a, err := h.svc.Accounts.AccountDetail(c.Request().Context(), id)
	if err != nil {
		return err
	}
	if findingAccount(c) && a.Account.ArchivedAt == nil {
		into, _ := domain.ParseID(c.FormValue("into_id"))
		if a.Choices, err = h.svc.Accounts.AccountChoices(c.Request().Context(), strings.TrimSpace(c.FormValue("account_q")), id, into); err != nil {
			return err
		}
	}
	return h.site.render(c, status, pages.Account(h.site.shell(c, a.Account.Name), pages.AccountView{
		Account: a.Account, Contacts: a.Contacts, Deals: a.Deals, Meetings: a.Meetings, CanEdit: canManageAccounts(c),
		Merged: a.Merged, MergedName: a.MergedName, Merge: pages.MergeView{Account: a.Account, Accounts: a.Choices, Error: mergeError}}))
}

func (h *accountHandlers) accountForm(c echo.Context, status int, f pages.AccountFormView) error {
	if err := mayManageAccounts(c); err != nil {
		return err
	}
	title := "New account"
	if f.ID != 0 {
		title = "Edit " + f.Input.Name
	}
	return h.site.render(c, status, pages.AccountForm(h.site.shell(c, title), f))
}

func (h *accountHandlers) newAccount(c echo.Context) error {
	return h.accountForm(c, http.StatusOK, pages.AccountFormView{})
}

func (h *accountHandlers) editAccount(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	a, err := h.svc.Accounts.Account(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return h.accountForm(c, http.StatusOK, pages.AccountFormView{ID: id, Version: a.Version,
		Input: domain.AccountInput{Name: a.Name, Domain: a.Domain, Industry: a.Industry, Notes: a.Notes}})
}

func accountInput(c echo.Context) domain.AccountInput {
	return domain.AccountInput{Name: c.FormValue("name"), Domain: c.FormValue("domain"), Industry: c.FormValue("industry"), Notes: c.FormValue("notes")}
}

func (h *accountHandlers) createAccount(c echo.Context) error {
	in := accountInput(c)
	a, err := h.svc.Accounts.CreateAccount(c.Request().Context(), signedIn(c), in, c.FormValue("different") == "1")
	var dup *service.DuplicateAccountError
	if errors.As(err, &dup) {
		return h.accountForm(c, http.StatusConflict, pages.AccountFormView{Input: in, Duplicates: dup.Matches})
	}
	return h.site.saved(c, err, func(p formProblem) error {
		return h.accountForm(c, p.Status, pages.AccountFormView{Input: in, Errors: p.Errors})
	}, components.Path("/accounts/", a.ID), "Account “"+a.Name+"” created.")
}

func (h *accountHandlers) updateAccount(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	in := accountInput(c)
	version := formVersion(c)
	a, err := h.svc.Accounts.UpdateAccount(c.Request().Context(), signedIn(c), id, version, in)
	return h.site.saved(c, err, func(p formProblem) error {
		return h.accountForm(c, p.Status, pages.AccountFormView{ID: id, Version: p.version(version), Input: in, Errors: p.Errors, Stale: p.Stale})
	}, components.Path("/accounts/", id), "Account “"+a.Name+"” saved.")
}

func (h *accountHandlers) contact(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	d, err := h.svc.Accounts.ContactDetail(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return h.site.render(c, http.StatusOK, pages.Contact(h.site.shell(c, d.Contact.Name), pages.ContactView{Contact: d.Contact, Account: d.Account,
		Meetings: d.Meetings, Questions: d.Questions, CanEdit: canManageAccounts(c)}))
}

func (h *accountHandlers) contacts(c echo.Context) error {
	p := page(c)
	q := strings.TrimSpace(c.QueryParam("q"))
	archived := c.QueryParam("archived") == "1"
	rows, total, err := h.svc.Accounts.Contacts(c.Request().Context(), q, archived, p)
	if err != nil {
		return err
	}
	return h.site.render(c, http.StatusOK, pages.Contacts(h.site.shell(c, "Contacts"), pages.ContactsList{Q: q, Archived: archived, Rows: rows, Pager: pager(c, p, total, "contacts")}))
}

func (h *accountHandlers) contactForm(c echo.Context, status int, f pages.ContactFormView) error {
	if err := mayManageAccounts(c); err != nil {
		return err
	}
	return h.site.render(c, status, pages.ContactForm(h.site.shell(c, "Contact"), f))
}

func (h *accountHandlers) newContact(c echo.Context) error {
	a, err := h.svc.Accounts.Account(c.Request().Context(), queryID(c, "account"))
	if err != nil {
		return err
	}
	return h.contactForm(c, http.StatusOK, pages.ContactFormView{Account: a})
}

func (h *accountHandlers) editContact(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	ct, a, err := h.svc.Accounts.Contact(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return h.contactForm(c, http.StatusOK, pages.ContactFormView{ID: id, Version: ct.Version, Account: a,
		Input: domain.ContactInput{Name: ct.Name, Title: ct.Title, Email: ct.Email, Phone: ct.Phone}})
}

func contactInput(c echo.Context) domain.ContactInput {
	return domain.ContactInput{Name: c.FormValue("name"), Title: c.FormValue("title"), Email: c.FormValue("email"), Phone: c.FormValue("phone")}
}

func (h *accountHandlers) createContact(c echo.Context) error {
	ctx := c.Request().Context()
	accountID, _ := domain.ParseID(c.FormValue("account_id"))
	a, err := h.svc.Accounts.Account(ctx, accountID)
	if err != nil {
		return err
	}
	in := contactInput(c)
	_, err = h.svc.Accounts.CreateContact(ctx, signedIn(c), a.ID, in)
	return h.site.saved(c, err, func(p formProblem) error {
		return h.contactForm(c, p.Status, pages.ContactFormView{Account: a, Input: in, Errors: p.Errors})
	}, components.Path("/accounts/", a.ID), "Contact “"+strings.TrimSpace(in.Name)+"” added.")
}

func (h *accountHandlers) updateContact(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := idParam(c)
	if err != nil {
		return err
	}
	_, a, err := h.svc.Accounts.Contact(ctx, id)
	if err != nil {
		return err
	}
	in := contactInput(c)
	version := formVersion(c)
	_, err = h.svc.Accounts.UpdateContact(ctx, signedIn(c), id, version, in)
	return h.site.saved(c, err, func(p formProblem) error {
		return h.contactForm(c, p.Status, pages.ContactFormView{ID: id, Version: p.version(version), Account: a, Input: in, Errors: p.Errors, Stale: p.Stale})
	}, components.Path("/contacts/", id), "Contact saved.")
}

func (h *accountHandlers) mergeAccount(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	if findingAccount(c) {
		return h.accountPage(c, http.StatusOK, "")
	}
	into, _ := domain.ParseID(c.FormValue("into_id"))
	err = h.svc.Accounts.MergeAccount(c.Request().Context(), signedIn(c), id, into)
	var invalid domain.ValidationErrors
	if errors.As(err, &invalid) {
		return h.accountPage(c, http.StatusUnprocessableEntity, invalid["into_id"])
	}
	if err != nil {
		return err
	}
	h.site.flash(c, "Merged: its contacts, deals and history are here now. Undo the merge below until the next one.")
	return c.Redirect(http.StatusSeeOther, components.Path("/accounts/", into))
}

func (h *accountHandlers) undoMerge(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	from, err := h.svc.Accounts.UndoMerge(c.Request().Context(), signedIn(c), id)
	if err != nil {
		return err
	}
	h.site.flash(c, "Merge undone: the account and what it held are separate again.")
	return c.Redirect(http.StatusSeeOther, "/accounts/"+strconv.FormatInt(from, 10))
}
