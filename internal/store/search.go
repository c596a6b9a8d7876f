package store

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
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
	words  []string // the columns indexed, matched one by one without an index; the first names a hit
	weight string   // the FTS5 columns' weights for bm25: the name counts ten times the rest; "" for one column, ranked by its length
	fields string   // id, title, detail, status, at; names come from subqueries, read for the hits only
	where  string   // beyond the match: archived deals and the like leave
}

var searchables = map[read.SearchKind]searchable{
	read.SearchDeals: {table: "deals", words: []string{"title"},
		fields: "x.id, x.title, (SELECT name FROM accounts WHERE accounts.id = x.account_id) AS detail, x.stage AS status, x.expected_close_date AS at",
		where:  "x.archived_at IS NULL"},
	read.SearchAccounts: {table: "accounts", words: []string{"name", "domain"}, weight: ", 10.0, 1.0", fields: "x.id, x.name AS title, x.domain AS detail, '' AS status, NULL AS at", where: "x.archived_at IS NULL"},
	read.SearchContacts: {table: "contacts", words: []string{"name", "email", "title"}, weight: ", 10.0, 1.0, 1.0",
		fields: "x.id, x.name AS title, (SELECT name FROM accounts WHERE accounts.id = x.account_id) AS detail, x.title AS status, NULL AS at",
		where:  "x.archived_at IS NULL AND NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id = x.account_id AND a.archived_at IS NOT NULL)"},
	read.SearchMeetings: {table: "meetings", words: []string{"title"},
		fields: "x.id, x.title, (SELECT title FROM deals WHERE deals.id = x.deal_id) AS detail, x.status, x.starts_at AS at",
		where:  liveDealOfEach("x")},
	read.SearchOffers: {table: "offers", words: []string{"title"},
		fields: "x.id, x.title, (SELECT title FROM deals WHERE deals.id = x.deal_id) AS detail, x.status, NULL AS at",
		where:  liveDealOfEach("x")},
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

// Search finds up to limit hits of each kind for the terms that viewer
// may see, best first: among the newest rankedMatches matches, a hit whose
// name is exactly the words typed, then by the full-text rank (on SQLite
// FTS5's bm25 where columns weigh differently, and where one is indexed
// the name's count of words, which is what bm25 comes to there; ts_rank
// on PostgreSQL: each favours more of the words in a shorter name), then
// the newest. The words match whole but the last, which matches
// as a prefix (it may still be being typed); on an SQLite
// without FTS5 each term is looked for inside the indexed columns of every
// row instead, slower and a little wider (inside words too), with no rank
// but the exact name.
func (s *Store) Search(ctx context.Context, viewer domain.User, terms []string, limit int) (read.SearchResults, error) {
	out := read.SearchResults{}
	if len(terms) == 0 {
		return out, nil
	}
	pg, indexed := s.postgres(), s.FullTextSearch(ctx)
	typed := strings.Join(terms, " ")
	// The words typed are whole but the last, which may still be being
	// typed: its prefix. A prefix is every word beginning so to an index
	// (PostgreSQL gathered each row holding a word beginning "deal" before
	// it looked at the number after it: 12 ms for "deal 012345"; the word
	// "deal" is one entry, 0.5 ms).
	last := len(terms) - 1
	words, phrases := slices.Clone(terms), make([]string, len(terms))
	words[last] += ":*"
	for i, t := range terms {
		phrases[i] = `"` + t + `"`
	}
	phrases[last] += "*"
	tsq, fts := strings.Join(words, " & "), strings.Join(phrases, " ")
	// What the viewer may see of the rows x of a kind.
	seen := func(kind read.SearchKind, q *gorm.DB) *gorm.DB {
		q = q.Where(searchables[kind].where)
		if kind == read.SearchOffers {
			q = visibleOffers(q, viewer)
		}
		return q
	}
	var newest map[read.SearchKind][]int64
	if pg {
		// Each row keeps its words (db/migrations/0020).
		match := func(kind read.SearchKind, from string) *gorm.DB {
			return seen(kind, s.read(ctx).Table(from+" x")).Where("x.search_words @@ to_tsquery('simple', ?)", tsq)
		}
		rare := map[read.SearchKind]bool{}
		for _, kind := range read.SearchKinds {
			rare[kind] = s.rareWords(ctx, searchables[kind].table, terms)
		}
		var err error
		if newest, err = newestMatches(s.read(ctx), match, rare, rankedMatches); err != nil {
			return nil, err
		}
	}
	for _, kind := range read.SearchKinds {
		k := searchables[kind]
		// One ORDER BY: the exact name first, the engine's rank, the newest.
		order := "CASE WHEN lower(x." + k.words[0] + ") = ? THEN 0 ELSE 1 END, "
		vars := []any{typed}
		var q *gorm.DB
		if pg {
			if len(newest[kind]) == 0 {
				continue
			}
			// ts_rank's normalisation 1 divides by the log of the length.
			q = s.read(ctx).Table(k.table+" x").Where("x.id IN ?", newest[kind])
			order += "ts_rank(x.search_words, to_tsquery('simple', ?), 1) DESC"
			vars = append(vars, tsq)
		} else if !indexed {
			q = slowMatch(seen(kind, s.read(ctx).Table(k.table+" x")), k.words, terms)
			order += "1"
		} else {
			// The index hands back the newest matches the viewer may see
			// and stops (rows they may not see never crowd out those they
			// may); bm25, lower for a better match, is worked out for those
			// alone. Where one column is indexed, every hit holds every
			// word, and bm25 comes down to the name of fewer words first:
			// the count of its spaces is the rank, without bm25's count of
			// every row holding each word (a word in every meeting's title
			// cost 6 ms a search).
			index := k.table + "_fts"
			rank, by := "bm25("+index+k.weight+")", "f.rank"
			if k.weight == "" {
				name := "x." + k.words[0]
				rank, by = "0", "length("+name+") - length(replace("+name+", ' ', ''))"
			}
			newest := seen(kind, s.read(ctx).Table(index).Joins("JOIN "+k.table+" x ON x.id = "+index+".rowid")).
				Where(index+" MATCH ?", fts).Select(index + ".rowid AS id, " + rank + " AS rank").Order(index + ".rowid DESC").Limit(rankedMatches)
			q = s.read(ctx).Table("(?) f", newest).Joins("JOIN " + k.table + " x ON x.id = f.id")
			order += by
		}
		// The hits as they show, in the one statement that ranks them: each
		// engine works a result's subqueries out for the rows it returns.
		var hits []read.SearchHit
		if err := q.Select(k.fields).Clauses(clause.OrderBy{Expression: clause.Expr{SQL: order + ", x.id DESC", Vars: vars}}).Limit(limit).Scan(&hits).Error; err != nil {
			return nil, err
		}
		if len(hits) > 0 {
			out[kind] = hits
		}
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
// before it asks the index; a common word is tested in ten times as many
// before the index is asked.
const recentRows = 300

// newestMatches finds the newest limit ids of each kind that match on
// PostgreSQL. A GIN index finds every match, in no order, at a cost that
// grows with how many there are; testing rows newest first stops as soon
// as enough match, but for a rare word (most of what is typed) tests the
// whole table. So the newest recentRows are tested first: a common word is
// answered there, or, when too few matched (the viewer may see few of
// them: a salesperson's offers; or the word is common in older rows),
// in the newest ten times as many (a word in every offer's title took the
// index 76 ms); a rare word's matches, none among the newest rows, are
// few enough for the index and a sort. Rare is what the statistics say
// (rareWords): "deal", absent from the newest 300 meetings and in most of
// the 257,000 before them, went to the index and took 1.7 s. Every kind
// takes each step in the same statement: two or three round trips for the
// five kinds, not one to three each.
func newestMatches(db *gorm.DB, match func(kind read.SearchKind, from string) *gorm.DB, rare map[read.SearchKind]bool, limit int) (map[read.SearchKind][]int64, error) {
	const index = 2 // the steps: the newest rows, ten times as many, the index
	out := map[read.SearchKind][]int64{}
	step := map[read.SearchKind]int{}
	for pending := read.SearchKinds; len(pending) > 0; {
		var parts []string
		var args []any
		for i, kind := range pending {
			table := searchables[kind].table
			from, order := table, "x.id + 0 DESC" // "+ 0": sort the matches the index found, rather than walk the ids
			if step[kind] < index {
				from, order = "(SELECT * FROM "+table+" ORDER BY id DESC LIMIT "+strconv.Itoa(recentRows*[]int{1, 10}[step[kind]])+")", "x.id DESC"
			}
			parts = append(parts, "SELECT * FROM (?) AS m"+strconv.Itoa(i))
			args = append(args, match(kind, from).Select("'"+string(kind)+"' AS kind, x.id").Order(order).Limit(limit))
		}
		var rows []struct {
			Kind read.SearchKind
			ID   int64
		}
		if err := db.Raw(strings.Join(parts, " UNION ALL "), args...).Scan(&rows).Error; err != nil {
			return nil, err
		}
		found := map[read.SearchKind][]int64{}
		for _, r := range rows {
			found[r.Kind] = append(found[r.Kind], r.ID)
		}
		var next []read.SearchKind
		for _, kind := range pending {
			switch ids := found[kind]; {
			case len(ids) == limit || step[kind] == index:
				out[kind] = ids
			case len(ids) == 0 && step[kind] == 0 && rare[kind]:
				step[kind], next = index, append(next, kind) // a rare word: the index finds its few matches
			default:
				step[kind], next = step[kind]+1, append(next, kind)
			}
		}
		pending = next
	}
	return out, nil
}

// commonWords are, for each table searched on PostgreSQL, the words its
// rows hold often by the planner's statistics (pg_stats' most common
// elements of search_words, with the share of rows holding each), read
// again after commonFor.
type commonWords struct {
	mu     sync.Mutex
	tables map[string]keptWords
}

type keptWords struct {
	at     time.Time
	shares map[string]float64 // nil: no statistics yet
}

// commonFor is how long the statistics are used before they are read again;
// the planner's own change only as often as the table is analysed.
const commonFor = time.Minute

// commonShare is the share of rows a word must be in to be common.
const commonShare = 0.01

// rareWords reports whether the statistics say few rows of table hold
// every one of terms (the last a prefix): one of them is in fewer than
// commonShare of the rows. Without statistics every word is rare: a table
// never analysed is new or small, and its index quick.
func (s *core) rareWords(ctx context.Context, table string, terms []string) bool {
	shares := s.commonShares(ctx, table)
	if shares == nil {
		return true
	}
	last := len(terms) - 1
	for i, t := range terms {
		share := shares[t]
		if i == last {
			share = 0
			for w, f := range shares {
				if strings.HasPrefix(w, t) {
					share += f
				}
			}
		}
		if share < commonShare {
			return true
		}
	}
	return false
}

// commonShares reads (or keeps) the statistics of table's search words.
func (s *core) commonShares(ctx context.Context, table string) map[string]float64 {
	c := s.common
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if k, ok := c.tables[table]; ok && time.Since(k.at) < commonFor {
		return k.shares
	}
	var rows []struct {
		Word  string
		Share float64
	}
	// The shares array ends with three figures of its own (the least and
	// greatest share, and the share of nulls): unnest pads the words with
	// nulls there.
	err := s.read(ctx).Raw(`SELECT u.word, u.share FROM pg_stats,
		unnest(most_common_elems::text::text[], most_common_elem_freqs) AS u(word, share)
		WHERE schemaname = current_schema() AND tablename = ? AND attname = 'search_words' AND u.word IS NOT NULL`, table).Scan(&rows).Error
	if err != nil {
		return nil // not kept: a request cut off must not make every word rare for a minute
	}
	var shares map[string]float64
	if len(rows) > 0 {
		shares = make(map[string]float64, len(rows))
		for _, r := range rows {
			shares[r.Word] = r.Share
		}
	}
	if c.tables == nil {
		c.tables = map[string]keptWords{}
	}
	c.tables[table] = keptWords{at: time.Now(), shares: shares}
	return shares
}

// rankedMatches is how many of the newest matches of a kind are ranked:
// a word found in more is too common to rank by (and ranking every match
// of a word in all 50,000 titles took 236 ms on SQLite); more words narrow
// the matches to rank.
const rankedMatches = 200

// visibleOffers keeps the offers (x) a viewer may see (offerSeen), so a
// search never finds the reserve or a draft outside the deal team.
func visibleOffers(q *gorm.DB, viewer domain.User) *gorm.DB {
	cond, args := offerSeen("x", &viewer)
	return q.Where(cond, args...)
}
