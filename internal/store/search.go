package store

import (
	"context"
	"strconv"
	"strings"
	"sync"
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
	table  string   // aliased x in the query
	words  []string // the columns indexed, matched one by one without an index
	fields string   // id, title, detail, status, at; names come from subqueries, read for the hits only
	where  string   // beyond the match: archived deals and the like leave
}

var searchables = map[read.SearchKind]searchable{
	read.SearchDeals: {table: "deals", words: []string{"title"},
		fields: "x.id, x.title, (SELECT name FROM accounts WHERE accounts.id = x.account_id) AS detail, x.stage AS status, x.expected_close_date AS at",
		where:  "x.archived_at IS NULL"},
	read.SearchAccounts: {table: "accounts", words: []string{"name", "domain"}, fields: "x.id, x.name AS title, x.domain AS detail, '' AS status, NULL AS at", where: "x.archived_at IS NULL"},
	read.SearchContacts: {table: "contacts", words: []string{"name", "email", "title"},
		fields: "x.id, x.name AS title, (SELECT name FROM accounts WHERE accounts.id = x.account_id) AS detail, x.title AS status, NULL AS at",
		where:  "x.archived_at IS NULL AND x.account_id NOT IN (SELECT id FROM accounts WHERE archived_at IS NOT NULL)"},
	read.SearchMeetings: {table: "meetings", words: []string{"title"},
		fields: "x.id, x.title, (SELECT title FROM deals WHERE deals.id = x.deal_id) AS detail, x.status, x.starts_at AS at",
		where:  liveDeal("x")},
	read.SearchOffers: {table: "offers", words: []string{"title"},
		fields: "x.id, x.title, (SELECT title FROM deals WHERE deals.id = x.deal_id) AS detail, x.status, NULL AS at",
		where:  liveDeal("x")},
}

// fts5 is whether this build's SQLite has FTS5 (go-sqlite3 compiles it
// in with the sqlite_fts5 tag): a property of the binary, asked once.
var fts5 struct {
	once sync.Once
	on   bool
}

// FullTextSearch reports whether the search box reads an index; without
// FTS5 on SQLite it reads every row (db.DB.FullTextSearch leaves the
// index out of the migrations then).
func (s *core) FullTextSearch(ctx context.Context) bool {
	if s.postgres() {
		return true
	}
	fts5.once.Do(func() {
		fts5.on = s.read(ctx).Raw("SELECT sqlite_compileoption_used('ENABLE_FTS5')").Scan(&fts5.on).Error == nil && fts5.on
	})
	return fts5.on
}

// Search finds up to limit hits of each kind for the terms, newest first,
// that viewer may see. Words match by prefix through the full-text index
// (FTS5 on SQLite, a tsvector GIN index on PostgreSQL); on an SQLite
// without FTS5 each term is looked for inside the indexed columns of every
// row instead, slower and a little wider (inside words too).
func (s *Store) Search(ctx context.Context, viewer domain.User, terms []string, limit int) (read.SearchResults, error) {
	out := read.SearchResults{}
	if len(terms) == 0 {
		return out, nil
	}
	pg, indexed := s.postgres(), s.FullTextSearch(ctx)
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
			if !indexed {
				return slowMatch(q, k.words, terms)
			}
			// The index drives: rows come from it newest first and stop at
			// the limit.
			return q.Joins("JOIN "+k.table+"_fts f ON f.rowid = x.id").Where(k.table+"_fts MATCH ?", `"`+strings.Join(terms, `"* "`)+`"*`)
		}
		var ids []int64
		var err error
		if pg {
			ids, err = newestMatches(match, k.table, limit)
		} else if indexed {
			err = match(k.table).Order("f.rowid DESC").Limit(limit).Pluck("x.id", &ids).Error
		} else {
			err = match(k.table).Order("x.id DESC").Limit(limit).Pluck("x.id", &ids).Error
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

// slowMatch keeps the rows (x) where every term is inside one of the
// columns, ignoring case: search without an index. Terms are letters and
// digits only (SearchTerms), so nothing in them means anything to LIKE.
func slowMatch(q *gorm.DB, columns []string, terms []string) *gorm.DB {
	for _, term := range terms {
		var inAny []string
		var args []any
		for _, c := range columns {
			inAny = append(inAny, "lower(x."+c+") LIKE ?")
			args = append(args, "%"+term+"%")
		}
		q = q.Where("("+strings.Join(inAny, " OR ")+")", args...)
	}
	return q
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
