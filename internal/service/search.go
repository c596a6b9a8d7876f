package service

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
	"github.com/presale/presale/internal/store"
)

// SearchLimit is how many hits of each kind one search shows.
const SearchLimit = 6

// Search looks for q in deals, accounts, contacts, meetings and offers,
// showing only what viewer may see. Fewer than two letters find nothing.
func (s *Desk) Search(ctx context.Context, viewer domain.User, q string) (read.SearchResults, error) {
	terms := store.SearchTerms(q)
	if utf8.RuneCountInString(strings.Join(terms, "")) < 2 {
		return read.SearchResults{}, nil
	}
	return s.store.Search(ctx, viewer, terms, SearchLimit)
}

// SearchIndexed reports whether the search box reads an index; without one
// (an SQLite built without FTS5) it matches more slowly, and says so.
func (s *Desk) SearchIndexed(ctx context.Context) bool { return s.store.FullTextSearch(ctx) }
