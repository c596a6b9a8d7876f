package service

import (
	"context"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
)

// AccountDetail is what the account page shows.
type AccountDetail struct {
	Account  domain.Account
	Contacts []domain.Contact
	Deals    []read.DealRow
	Meetings []read.MeetingRow
	// Merged is the newest merge when it went into this account: it can
	// be undone from here. MergedName is the account merged.
	Merged     *read.AccountMerge
	MergedName string
	Choices    read.AccountChoices // where it can be merged into
}

// AccountDetail loads a customer with its people, deals and meetings.
func (s *Accounts) AccountDetail(ctx context.Context, id int64) (AccountDetail, error) {
	var a AccountDetail
	var err error
	if a.Account, err = s.store.Accounts().AccountByID(ctx, id); err != nil {
		return a, err
	}
	if a.Contacts, err = s.store.Accounts().ContactsOf(ctx, id); err != nil {
		return a, err
	}
	if a.Deals, _, err = s.store.Deals().Deals(ctx, read.DealFilter{AccountID: id, Sort: "close", Page: read.Top(200)}); err != nil {
		return a, err
	}
	if a.Meetings, err = s.store.Meetings().MeetingsOfAccount(ctx, id, 50); err != nil {
		return a, err
	}
	if m, ok, err := s.LatestMerge(ctx); err != nil {
		return a, err
	} else if ok && m.IntoAccountID == id {
		from, err := s.store.Accounts().AccountByID(ctx, m.FromAccountID)
		if err != nil {
			return a, err
		}
		a.Merged, a.MergedName = &m, from.Name
	}
	if a.Account.ArchivedAt == nil {
		a.Choices, err = s.AccountChoices(ctx, "", id)
	}
	return a, err
}

// Accounts lists one page of customers.
func (s *Accounts) Accounts(ctx context.Context, q string, archived bool, p read.Page) ([]read.AccountRow, int64, error) {
	return s.store.Accounts().Accounts(ctx, q, archived, p)
}

// Account loads one customer.
func (s *Accounts) Account(ctx context.Context, id int64) (domain.Account, error) {
	return s.store.Accounts().AccountByID(ctx, id)
}

// ContactDetail is a contact's page: who they are, the meetings they
// attended and the questions they raised.
type ContactDetail struct {
	Contact   domain.Contact
	Account   domain.Account
	Meetings  []read.MeetingRow
	Questions []read.QuestionRow
}

// ContactDetail loads a contact's page.
func (s *Accounts) ContactDetail(ctx context.Context, id int64) (ContactDetail, error) {
	var d ContactDetail
	var err error
	if d.Contact, d.Account, err = s.Contact(ctx, id); err != nil {
		return d, err
	}
	if d.Meetings, err = s.store.Meetings().MeetingsOfContact(ctx, id, 50); err != nil {
		return d, err
	}
	d.Questions, err = s.store.Meetings().QuestionsOfContact(ctx, id)
	return d, err
}

// Contacts lists one page of contacts with their accounts.
func (s *Accounts) Contacts(ctx context.Context, q string, archived bool, p read.Page) ([]read.ContactRow, int64, error) {
	return s.store.Accounts().Contacts(ctx, q, archived, p)
}

// Contact loads one contact with their account.
func (s *Accounts) Contact(ctx context.Context, id int64) (domain.Contact, domain.Account, error) {
	c, err := s.store.Accounts().ContactByID(ctx, id)
	if err != nil {
		return c, domain.Account{}, err
	}
	a, err := s.store.Accounts().AccountByID(ctx, c.AccountID)
	return c, a, err
}

// AccountChoices are the live accounts a form offers: those whose name
// holds q, by name, as many as a list holds, with those chosen and
// without except.
func (s *Accounts) AccountChoices(ctx context.Context, q string, except int64, chosen ...int64) (read.AccountChoices, error) {
	c, err := s.store.Accounts().AccountChoices(ctx, q, except, chosen...)
	c.Q = q
	return c, err
}
