package store

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// LookAlikeAccounts lists the accounts not archived that look like the
// same company as a (the domain's rule, over names and domains), but for
// a itself.
func (s Accounts) LookAlikeAccounts(ctx context.Context, a domain.Account) ([]domain.Account, error) {
	// The keys ignore case, punctuation and legal suffixes, which SQL
	// cannot index portably: the candidates share a first word or the
	// domain's host, and the domain decides.
	key := domain.AccountKey(a.Name)
	first, _, _ := strings.Cut(key, " ")
	host := domain.DomainKey(a.Domain)
	if first == "" && host == "" {
		return nil, nil
	}
	q := s.read(ctx).Where("archived_at IS NULL AND id <> ?", a.ID)
	var conds []string
	var args []any
	if first != "" {
		conds = append(conds, "lower(name) LIKE ? ESCAPE '\\'")
		args = append(args, likePattern(first))
	}
	if host != "" {
		conds = append(conds, "lower(domain) LIKE ? ESCAPE '\\'")
		args = append(args, likePattern(host))
	}
	var candidates []domain.Account
	if err := q.Where("("+strings.Join(conds, " OR ")+")", args...).Order("id").Limit(200).Find(&candidates).Error; err != nil {
		return nil, err
	}
	var same []domain.Account
	for _, c := range candidates {
		if domain.SameCompany(a, c) {
			same = append(same, c)
		}
	}
	return same, nil
}

// MergeAccount archives from, moves its contacts, deals and history into
// into, and records what moved so the merge can be undone. It reports
// false, changing nothing, when from is archived already (merged by
// someone else meanwhile): archiving first, with the state in the UPDATE,
// is what keeps two merges of one account apart. mayMove is asked with
// the owners of exactly the deals that move, read locked (on PostgreSQL)
// so none is handed over meanwhile; its error stops the merge.
func (s Accounts) MergeAccount(ctx context.Context, from, into, by int64, at time.Time, mayMove func(owners []int64) error) (read.AccountMerge, bool, error) {
	m := read.AccountMerge{FromAccountID: from, IntoAccountID: into, MergedByID: by, MergedAt: at}
	if ok, err := s.store().SetArchived(ctx, domain.EntityAccount, from, true, at); err != nil || !ok {
		return m, false, err
	}
	var contacts, deals, events []int64
	g := s.write(ctx)
	if err := g.Table("contacts").Where("account_id = ?", from).Order("id").Pluck("id", &contacts).Error; err != nil {
		return m, false, err
	}
	q := g.Table("deals").Select("id, owner_id").Where("account_id = ?", from).Order("id")
	if s.postgres() {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	var moving []struct{ ID, OwnerID int64 }
	if err := q.Scan(&moving).Error; err != nil {
		return m, false, err
	}
	var owners []int64
	for _, d := range moving {
		deals = append(deals, d.ID)
		if !slices.Contains(owners, d.OwnerID) {
			owners = append(owners, d.OwnerID)
		}
	}
	if err := mayMove(owners); err != nil {
		return m, false, err
	}
	if err := g.Table("events").Where("entity = ? AND entity_id = ?", domain.EntityAccount, from).Order("id").Pluck("id", &events).Error; err != nil {
		return m, false, err
	}
	m.ContactIDs, m.DealIDs, m.EventIDs = joinIDs(contacts), joinIDs(deals), joinIDs(events)
	if err := s.repoint(ctx, contacts, deals, events, into); err != nil {
		return m, false, err
	}
	return m, true, g.Table("account_merges").Create(&m).Error
}

// repoint moves contacts, deals and account events to account into.
func (s Accounts) repoint(ctx context.Context, contacts, deals, events []int64, into int64) error {
	g := s.write(ctx)
	for _, ids := range chunks(contacts) {
		if err := g.Table("contacts").Where("id IN ?", ids).Updates(map[string]any{"account_id": into, "version": gorm.Expr("version + 1")}).Error; err != nil {
			return err
		}
	}
	for _, ids := range chunks(deals) {
		// A merge's event is the account's, not each deal's, so the
		// deals' revisions are counted here (migration 34 counts the rest).
		if err := g.Table("deals").Where("id IN ?", ids).Updates(map[string]any{"account_id": into, "version": gorm.Expr("version + 1"), "revision": gorm.Expr("revision + 1")}).Error; err != nil {
			return err
		}
	}
	for _, ids := range chunks(events) {
		if err := g.Table("events").Where("id IN ?", ids).Update("entity_id", into).Error; err != nil {
			return err
		}
	}
	return nil
}

// LatestMerge is the newest merge, the only one that can be undone.
func (s Accounts) LatestMerge(ctx context.Context) (read.AccountMerge, bool, error) {
	var ms []read.AccountMerge
	err := s.read(ctx).Table("account_merges").Order("id DESC").Limit(1).Find(&ms).Error
	if err != nil || len(ms) == 0 {
		return read.AccountMerge{}, false, err
	}
	return ms[0], true, nil
}

// UndoMerge moves back what merge m moved and restores the merged account,
// if m is still the newest merge and not undone; it reports false if not.
func (s Accounts) UndoMerge(ctx context.Context, m read.AccountMerge, at time.Time) (bool, error) {
	// First claim the undo, in one UPDATE that checks the merge is still
	// the newest and not undone: of two undos, or an undo and a new merge,
	// one wins.
	res := s.write(ctx).Table("account_merges").
		Where("id = ? AND undone_at IS NULL AND id = (SELECT MAX(id) FROM account_merges)", m.ID).Update("undone_at", at)
	if res.Error != nil || res.RowsAffected == 0 {
		return false, res.Error
	}
	if err := s.repoint(ctx, read.IDList(m.ContactIDs), read.IDList(m.DealIDs), read.IDList(m.EventIDs), m.FromAccountID); err != nil {
		return false, err
	}
	_, err := s.store().SetArchived(ctx, domain.EntityAccount, m.FromAccountID, false, at)
	return true, err
}

func joinIDs(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, ",")
}

// chunks splits ids into slices short enough for one IN list.
func chunks(ids []int64) [][]int64 {
	var out [][]int64
	for len(ids) > 0 {
		n := min(len(ids), 500)
		out = append(out, ids[:n])
		ids = ids[n:]
	}
	return out
}

// DealOwners lists the owners of these deals, each once.
func (s Accounts) DealOwners(ctx context.Context, dealIDs []int64) ([]int64, error) {
	var ids []int64
	if len(dealIDs) == 0 {
		return nil, nil
	}
	return ids, s.read(ctx).Table("deals").Where("id IN ?", dealIDs).Distinct("owner_id").Order("owner_id").Pluck("owner_id", &ids).Error
}
