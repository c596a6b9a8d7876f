package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
	"gorm.io/gorm/clause"
)

// ImportIndex is what a CSV import checks its rows against, read once:
// accounts by the other system's id, normalised name and domain; contacts
// and deals by id and by what makes them the same; who may own deals.
type ImportIndex struct {
	accountByExt, accountByKey, accountByDomain map[string]int64
	accountNames                                map[int64]string
	byFirstWord                                 map[string][]int64 // of the name's key: where look-alikes are
	has                                         map[string]bool    // contact and deal keys
	owners                                      map[string]int64   // by e-mail, and by name when one person has it
	ownerNames                                  map[int64]string
}

// ImportIndex reads the index a kind of import needs.
func (s Imports) ImportIndex(ctx context.Context, kind domain.ImportKind) (ImportIndex, error) {
	idx := ImportIndex{accountByExt: map[string]int64{}, accountByKey: map[string]int64{}, accountByDomain: map[string]int64{},
		accountNames: map[int64]string{}, byFirstWord: map[string][]int64{}, has: map[string]bool{}, owners: map[string]int64{}, ownerNames: map[int64]string{}}
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
			first, _, _ := strings.Cut(k, " ")
			idx.byFirstWord[first] = append(idx.byFirstWord[first], a.ID)
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
		owners, err := s.store().People().OwnerChoices(ctx)
		if err != nil {
			return idx, err
		}
		var emails []domain.User
		if err := s.read(ctx).Select("id, email").Where("active AND role <> ?", domain.RoleDevRel).Find(&emails).Error; err != nil {
			return idx, err
		}
		named := map[string]int{}
		for _, u := range owners {
			named[domain.PersonKey(u.Name)]++
		}
		for _, u := range owners {
			// Two people of one name are told apart by e-mail or mapping.
			if k := domain.PersonKey(u.Name); named[k] == 1 {
				idx.owners[k] = u.ID
			}
			idx.ownerNames[u.ID] = u.Name
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

// AccountID finds an account by its name as another file writes it, or
// by its domain (when the file has one).
func (x ImportIndex) AccountID(name string, domainName ...string) (int64, bool) {
	if k := domain.AccountKey(name); k != "" {
		if id, ok := x.accountByKey[k]; ok {
			return id, true
		}
	}
	for _, d := range domainName {
		if k := domain.DomainKey(d); k != "" {
			if id, ok := x.accountByDomain[k]; ok {
				return id, true
			}
		}
	}
	return 0, false
}

// AccountName is the name presale has for an account of the index.
func (x ImportIndex) AccountName(id int64) string { return x.accountNames[id] }

// HasAccount reports a live account of the index.
func (x ImportIndex) HasAccount(id int64) bool {
	_, ok := x.accountNames[id]
	return ok
}

// LookAlikes are the accounts whose names a name may be short or long
// for ("Northwind" and "Northwind Logistics"), by name.
func (x ImportIndex) LookAlikes(name string) []read.AccountChoice {
	var out []read.AccountChoice
	first, _, _ := strings.Cut(domain.AccountKey(name), " ")
	for _, id := range x.byFirstWord[first] { // a look-alike starts with the same word
		if n := x.accountNames[id]; domain.NamesLookAlike(name, n) {
			out = append(out, read.AccountChoice{ID: id, Name: n})
		}
	}
	slices.SortFunc(out, func(a, b read.AccountChoice) int {
		return cmp.Or(strings.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
	})
	return out
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

// Owner finds who may own deals by e-mail, or by name ("John Smith",
// "Smith, John") when one person has it.
func (x ImportIndex) Owner(v string) (int64, bool) {
	if id, ok := x.owners[domain.NormalizeEmail(v)]; ok {
		return id, true
	}
	id, ok := x.owners[domain.PersonKey(v)]
	return id, ok
}

// OwnerName is the name of someone who may own deals; false for anyone
// else (a mapping chosen earlier may name a person who has since left).
func (x ImportIndex) OwnerName(id int64) (string, bool) {
	name, ok := x.ownerNames[id]
	return name, ok
}

// CreateAccounts, CreateContacts and CreateDeals insert many rows in
// batches and set their IDs (an import).
func (s Imports) CreateAccounts(ctx context.Context, as []domain.Account) error {
	return s.write(ctx).CreateInBatches(as, importBatch).Error
}

func (s Imports) CreateContacts(ctx context.Context, cs []domain.Contact) error {
	return s.write(ctx).CreateInBatches(cs, importBatch).Error
}

func (s Imports) CreateDeals(ctx context.Context, ds []domain.Deal) error {
	return s.write(ctx).CreateInBatches(ds, importBatch).Error
}

// AppendEvents writes many events in batches and sets their IDs.
func (s Imports) AppendEvents(ctx context.Context, es []domain.Event) error {
	return s.write(ctx).CreateInBatches(es, importBatch).Error
}

// importBatch rows go in one INSERT: well under SQLite's 32,766 and
// PostgreSQL's 65,535 parameters for the widest row.
const importBatch = 500

// CreateImport keeps an uploaded file and sets its ID.
func (s Imports) CreateImport(ctx context.Context, im *domain.Import) error {
	return s.write(ctx).Create(im).Error
}

// ImportByID loads an upload with its file.
func (s Imports) ImportByID(ctx context.Context, id int64) (domain.Import, error) {
	return first[domain.Import](ctx, s.core, id)
}

// Imports lists the latest uploads, newest first, without their files.
func (s Imports) Imports(ctx context.Context, limit int) ([]read.ImportRow, error) {
	var rows []read.ImportRow
	return rows, s.read(ctx).Table("imports").
		Select("imports.id, imports.kind, imports.file_name, imports.status, imports.created, imports.existing, imports.skipped, " +
			"imports.version, imports.created_by, imports.created_at, imports.imported_at, users.name AS creator_name").
		Joins("JOIN users ON users.id = imports.created_by").Order("imports.created_at DESC, imports.id DESC").Limit(limit).Scan(&rows).Error
}

// SetImportPlan saves a pending upload's mapping at version; false when
// it was imported or changed since.
func (s Imports) SetImportPlan(ctx context.Context, id, version int64, plan domain.ImportPlan) (bool, error) {
	res := s.write(ctx).Model(&domain.Import{ID: id}).Where("status = ? AND version = ?", domain.ImportPending, version).
		Updates(&domain.Import{Plan: plan, Version: version + 1})
	return res.RowsAffected == 1, res.Error
}

// MarkImported records what a pending upload's import did and drops its
// file; false when it was imported or changed since.
func (s Imports) MarkImported(ctx context.Context, id, version int64, created, existing, skipped int, at time.Time) (bool, error) {
	res := s.write(ctx).Model(&domain.Import{ID: id}).Where("status = ? AND version = ?", domain.ImportPending, version).
		Updates(map[string]any{"status": domain.ImportImported, "created": created, "existing": existing, "skipped": skipped,
			"content": nil, "imported_at": at, "version": version + 1})
	return res.RowsAffected == 1, res.Error
}

// DeleteImport drops a pending upload; false when there was none.
func (s Imports) DeleteImport(ctx context.Context, id int64) (bool, error) {
	res := s.write(ctx).Where("status = ?", domain.ImportPending).Delete(&domain.Import{ID: id})
	return res.RowsAffected == 1, res.Error
}

// DeleteStaleImports drops uploads nobody confirmed since before.
func (s Imports) DeleteStaleImports(ctx context.Context, before time.Time) error {
	return s.write(ctx).Where("status = ? AND created_at < ?", domain.ImportPending, before).Delete(&domain.Import{}).Error
}

// ImportLock keeps two imports from checking the same rows at once on
// PostgreSQL (SQLite's one writer does so already); it holds until the
// transaction ends.
func (s Imports) ImportLock(ctx context.Context) error {
	if !s.postgres() {
		return nil
	}
	return s.write(ctx).Exec("SELECT pg_advisory_xact_lock(7263002)").Error
}

// ImportMappings lists the mappings kept for a kind, or for every kind
// ("").
func (s Imports) ImportMappings(ctx context.Context, kind domain.ImportKind) ([]domain.ImportMapping, error) {
	var ms []domain.ImportMapping
	q := s.read(ctx).Order("kind, what, name")
	if kind != "" {
		q = q.Where("kind = ?", kind)
	}
	return ms, q.Find(&ms).Error
}

// ForgetImportMappings drops the mappings kept for a kind; how many.
func (s Imports) ForgetImportMappings(ctx context.Context, kind domain.ImportKind) (int64, error) {
	res := s.write(ctx).Where("kind = ?", kind).Delete(&domain.ImportMapping{})
	return res.RowsAffected, res.Error
}

// SaveImportMappings keeps mappings, replacing any of the same names.
func (s Imports) SaveImportMappings(ctx context.Context, ms []domain.ImportMapping) error {
	if len(ms) == 0 {
		return nil
	}
	return s.write(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "kind"}, {Name: "what"}, {Name: "name"}},
		DoUpdates: clause.AssignmentColumns([]string{"value", "updated_at"})}).Create(&ms).Error
}
