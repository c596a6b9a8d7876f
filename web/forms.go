package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
	"github.com/presale/presale/internal/service"
	"github.com/presale/presale/views/components"
	"github.com/presale/presale/views/pages"
)

// saved finishes a form post: on invalid input the form is shown again
// with 422 and everything typed; on success a flash and 303 to the thing.
// formProblem is why a form is shown again, with what was typed kept:
// invalid input (422, a message beside each field) or an edit that someone
// else's save overtook (409, with what they changed).
type formProblem struct {
	Status int
	Errors domain.ValidationErrors
	Stale  *pages.Stale
}

// version is the version the re-shown form carries: the current one after
// a conflict, so saving again knowingly applies the editor's input.
func (p formProblem) version(posted int64) int64 {
	if p.Stale != nil {
		return p.Stale.Version
	}
	return posted
}

func (s *Server) saved(c echo.Context, err error, reshow func(formProblem) error, to, flash string) error {
	var (
		invalid domain.ValidationErrors
		stale   *service.StaleError
	)
	switch {
	case errors.As(err, &invalid):
		return reshow(formProblem{Status: http.StatusUnprocessableEntity, Errors: invalid})
	case errors.As(err, &stale):
		return reshow(formProblem{Status: http.StatusConflict, Stale: &pages.Stale{Entity: stale.Entity.Noun(), Version: stale.Version, Changes: stale.Changes}})
	}
	if err != nil {
		return err
	}
	s.flash(c, flash)
	return c.Redirect(http.StatusSeeOther, to)
}

// back answers an action with 303 to the thing acted on; an htmx request
// goes back to the page it came from instead, so the swap takes the fresh
// piece of that same page.
func back(c echo.Context, thing string) error {
	if c.Request().Header.Get("HX-Request") == "true" {
		if u, err := url.Parse(c.Request().Header.Get("HX-Current-URL")); err == nil && u.Path != "" && localPath(u.Path) == u.Path {
			thing = u.RequestURI()
		}
	}
	return c.Redirect(http.StatusSeeOther, thing)
}

// returnTo is the form's next, if it is a page of this site, else def.
func returnTo(c echo.Context, def string) string {
	if next := c.FormValue("next"); next != "" && localPath(next) == next {
		return next
	}
	return def
}

// idParam reads the :id of the route; anything else is not found.
func idParam(c echo.Context) (int64, error) {
	id, ok := domain.ParseID(c.Param("id"))
	if !ok {
		return 0, domain.ErrNotFound
	}
	return id, nil
}

// queryID reads an id from the query string, zero when absent.
func queryID(c echo.Context, name string) int64 {
	id, _ := domain.ParseID(c.QueryParam(name))
	return id
}

// signedIn is the user of a route behind requireUser.
func signedIn(c echo.Context) domain.User { return *currentUser(c) }

// formValues reads a repeated form field.
func formValues(c echo.Context, name string) []string {
	params, err := c.FormParams()
	if err != nil {
		return nil
	}
	return params[name]
}

// page reads ?page=N for a list.
func page(c echo.Context) read.Page {
	n, _ := strconv.Atoi(c.QueryParam("page"))
	return read.Page{Number: max(n, 1), Size: read.DefaultPageSize}
}

// pager links a list's neighbouring pages, keeping its filters.
func pager(c echo.Context, p read.Page, total int64, noun string) components.Pager {
	pages := int((total + int64(p.Size) - 1) / int64(p.Size))
	pg := components.Pager{Page: p.Number, Pages: max(pages, 1), Total: total, Noun: noun}
	base, q := c.Request().URL.Path, c.QueryParams()
	if p.Number > 1 {
		pg.PrevURL = components.WithQuery(base, q, "page", strconv.Itoa(p.Number-1))
	}
	if p.Number < pages {
		pg.NextURL = components.WithQuery(base, q, "page", strconv.Itoa(p.Number+1))
	}
	return pg
}

// pagerOpen links the pages of a list whose length is not counted.
func pagerOpen(c echo.Context, p read.Page, more bool) components.Pager {
	pg := components.Pager{Page: p.Number, Total: -1}
	base, q := c.Request().URL.Path, c.QueryParams()
	if p.Number > 1 {
		pg.PrevURL = components.WithQuery(base, q, "page", strconv.Itoa(p.Number-1))
	}
	if more {
		pg.NextURL = components.WithQuery(base, q, "page", strconv.Itoa(p.Number+1))
	}
	return pg
}

// location is the viewer's time zone: their setting, else their
// browser's (sent at sign-in), else UTC.
func (s *Server) location(c echo.Context) *time.Location {
	for _, tz := range []string{userZone(c), s.sessions.GetString(c.Request().Context(), sessionBrowserTZ)} {
		if tz == "" {
			continue
		}
		if loc, err := time.LoadLocation(tz); err == nil {
			return loc
		}
	}
	return time.UTC
}

func userZone(c echo.Context) string {
	if u := currentUser(c); u != nil {
		return u.TimeZone
	}
	return ""
}

// formVersion is the version an edit form was drawn from; 0 if none came.
func formVersion(c echo.Context) int64 {
	v, _ := domain.ParseID(c.FormValue("version"))
	return v
}
