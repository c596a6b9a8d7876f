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

// ViewQuery is the part of a pipeline URL's query a view keeps, encoded:
// two queries that show the same filters give the same text.
func ViewQuery(query url.Values) string {
	kept := url.Values{}
	for _, p := range ViewParams {
		if v := strings.TrimSpace(query.Get(p)); v != "" {
			kept.Set(p, v)
		}
	}
	return kept.Encode()
}

// SaveView keeps the pipeline's current filters under a name for the
// user. A view is the user's own setting, like their time zone, so no
// event records it.
func (s *Deals) SaveView(ctx context.Context, actor domain.User, name string, query url.Values) (read.SavedView, error) {
	v := read.SavedView{UserID: actor.ID, Query: ViewQuery(query), CreatedAt: s.now().UTC()}
	err := nameView(&v, name, func() error { return s.store.Deals().CreateSavedView(ctx, &v) })
	return v, err
}

// SavedView is one of the user's views; another's is not found.
func (s *Deals) SavedView(ctx context.Context, actor domain.User, id int64) (read.SavedView, error) {
	return s.store.Deals().SavedView(ctx, actor.ID, id)
}

// RenameView gives one of the user's views a new name and, when query is
// not nil, the filters of that query instead of the ones it kept.
func (s *Deals) RenameView(ctx context.Context, actor domain.User, id int64, name string, query url.Values) (read.SavedView, error) {
	v, err := s.store.Deals().SavedView(ctx, actor.ID, id)
	if err != nil {
		return v, err
	}
	if query != nil {
		v.Query = ViewQuery(query)
	}
	err = nameView(&v, name, func() error { return s.store.Deals().UpdateSavedView(ctx, v) })
	return v, err
}

// nameView names v as saving and renaming both must: a name, not too
// long, and none the user has for another view, which the unique index
// on (user, lower(name)) decides as write stores v.
func nameView(v *read.SavedView, name string, write func() error) error {
	v.Name = domain.Line(name)
	errs := domain.ValidationErrors{}
	if v.Name == "" {
		errs.Add("name", "Name the view.")
	}
	errs.Fit("name", v.Name, 60)
	if err := errs.Err(); err != nil {
		return err
	}
	err := write()
	if errors.Is(err, store.ErrViewNameTaken) {
		return domain.ValidationErrors{"name": "You have a view with this name; choose another."}
	}
	return err
}

// SavedViews lists the user's views by name.
func (s *Deals) SavedViews(ctx context.Context, u domain.User) ([]read.SavedView, error) {
	return s.store.Deals().SavedViews(ctx, u.ID)
}

// DeleteView removes one of the user's views, and says how to put it back.
func (s *Deals) DeleteView(ctx context.Context, actor domain.User, id int64) (read.SavedView, domain.Undo, error) {
	v, err := s.store.Deals().SavedView(ctx, actor.ID, id)
	if err == nil {
		err = s.store.Deals().DeleteSavedView(ctx, actor.ID, id)
	}
	return v, domain.UndoOfViewDelete(v.ID, v.Name, v.Query, actor.ID, s.now()), err
}

// restoreView keeps a deleted view again, unless the user has named
// another view so since.
func (s *Deals) restoreView(ctx context.Context, actor domain.User, u domain.Undo) (string, error) {
	v := read.SavedView{UserID: actor.ID, Query: u.To, CreatedAt: s.now().UTC()}
	err := nameView(&v, u.From, func() error { return s.store.Deals().CreateSavedView(ctx, &v) })
	if errors.As(err, new(domain.ValidationErrors)) {
		return "", domain.Conflictf("You have another view named “%s” now, so this one was not put back.", v.Name)
	}
	return "/deals?" + v.Query, err
}
