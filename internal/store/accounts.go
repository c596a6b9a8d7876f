package store

import (
	"context"
	"slices"
	"strings"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
	"gorm.io/gorm"
)

// CreateAccount inserts a and sets its ID.
func (s Accounts) CreateAccount(ctx context.Context, a *domain.Account) error {
	a.Version = 1
	return s.write(ctx).Create(a).Error
}

// SaveAccount writes an edit of a made on version expected; false means
// someone saved the account first.
func (s Accounts) SaveAccount(ctx context.Context, a *domain.Account, expected int64) (bool, error) {
	ok, err := s.updateVersioned(ctx, "accounts", a.ID, expected, map[string]any{
		"name": a.Name, "domain": a.Domain, "industry": a.Industry, "notes": a.Notes, "updated_at": a.UpdatedAt})
	if ok {
		a.Version = expected + 1
	}
	return ok, err
}

// AccountByID loads one account.
func (s Accounts) AccountByID(ctx context.Context, id int64) (domain.Account, error) {
	return first[domain.Account](ctx, s.core, id)
}

// Accounts lists accounts by name, filtered by a name search, one page.
func (s Accounts) Accounts(ctx context.Context, q string, archived bool, p read.Page) ([]read.AccountRow, int64, error) {
	base := s.read(ctx).Table("accounts").Where(archivedIs("accounts", archived))
	if q = strings.TrimSpace(q); q != "" {
		base = base.Where("lower(accounts.name) LIKE ? ESCAPE '\\'", likePattern(strings.ToLower(q)))
	}
	base = base.Session(&gorm.Session{}) // Count and Select branch from here
	var total int64
	if err := base.Count(&total).Error; err != nil {
		return nil, 0, err
	}
	var rows []read.AccountRow
	err := base.Select(`accounts.*,
		(SELECT COUNT(*) FROM deals WHERE deals.account_id = accounts.id AND deals.stage NOT IN ? AND deals.archived_at IS NULL) AS open_deals,
		(SELECT COUNT(*) FROM contacts WHERE contacts.account_id = accounts.id AND contacts.archived_at IS NULL) AS contacts`, domain.ClosedStages).
		Order("lower(accounts.name), accounts.id").Limit(p.Limit()).Offset(p.Offset()).Scan(&rows).Error
	return rows, total, err
}

// AccountChoices lists the live accounts whose name holds q (all when q
// is empty) by name, at most read.AccountChoicesShown of them, and apart
// those chosen that are live and not among them; except is left out.
func (s Accounts) AccountChoices(ctx context.Context, q string, except int64, chosen ...int64) (read.AccountChoices, error) {
	var c read.AccountChoices
	base := s.read(ctx).Table("accounts").Select("id, name").Where("archived_at IS NULL AND id <> ?", except)
	list := base.Session(&gorm.Session{})
	if q = strings.TrimSpace(q); q != "" {
		list = list.Where("lower(name) LIKE ? ESCAPE '\\'", likePattern(strings.ToLower(q)))
	}
	if err := list.Order("lower(name), id").Limit(read.AccountChoicesShown + 1).Scan(&c.Accounts).Error; err != nil {
		return c, err
	}
	if c.More = len(c.Accounts) > read.AccountChoicesShown; c.More {
		c.Accounts = c.Accounts[:read.AccountChoicesShown]
	}
	var missing []int64
	for _, id := range chosen {
		if id != 0 && !slices.ContainsFunc(c.Accounts, func(a read.AccountChoice) bool { return a.ID == id }) {
			missing = append(missing, id)
		}
	}
	if len(missing) == 0 {
		return c, nil
	}
	return c, base.Session(&gorm.Session{}).Where("id IN ?", missing).Order("lower(name), id").Scan(&c.Chosen).Error
}

// CreateContact inserts c and sets its ID.
func (s Accounts) CreateContact(ctx context.Context, c *domain.Contact) error {
	c.Version = 1
	return s.write(ctx).Create(c).Error
}

// SaveContact writes an edit of c made on version expected; false means
// someone saved the contact first.
func (s Accounts) SaveContact(ctx context.Context, c *domain.Contact, expected int64) (bool, error) {
	ok, err := s.updateVersioned(ctx, "contacts", c.ID, expected, map[string]any{
		"name": c.Name, "title": c.Title, "email": c.Email, "phone": c.Phone, "updated_at": c.UpdatedAt})
	if ok {
		c.Version = expected + 1
	}
	return ok, err
}

// ContactByID loads one contact.
func (s Accounts) ContactByID(ctx context.Context, id int64) (domain.Contact, error) {
	return first[domain.Contact](ctx, s.core, id)
}

// archivedIs selects a table's archived rows, or its live ones.
func archivedIs(table string, archived bool) string {
	if archived {
		return table + ".archived_at IS NOT NULL"
	}
	return table + ".archived_at IS NULL"
}

// ContactsOf lists an account's contacts not archived, by name.
func (s Accounts) ContactsOf(ctx context.Context, accountID int64) ([]domain.Contact, error) {
	var cs []domain.Contact
	return cs, s.read(ctx).Where("account_id = ? AND archived_at IS NULL", accountID).Order("name, id").Find(&cs).Error
}

// Contacts lists one page of contacts, searched by name, e-mail, title or
// their account's name, with how many match in all.
func (s Accounts) Contacts(ctx context.Context, q string, archived bool, p read.Page) ([]read.ContactRow, int64, error) {
	base := s.read(ctx).Table("contacts").Joins("JOIN accounts ON accounts.id = contacts.account_id")
	if archived {
		base = base.Where("(contacts.archived_at IS NOT NULL OR accounts.archived_at IS NOT NULL)")
	} else {
		base = base.Where("contacts.archived_at IS NULL AND accounts.archived_at IS NULL")
	}
	if q = strings.TrimSpace(q); q != "" {
		like := likePattern(strings.ToLower(q))
		base = base.Where(`(lower(contacts.name) LIKE ? ESCAPE '\' OR lower(contacts.email) LIKE ? ESCAPE '\'
			OR lower(contacts.title) LIKE ? ESCAPE '\' OR lower(accounts.name) LIKE ? ESCAPE '\')`, like, like, like, like)
	}
	base = base.Session(&gorm.Session{})
	var total int64
	if err := base.Count(&total).Error; err != nil {
		return nil, 0, err
	}
	var rows []read.ContactRow
	err := base.Select("contacts.*, accounts.name AS account_name").
		Order("lower(contacts.name), contacts.id").Limit(p.Limit()).Offset(p.Offset()).Scan(&rows).Error
	return rows, total, err
}
