package service

import (
	"context"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/store"
)

func accountSnapshot(a domain.Account) domain.Snapshot {
	return domain.Snapshot{{Field: "name", New: a.Name}, {Field: "domain", New: a.Domain}, {Field: "industry", New: a.Industry}, {Field: "notes", New: a.Notes}}
}

func contactSnapshot(c domain.Contact) domain.Snapshot {
	return domain.Snapshot{{Field: "name", New: c.Name}, {Field: "title", New: c.Title}, {Field: "email", New: c.Email}, {Field: "phone", New: c.Phone}}
}

func canManageAccounts(actor domain.User) error {
	return domain.Authorize(actor, domain.ActionManageAccounts, domain.Organisation{})
}

// Accounts are the use cases of customers: accounts and contacts, their
// merges (merges.go), and what their pages read (queries_accounts.go).
type Accounts struct{ *core }

// CreateAccount adds a customer. One that looks like an existing company
// is refused with a DuplicateAccountError unless the creator confirmed it
// is a different one.
func (s *Accounts) CreateAccount(ctx context.Context, actor domain.User, in domain.AccountInput, different bool) (domain.Account, error) {
	if err := canManageAccounts(actor); err != nil {
		return domain.Account{}, err
	}
	var a domain.Account
	if err := in.Apply(&a); err != nil {
		return a, err
	}
	if !different {
		same, err := s.store.Accounts().LookAlikeAccounts(ctx, a)
		if err != nil {
			return a, err
		}
		if len(same) > 0 {
			return a, &DuplicateAccountError{Matches: same}
		}
	}
	err := s.write(ctx, &actor, func(tx *store.Store) ([]Change, error) {
		if err := tx.Accounts().CreateAccount(ctx, &a); err != nil {
			return nil, err
		}
		return []Change{created(domain.EntityAccount, a.ID, nil, accountSnapshot(a))}, nil
	})
	return a, err
}

// UpdateAccount edits a customer.
func (s *Accounts) UpdateAccount(ctx context.Context, actor domain.User, id, version int64, in domain.AccountInput) (domain.Account, error) {
	if err := canManageAccounts(actor); err != nil {
		return domain.Account{}, err
	}
	var a domain.Account
	err := s.write(ctx, &actor, func(tx *store.Store) ([]Change, error) {
		var err error
		if a, err = tx.Accounts().AccountByID(ctx, id); err != nil {
			return nil, err
		}
		before := accountSnapshot(a)
		if err := in.Apply(&a); err != nil {
			return nil, err
		}
		a.UpdatedAt = s.now().UTC()
		if ok, err := tx.Accounts().SaveAccount(ctx, &a, version); err != nil || !ok {
			return nil, refuseStale(ctx, tx, err, domain.EntityAccount, id, version)
		}
		return changed(domain.EntityAccount, a.ID, nil, before, accountSnapshot(a)), nil
	})
	return a, err
}

// CreateContact adds a person at a customer.
func (s *Accounts) CreateContact(ctx context.Context, actor domain.User, accountID int64, in domain.ContactInput) (domain.Contact, error) {
	if err := canManageAccounts(actor); err != nil {
		return domain.Contact{}, err
	}
	c := domain.Contact{AccountID: accountID}
	if err := in.Apply(&c); err != nil {
		return c, err
	}
	err := s.write(ctx, &actor, func(tx *store.Store) ([]Change, error) {
		if _, err := tx.Accounts().AccountByID(ctx, accountID); err != nil {
			return nil, err
		}
		if err := tx.Accounts().CreateContact(ctx, &c); err != nil {
			return nil, err
		}
		return []Change{created(domain.EntityContact, c.ID, nil, contactSnapshot(c))}, nil
	})
	return c, err
}

// UpdateContact edits a person at a customer.
func (s *Accounts) UpdateContact(ctx context.Context, actor domain.User, id, version int64, in domain.ContactInput) (domain.Contact, error) {
	if err := canManageAccounts(actor); err != nil {
		return domain.Contact{}, err
	}
	var c domain.Contact
	err := s.write(ctx, &actor, func(tx *store.Store) ([]Change, error) {
		var err error
		if c, err = tx.Accounts().ContactByID(ctx, id); err != nil {
			return nil, err
		}
		before := contactSnapshot(c)
		if err := in.Apply(&c); err != nil {
			return nil, err
		}
		c.UpdatedAt = s.now().UTC()
		if ok, err := tx.Accounts().SaveContact(ctx, &c, version); err != nil || !ok {
			return nil, refuseStale(ctx, tx, err, domain.EntityContact, id, version)
		}
		return changed(domain.EntityContact, c.ID, nil, before, contactSnapshot(c)), nil
	})
	return c, err
}
