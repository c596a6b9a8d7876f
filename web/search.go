package web

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/presale/presale/views/pages"
)

// search is the one search box: a page, or for htmx as the user types,
// just the results.
func (h *deskHandlers) search(c echo.Context) error {
	q := strings.TrimSpace(c.QueryParam("q"))
	results, err := h.svc.Desk.Search(c.Request().Context(), signedIn(c), q)
	if err != nil {
		return err
	}
	v := pages.SearchView{Q: q, Results: results, Slow: !h.svc.Desk.SearchIndexed(c.Request().Context())}
	if c.Request().Header.Get("HX-Request") == "true" && c.Request().Header.Get("HX-Target") == "quick-results" {
		return h.site.render(c, http.StatusOK, pages.SearchResults(h.site.shell(c, "Search"), v, "quick-results"))
	}
	return h.site.render(c, http.StatusOK, pages.Search(h.site.shell(c, "Search"), v))
}
