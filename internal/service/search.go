package service

import (
	"context"
	"net/url"
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
func (s *Service) Search(ctx context.Context, viewer domain.User, q string) (read.SearchResults, error) {
	terms := store.SearchTerms(q)
	if utf8.RuneCountInString(strings.Join(terms, "")) < 2 {
		return read.SearchResults{}, nil
	}
	return s.store.Search(ctx, viewer, terms, SearchLimit)
}

// ViewParams are the pipeline's filters a saved view keeps; anything else
// in a URL is dropped.
var ViewParams = []string{"q", "stage", "owner", "tech", "devrel", "status", "assigned", "next", "sort", "archived"}

// SaveView keeps the pipeline's current filters under a name for the
// user. A view is the user's own setting, like their time zone, so no
// event records it.
func (s *Service) SaveView(ctx context.Context, actor domain.User, name string, query url.Values) (read.SavedView, error) {
	name = strings.TrimSpace(name)
	errs := domain.ValidationErrors{}
	if name == "" {
		errs.Add("name", "Name the view.")
	}
	errs.Fit("name", name, 60)
	if err := errs.Err(); err != nil {
		return read.SavedView{}, err
	}
	if _, found, err := s.store.SavedViewNamed(ctx, actor.ID, name); err != nil {
		return read.SavedView{}, err
	} else if found {
		return read.SavedView{}, domain.ValidationErrors{"name": "You have a view with this name; choose another."}
	}
	kept := url.Values{}
	for _, p := range ViewParams {
		if v := strings.TrimSpace(query.Get(p)); v != "" {
			kept.Set(p, v)
		}
	}
	v := read.SavedView{UserID: actor.ID, Name: name, Query: kept.Encode(), CreatedAt: s.now().UTC()}
	return v, s.store.CreateSavedView(ctx, &v)
}

// SavedViews lists the user's views by name.
func (s *Service) SavedViews(ctx context.Context, u domain.User) ([]read.SavedView, error) {
	return s.store.SavedViews(ctx, u.ID)
}

// DeleteView removes one of the user's views.
func (s *Service) DeleteView(ctx context.Context, actor domain.User, id int64) error {
	return s.store.DeleteSavedView(ctx, actor.ID, id)
}
