package store

import (
	"context"
	"strings"
	"unicode"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
	"gorm.io/gorm"
)

// SearchTerms are the words of a search as typed: letters and digits,
// each matched as the start of a word. At most eight are kept.
func SearchTerms(q string) []string {
	words := strings.FieldsFunc(strings.ToLower(q), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	return words[:min(len(words), 8)]
}

// searchable is one kind of result: its table, the words indexed, and
// what a hit shows.
type searchable struct {
	table  string // aliased x in the query
	vector string // PostgreSQL: the indexed expression (db/migrations/0010)
	fields string // id, title, detail, status, at
	joins  string
	where  string // beyond the match: archived deals and the like leave
}

var searchables = map[read.SearchKind]searchable{
	read.SearchDeals: {table: "deals", vector: "to_tsvector('simple', x.title)",
		fields: "x.id, x.title, a.name AS detail, x.stage AS status, x.expected_close_date AS at",
		joins:  "JOIN accounts a ON a.id = x.account_id", where: "x.archived_at IS NULL"},
	read.SearchAccounts: {table: "accounts", vector: "to_tsvector('simple', x.name || ' ' || x.domain)",
		fields: "x.id, x.name AS title, x.domain AS detail, '' AS status, NULL AS at", where: "x.archived_at IS NULL"},
	read.SearchContacts: {table: "contacts", vector: "to_tsvector('simple', x.name || ' ' || x.email || ' ' || x.title)",
		fields: "x.id, x.name AS title, a.name AS detail, x.title AS status, NULL AS at",
		joins:  "JOIN accounts a ON a.id = x.account_id", where: "x.archived_at IS NULL AND a.archived_at IS NULL"},
	read.SearchMeetings: {table: "meetings", vector: "to_tsvector('simple', x.title)",
		fields: "x.id, x.title, d.title AS detail, x.status, x.starts_at AS at",
		joins:  "JOIN deals d ON d.id = x.deal_id", where: "d.archived_at IS NULL"},
	read.SearchOffers: {table: "offers", vector: "to_tsvector('simple', x.title)",
		fields: "x.id, x.title, d.title AS detail, x.status, NULL AS at",
		joins:  "JOIN deals d ON d.id = x.deal_id", where: "d.archived_at IS NULL"},
}

// Search finds up to limit hits of each kind for the terms, newest first,
// that viewer may see. Words match by prefix through the full-text index
// (FTS5 on SQLite, a tsvector GIN index on PostgreSQL).
func (s *Store) Search(ctx context.Context, viewer domain.User, terms []string, limit int) (read.SearchResults, error) {
	out := read.SearchResults{}
	if len(terms) == 0 {
		return out, nil
	}
	pg := s.r.Dialector.Name() == "postgres"
	for _, kind := range read.SearchKinds {
		k := searchables[kind]
		q := s.read(ctx).Table(k.table + " x").Select(k.fields)
		if k.joins != "" {
			q = q.Joins(k.joins)
		}
		if pg {
			q = q.Where(k.vector+" @@ to_tsquery('simple', ?)", strings.Join(terms, ":* & ")+":*").Order("x.id DESC")
		} else {
			// The index drives: rows come from it newest first and stop at
			// the limit.
			q = q.Joins("JOIN "+k.table+"_fts f ON f.rowid = x.id").
				Where(k.table+"_fts MATCH ?", `"`+strings.Join(terms, `"* "`)+`"*`).Order("f.rowid DESC")
		}
		q = q.Where(k.where)
		if kind == read.SearchOffers {
			q = visibleOffers(q, viewer)
		}
		var hits []read.SearchHit
		if err := q.Limit(limit).Scan(&hits).Error; err != nil {
			return nil, err
		}
		if len(hits) > 0 {
			out[kind] = hits
		}
	}
	return out, nil
}

// visibleOffers keeps the offers (x, of deal d) a viewer may see: the
// domain's ActionViewOffer rule written for SQL, so a search never finds
// the reserve or a draft outside the deal team. A test holds it to the
// domain's rule.
func visibleOffers(q *gorm.DB, viewer domain.User) *gorm.DB {
	if !viewer.Active {
		return q.Where("1 = 0")
	}
	if viewer.IsManager() {
		return q
	}
	return q.Where(`(x.status NOT IN ?
		OR d.owner_id = ?
		OR EXISTS (SELECT 1 FROM assignments va WHERE va.deal_id = x.deal_id AND va.user_id = ? AND va.active)
		OR (x.status = ? AND x.proposed_by_id = ?))`,
		domain.PrivateOfferStatuses, viewer.ID, viewer.ID, domain.OfferDraft, viewer.ID)
}
