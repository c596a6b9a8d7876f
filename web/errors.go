package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/labstack/echo/v4"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/service"
	"github.com/presale/presale/views/components"
	"github.com/presale/presale/views/pages"
)

// handleError is the one place errors become responses: domain errors map
// to 401/403/404/409/422, anything unknown to a logged 500.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	// A stale edit says what changed in the viewer's zone, once the
	// session (and so the zone) has been read.
	loc := time.UTC
	if loaded, _ := c.Get(ctxSession).(bool); loaded {
		loc = s.location(c)
	}
	p := classify(err, loc)
	req := c.Request()
	if p.Status == http.StatusServiceUnavailable {
		c.Response().Header().Set("Retry-After", retryAfter)
	}
	if p.Status == http.StatusInternalServerError {
		s.log.Error("request failed", "err", err, "id", c.Response().Header().Get(echo.HeaderXRequestID), "uri", loggedURI(req))
	}
	var werr error
	switch {
	case req.Method == http.MethodHead:
		werr = c.NoContent(p.Status)
	case wantsJSON(req):
		werr = problemJSON(c, p)
	case errors.Is(err, domain.ErrUnauthorized) && req.Method == http.MethodGet:
		to := "/login"
		if next := req.URL.RequestURI(); next != "/" && localPath(next) == next {
			to += "?next=" + url.QueryEscape(next)
		}
		werr = c.Redirect(http.StatusSeeOther, to)
	default:
		werr = s.render(c, p.Status, pages.Error(s.shell(c, p.Heading), p))
	}
	if werr != nil {
		s.log.Error("writing error response", "err", werr)
	}
}

// retryAfter is how many seconds a client waits when the database is
// away for a moment.
const retryAfter = "2"

func classify(err error, loc *time.Location) pages.ErrorPage {
	var (
		invalid   domain.ValidationErrors
		conflict  *domain.ConflictError
		stale     *service.StaleError
		forbidden *domain.ForbiddenError
		httpErr   *echo.HTTPError
	)
	switch {
	case service.Unavailable(err):
		return pages.ErrorPage{Status: http.StatusServiceUnavailable, Heading: "Busy for a moment", Message: "presale cannot reach its database just now; try again in a few seconds. Nothing was lost."}
	case errors.As(err, &invalid):
		fields := make([]string, 0, len(invalid))
		for f, msg := range invalid {
			fields = append(fields, fmt.Sprintf("%s: %s", strings.ReplaceAll(f, "_", " "), msg))
		}
		sort.Strings(fields)
		return pages.ErrorPage{Status: http.StatusUnprocessableEntity, Heading: "Some details need attention", Message: "Nothing was saved.", Details: fields}
	case errors.Is(err, domain.ErrNotFound):
		return pages.ErrorPage{Status: http.StatusNotFound, Heading: "Not found", Message: "There is nothing here, or it is not visible to you."}
	case errors.As(err, &forbidden):
		return pages.ErrorPage{Status: http.StatusForbidden, Heading: "Not allowed", Message: forbidden.Reason}
	case errors.Is(err, domain.ErrForbidden):
		return pages.ErrorPage{Status: http.StatusForbidden, Heading: "Not allowed", Message: "Your role does not allow this."}
	case errors.As(err, &stale):
		var changes []string
		for _, e := range stale.Changes {
			for _, fc := range domain.DecodeChanges(e.Before, e.After) {
				changes = append(changes, fmt.Sprintf("%s: %q → %q (%s)", components.Humanize(fc.Field),
					components.ChangeValue(fc.Field, fc.Old, loc), components.ChangeValue(fc.Field, fc.New, loc), e.ActorName))
			}
		}
		return pages.ErrorPage{Status: http.StatusConflict, Heading: "Someone saved this first", Message: stale.Error() + " Nothing of yours was saved.", Details: changes}
	case errors.As(err, &conflict):
		return pages.ErrorPage{Status: http.StatusConflict, Heading: "That could not be done", Message: conflict.Reason}
	case errors.Is(err, domain.ErrConflict):
		return pages.ErrorPage{Status: http.StatusConflict, Heading: "That could not be done", Message: "Someone changed this meanwhile. Reload and try again."}
	case errors.Is(err, domain.ErrUnauthorized):
		return pages.ErrorPage{Status: http.StatusUnauthorized, Heading: "Please sign in", Message: "Sign in to continue."}
	case errors.As(err, &httpErr):
		// The headline is in the app's words, never an HTTP status text.
		p := pages.ErrorPage{Status: httpErr.Code, Heading: "That could not be done", Message: fmt.Sprint(httpErr.Message)}
		switch httpErr.Code {
		case http.StatusNotFound:
			p.Heading, p.Message = "Not found", "There is no page at this address."
		case http.StatusMethodNotAllowed:
			p.Message = "This address does not take that kind of request."
		case http.StatusRequestEntityTooLarge:
			p.Heading, p.Message = "Too much at once", "What was sent is larger than presale takes (2 MB, or 20 MB for a file to import). Shorten it and try again."
		case http.StatusServiceUnavailable:
			p.Heading, p.Message = "Busy for a moment", "presale is busy or starting; try again shortly."
		case http.StatusTooManyRequests:
			p.Heading = "Slow down"
		}
		if httpErr.Code >= 500 && httpErr.Code != http.StatusServiceUnavailable {
			p.Heading, p.Message = "Something went wrong", "Something went wrong on our side. It has been logged."
		}
		return p
	}
	return pages.ErrorPage{Status: http.StatusInternalServerError, Heading: "Something went wrong", Message: "Something went wrong on our side. It has been logged; please try again."}
}

// problemJSON answers with an RFC 9457 problem document, as the API's
// own errors are.
func problemJSON(c echo.Context, p pages.ErrorPage) error {
	doc := huma.ErrorModel{Title: p.Heading, Status: p.Status, Detail: p.Message}
	for _, d := range p.Details {
		doc.Errors = append(doc.Errors, &huma.ErrorDetail{Message: d})
	}
	b, err := json.Marshal(doc)
	if err != nil {
		return err
	}
	return c.Blob(p.Status, "application/problem+json", b)
}

func wantsJSON(r *http.Request) bool {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		return true
	}
	accept := r.Header.Get("Accept")
	return strings.Contains(accept, "application/json") && !strings.Contains(accept, "text/html")
}
