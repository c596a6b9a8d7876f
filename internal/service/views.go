package service

import (
	"context"
	"errors"
	"net/url"
	"strings"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
	"github.com/presale/presale/internal/store"
)

// ViewParams are the pipeline's filters a saved view keeps; anything else
// in a URL is dropped.
var ViewParams = []string{"q", "stage", "owner", "tech", "devrel", "status", "assigned", "next", "sort", "archived"}

// SaveView keeps the pipeline's current filters under a name for the
// user. A view is the user's own setting, like their time zone, so no
// event records it.
func (s *Deals) SaveView(ctx context.Context, actor domain.User, name string, query url.Values) (read.SavedView, error) {
	name = domain.Line(name)
	errs := domain.ValidationErrors{}
	if name == "" {
		errs.Add("name", "Name the view.")
	}
	errs.Fit("name", name, 60)
	if err := errs.Err(); err != nil {
		return read.SavedView{}, err
	}
	kept := url.Values{}
	for _, p := range ViewParams {
		if v := strings.TrimSpace(query.Get(p)); v != "" {
			kept.Set(p, v)
		}
	}
	v := read.SavedView{UserID: actor.ID, Name: name, Query: kept.Encode(), CreatedAt: s.now().UTC()}
	err := s.store.Deals().CreateSavedView(ctx, &v)
	if errors.Is(err, store.ErrViewNameTaken) {
		return v, domain.ValidationErrors{"name": "You have a view with this name; choose another."}
	}
	return v, err
}

// SavedViews lists the user's views by name.
func (s *Deals) SavedViews(ctx context.Context, u domain.User) ([]read.SavedView, error) {
	return s.store.Deals().SavedViews(ctx, u.ID)
}

// DeleteView removes one of the user's views.
func (s *Deals) DeleteView(ctx context.Context, actor domain.User, id int64) error {
	return s.store.Deals().DeleteSavedView(ctx, actor.ID, id)
}
