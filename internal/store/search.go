package store

import (
	"context"
	"strconv"
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
	fields string // id, title, detail, status, at; names come from subqueries, read for the hits only
	where  string // beyond the match: archived deals and the like leave
}

var searchables = map[read.SearchKind]searchable{
	read.SearchDeals: {table: "deals",
		fields: "x.id, x.title, (SELECT name FROM accounts WHERE accounts.id = x.account_id) AS detail, x.stage AS status, x.expected_close_date AS at",
		where:  "x.archived_at IS NULL"},
	read.SearchAccounts: {table: "accounts", fields: "x.id, x.name AS title, x.domain AS detail, '' AS status, NULL AS at", where: "x.archived_at IS NULL"},
	read.SearchContacts: {table: "contacts",
		fields: "x.id, x.name AS title, (SELECT name FROM accounts WHERE accounts.id = x.account_id) AS detail, x.title AS status, NULL AS at",
		where:  "x.archived_at IS NULL AND x.account_id NOT IN (SELECT id FROM accounts WHERE archived_at IS NOT NULL)"},
	read.SearchMeetings: {table: "meetings",
		fields: "x.id, x.title, (SELECT title FROM deals WHERE deals.id = x.deal_id) AS detail, x.status, x.starts_at AS at",
		where:  liveDeal("x")},
	read.SearchOffers: {table: "offers",
		fields: "x.id, x.title, (SELECT title FROM deals WHERE deals.id = x.deal_id) AS detail, x.status, NULL AS at",
		where:  liveDeal("x")},
}

// Search finds up to limit hits of each kind for the terms, newest first,
// that viewer may see. Words match by prefix through the full-text index
// (FTS5 on SQLite, a tsvector GIN index on PostgreSQL).
func (s *Store) Search(ctx context.Context, viewer domain.User, terms []string, limit int) (read.SearchResults, error) {
	out := read.SearchResults{}
	if len(terms) == 0 {
		return out, nil
	}
	pg := s.postgres()
	for _, kind := range read.SearchKinds {
		k := searchables[kind]
		match := func(from string) *gorm.DB {
			q := s.read(ctx).Table(from + " x").Where(k.where)
			if kind == read.SearchOffers {
				q = visibleOffers(q, viewer)
			}
			if pg {
				// Each row keeps its words (db/migrations/0020).
				return q.Where("x.search_words @@ to_tsquery('simple', ?)", strings.Join(terms, ":* & ")+":*")
			}
			// The index drives: rows come from it newest first and stop at
			// the limit.
			return q.Joins("JOIN "+k.table+"_fts f ON f.rowid = x.id").Where(k.table+"_fts MATCH ?", `"`+strings.Join(terms, `"* "`)+`"*`)
		}
		var ids []int64
		var err error
		if pg {
			ids, err = newestMatches(match, k.table, limit)
		} else {
			err = match(k.table).Order("f.rowid DESC").Limit(limit).Pluck("x.id", &ids).Error
		}
		if err != nil {
			return nil, err
		}
		if len(ids) == 0 {
			continue
		}
		var hits []read.SearchHit
		if err := s.read(ctx).Table(k.table+" x").Select(k.fields).Where("x.id IN ?", ids).Order("x.id DESC").Scan(&hits).Error; err != nil {
			return nil, err
		}
		out[kind] = hits
	}
	return out, nil
}

// recentRows is how many of the newest rows PostgreSQL tests one by one
// before it asks the index.
const recentRows = 300

// newestMatches finds the newest limit ids that match on PostgreSQL. A GIN
// index finds every match, in no order, at a cost that grows with how
// many there are; testing rows newest first stops as soon as enough
// match, but for a rare word (most of what is typed) tests the whole
// table. So the newest recentRows are tested first: a common word is
// answered there; otherwise its matches are few enough for the index and
// a sort.
func newestMatches(match func(from string) *gorm.DB, table string, limit int) ([]int64, error) {
	var ids []int64
	recent := "(SELECT * FROM " + table + " ORDER BY id DESC LIMIT " + strconv.Itoa(recentRows) + ")"
	if err := match(recent).Order("x.id DESC").Limit(limit).Pluck("x.id", &ids).Error; err != nil || len(ids) == limit {
		return ids, err
	}
	ids = ids[:0]
	// "+ 0": sort the matches the index found, rather than walk the ids.
	return ids, match(table).Order("x.id + 0 DESC").Limit(limit).Pluck("x.id", &ids).Error
}

// visibleOffers keeps the offers (x) a viewer may see (offerSeen), so a
// search never finds the reserve or a draft outside the deal team.
func visibleOffers(q *gorm.DB, viewer domain.User) *gorm.DB {
	cond, args := offerSeen("x", &viewer)
	return q.Where(cond, args...)
}
