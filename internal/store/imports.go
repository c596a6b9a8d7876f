package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/presale/presale/internal/domain"
)

// ImportIndex is what a CSV import checks its rows against, read once:
// accounts by the other system's id, normalised name and domain; contacts
// and deals by id and by what makes them the same; who may own deals.
type ImportIndex struct {
	accountByExt, accountByKey, accountByDomain map[string]int64
	accountNames                                map[int64]string
	has                                         map[string]bool // contact and deal keys
	owners                                      map[string]int64
}

// ImportIndex reads the index a kind of import needs.
func (s *Store) ImportIndex(ctx context.Context, kind domain.ImportKind) (ImportIndex, error) {
	idx := ImportIndex{accountByExt: map[string]int64{}, accountByKey: map[string]int64{}, accountByDomain: map[string]int64{},
		accountNames: map[int64]string{}, has: map[string]bool{}, owners: map[string]int64{}}
	var accounts []domain.Account
	if err := s.read(ctx).Select("id, name, domain, external_id").Where("archived_at IS NULL").Find(&accounts).Error; err != nil {
		return idx, err
	}
	for _, a := range accounts {
		idx.accountNames[a.ID] = a.Name
		if a.ExternalID != "" {
			idx.accountByExt[a.ExternalID] = a.ID
		}
		if k := domain.AccountKey(a.Name); k != "" {
			idx.accountByKey[k] = a.ID
		}
		if k := domain.DomainKey(a.Domain); k != "" {
			idx.accountByDomain[k] = a.ID
		}
	}
	switch kind {
	case domain.ImportContacts:
		var cs []domain.Contact
		if err := s.read(ctx).Select("id, account_id, name, email, external_id").Find(&cs).Error; err != nil {
			return idx, err
		}
		for _, c := range cs {
			idx.has["x:"+c.ExternalID] = c.ExternalID != ""
			idx.has[fmt.Sprint("n:", c.AccountID, ":", strings.ToLower(c.Name))] = true
			if c.Email != "" {
				idx.has[fmt.Sprint("c:", c.AccountID, ":", strings.ToLower(c.Email))] = true
			}
		}
	case domain.ImportDeals:
		var ds []domain.Deal
		if err := s.read(ctx).Select("id, account_id, title, external_id").Find(&ds).Error; err != nil {
			return idx, err
		}
		for _, d := range ds {
			idx.has["x:"+d.ExternalID] = d.ExternalID != ""
			idx.has[fmt.Sprint("t:", d.AccountID, ":", strings.ToLower(d.Title))] = true
		}
		owners, err := s.OwnerChoices(ctx)
		if err != nil {
			return idx, err
		}
		var emails []domain.User
		if err := s.read(ctx).Select("id, email").Where("active AND role <> ?", domain.RoleDevRel).Find(&emails).Error; err != nil {
			return idx, err
		}
		for _, u := range owners {
			idx.owners[strings.ToLower(u.Name)] = u.ID
		}
		for _, u := range emails {
			idx.owners[domain.NormalizeEmail(u.Email)] = u.ID
		}
	}
	return idx, nil
}

// Account finds an account a row names: by the other system's id, the
// normalised name or the domain; its name when found.
func (x ImportIndex) Account(ext, name, domainName string) (string, bool) {
	id, ok := x.accountByExt[ext]
	if !ok || ext == "" {
		if id, ok = x.accountByKey[domain.AccountKey(name)]; !ok || domain.AccountKey(name) == "" {
			id, ok = x.accountByDomain[domain.DomainKey(domainName)]
			ok = ok && domain.DomainKey(domainName) != ""
		}
	}
	return x.accountNames[id], ok
}

// AccountID finds an account by its name as another file writes it.
func (x ImportIndex) AccountID(name string) (int64, bool) {
	k := domain.AccountKey(name)
	id, ok := x.accountByKey[k]
	return id, ok && k != ""
}

// HasContact reports a contact presale has: by id, e-mail or name at
// the account.
func (x ImportIndex) HasContact(ext string, accountID int64, name, email string) bool {
	return (ext != "" && x.has["x:"+ext]) || x.has[fmt.Sprint("n:", accountID, ":", strings.ToLower(name))] ||
		(email != "" && x.has[fmt.Sprint("c:", accountID, ":", strings.ToLower(email))])
}

// HasDeal reports a deal presale has: by id, or its title at the account.
func (x ImportIndex) HasDeal(ext string, accountID int64, title string) bool {
	return (ext != "" && x.has["x:"+ext]) || x.has[fmt.Sprint("t:", accountID, ":", strings.ToLower(title))]
}

// Owner finds who may own deals by name or e-mail.
func (x ImportIndex) Owner(v string) (int64, bool) {
	if id, ok := x.owners[domain.NormalizeEmail(v)]; ok {
		return id, true
	}
	id, ok := x.owners[strings.ToLower(strings.TrimSpace(v))]
	return id, ok
}

// CreateAccounts, CreateContacts and CreateDeals insert many rows in
// batches and set their IDs (an import).
func (s *Store) CreateAccounts(ctx context.Context, as []domain.Account) error {
	return s.write(ctx).CreateInBatches(as, importBatch).Error
}

func (s *Store) CreateContacts(ctx context.Context, cs []domain.Contact) error {
	return s.write(ctx).CreateInBatches(cs, importBatch).Error
}

func (s *Store) CreateDeals(ctx context.Context, ds []domain.Deal) error {
	return s.write(ctx).CreateInBatches(ds, importBatch).Error
}

// AppendEvents writes many events in batches and sets their IDs.
func (s *Store) AppendEvents(ctx context.Context, es []domain.Event) error {
	return s.write(ctx).CreateInBatches(es, importBatch).Error
}

// importBatch rows go in one INSERT: well under SQLite's 32,766 and
// PostgreSQL's 65,535 parameters for the widest row.
const importBatch = 500
