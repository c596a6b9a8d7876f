package web

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humaecho"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
	"github.com/presale/presale/internal/service"
	"golang.org/x/time/rate"
)

// The JSON API lives under apiBase. It authenticates by personal token
// only: a session cookie is no credential there, so no CSRF token is
// needed and none is checked. Its operations call the same service
// methods, under the same policy, as the pages.
const apiBase = "/api/v1"

// isAPI reports whether a request is for the JSON API.
func isAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, apiBase+"/") }

// apiUserKey holds the token's user on an operation's context.
type apiUserKey struct{}

// apiUser is whom the request's token acts as.
func apiUser(ctx context.Context) domain.User { return ctx.Value(apiUserKey{}).(domain.User) }

// APIRate is how fast one token may call: a burst, then a steady rate.
type APIRate struct {
	Every time.Duration
	Burst int
}

// DefaultAPIRate lets a script make 100 calls at once, then 10 a second.
var DefaultAPIRate = APIRate{Every: 100 * time.Millisecond, Burst: 100}

// newAPI mounts the API on the server's router and describes it.
func (s *Server) newAPI() huma.API {
	version := s.cfg.Version
	if version == "" {
		version = "dev"
	}
	cfg := huma.DefaultConfig("presale", version)
	cfg.Info.Description = "Pre-sale engagements: deals, meetings, DevRel support, the pre-meeting sync, offers held in reserve and promises. " +
		"Authenticate with a personal API token from your settings page, sent as “Authorization: Bearer presale_…”. " +
		"A token acts exactly as its person; a read-only token may only read."
	cfg.CreateHooks = nil // no $schema links in bodies
	cfg.OpenAPIPath, cfg.DocsPath, cfg.SchemasPath = "", "", ""
	cfg.Servers = []*huma.Server{{URL: apiBase}}
	cfg.Components.SecuritySchemes = map[string]*huma.SecurityScheme{
		"token": {Type: "http", Scheme: "bearer", Description: "A personal API token (presale_…), made on the settings page."},
	}
	cfg.Security = []map[string][]string{{"token": {}}}
	api := humaecho.NewWithGroup(s.echo, s.echo.Group(apiBase), cfg)
	every := s.cfg.APIRate
	if every.Burst == 0 {
		every = DefaultAPIRate
	}
	limits := middleware.NewRateLimiterMemoryStoreWithConfig(middleware.RateLimiterMemoryStoreConfig{
		Rate: rate.Every(every.Every), Burst: every.Burst, ExpiresIn: 10 * time.Minute})
	api.UseMiddleware(s.apiAuth(api, limits))
	s.apiRoutes(api)
	s.apiReference = apiReference(api.OpenAPI())
	doc, err := json.Marshal(api.OpenAPI())
	if err != nil {
		panic(err) // the description is built from Go types at start
	}
	s.openAPI = doc
	return api
}

// openAPIDoc serves the API's description.
func (s *Server) openAPIDoc(c echo.Context) error {
	return c.Blob(http.StatusOK, "application/openapi+json", s.openAPI)
}

// apiAuth lets a request in on a live token: 401 without one, 429 over
// its rate, 403 for a read-only token that writes.
func (s *Server) apiAuth(api huma.API, limits *middleware.RateLimiterMemoryStore) func(huma.Context, func(huma.Context)) {
	return func(ctx huma.Context, next func(huma.Context)) {
		// The scheme is case-insensitive (RFC 9110, section 11.1).
		scheme, secret, ok := strings.Cut(strings.TrimSpace(ctx.Header("Authorization")), " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") {
			ctx.SetHeader("WWW-Authenticate", `Bearer realm="presale"`)
			_ = huma.WriteErr(api, ctx, http.StatusUnauthorized, "Send a personal API token as “Authorization: Bearer presale_…”; make one on your settings page.")
			return
		}
		u, t, err := s.svc.People.TokenUser(ctx.Context(), strings.TrimSpace(secret))
		if err != nil {
			if !errors.Is(err, domain.ErrUnauthorized) {
				s.log.Error("API token", "err", err)
				_ = huma.WriteErr(api, ctx, http.StatusInternalServerError, "Something went wrong on our side. It has been logged.")
				return
			}
			ctx.SetHeader("WWW-Authenticate", `Bearer realm="presale", error="invalid_token"`)
			_ = huma.WriteErr(api, ctx, http.StatusUnauthorized, "This token is unknown, revoked or expired, or its person can no longer sign in.")
			return
		}
		c := humaecho.Unwrap(ctx)
		c.Set(ctxUser, &u) // for the request log
		if allowed, _ := limits.Allow(strconv.FormatInt(t.ID, 10)); !allowed {
			ctx.SetHeader("Retry-After", "1")
			_ = huma.WriteErr(api, ctx, http.StatusTooManyRequests, "This token is calling too fast. Wait a second and try again.")
			return
		}
		if !t.Allows(ctx.Method() != http.MethodGet && ctx.Method() != http.MethodHead) {
			_ = huma.WriteErr(api, ctx, http.StatusForbidden, "This token may only read. Make a read and write token to change things.")
			return
		}
		next(huma.WithValue(huma.WithContext(ctx, service.Reading(ctx.Context(), u)), apiUserKey{}, u))
	}
}

// apiProblem turns an error from the service into the API's RFC 9457
// problem document, with what the pages would say; field errors name the
// field in the body.
func (s *Server) apiProblem(err error) error {
	if err == nil {
		return nil
	}
	var already huma.StatusError
	if errors.As(err, &already) {
		return err
	}
	p := classify(err, time.UTC)
	if p.Status == http.StatusInternalServerError {
		s.log.Error("API request failed", "err", err)
	}
	m := &huma.ErrorModel{Status: p.Status, Title: p.Heading, Detail: p.Message}
	var (
		staleDeal *service.StaleDealError
		stale     *service.StaleError
	)
	switch {
	case errors.As(err, &staleDeal):
		m.Detail = staleDeal.Error()
		m.Errors = append(m.Errors, &huma.ErrorDetail{Location: "body.version", Message: "The deal is now at this version.", Value: staleDeal.Current.Version})
	case errors.As(err, &stale):
		m.Errors = append(m.Errors, &huma.ErrorDetail{Location: "body.version", Message: "It is now at this version.", Value: stale.Version})
	}
	var invalid domain.ValidationErrors
	if errors.As(err, &invalid) {
		fields := make([]string, 0, len(invalid))
		for f := range invalid {
			fields = append(fields, f)
		}
		sort.Strings(fields)
		for _, f := range fields {
			m.Errors = append(m.Errors, &huma.ErrorDetail{Location: "body." + f, Message: invalid[f]})
		}
		return m
	}
	for _, d := range p.Details {
		m.Errors = append(m.Errors, &huma.ErrorDetail{Message: d})
	}
	if p.Status == http.StatusServiceUnavailable {
		return huma.ErrorWithHeaders(m, http.Header{"Retry-After": {retryAfter}})
	}
	return m
}

// Errors the operations may answer, as the description lists them.
var (
	readErrors  = []int{http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound, http.StatusUnprocessableEntity, http.StatusTooManyRequests, http.StatusInternalServerError}
	writeErrors = append([]int{http.StatusConflict, http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType}, readErrors...)
)

// operation registers one API operation; the handler's errors become
// problem documents. The method "CREATE" is a POST that answers 201.
func operation[I, O any](s *Server, api huma.API, method, path, id, summary string, h func(context.Context, *I) (*O, error)) {
	// Huma appends to Errors: each operation gets its own copy.
	op := huma.Operation{OperationID: id, Method: method, Path: path, Summary: summary, Errors: slices.Clone(readErrors),
		Tags: []string{strings.Split(strings.TrimPrefix(path, "/"), "/")[0]}}
	if method == methodCreate {
		op.Method, op.DefaultStatus = http.MethodPost, http.StatusCreated
		if _, ok := reflect.TypeFor[O]().FieldByName("Location"); !ok {
			panic(id + ": a 201 says where the new thing is: answer with created") // at start, in every test
		}
	}
	if op.Method != http.MethodGet {
		op.Errors = slices.Clone(writeErrors)
	}
	huma.Register(api, op, func(ctx context.Context, in *I) (*O, error) {
		out, err := h(ctx, in)
		return out, s.apiProblem(err)
	})
}

// methodCreate registers a POST that creates something: 201 Created, with
// the new thing's address in Location.
const methodCreate = "CREATE"

// created is a new thing: where it is, its version, and itself.
type created[T any] struct {
	Location string `header:"Location" doc:"The new thing's address."`
	ETag     string `header:"ETag"`
	Body     T
}

// createdAt answers a create with the address of what it made, path
// (under the API's base) and its id.
func createdAt[T any](path string, id int64, t *tagged[T]) *created[T] {
	return &created[T]{Location: apiBase + path + strconv.FormatInt(id, 10), ETag: t.ETag, Body: t.Body}
}

// Cursors are opaque to clients: a list's next page, base64 of JSON.
type cursor struct {
	After int64 `json:"a,omitempty"` // the last id seen (lists by id)
	Page  int   `json:"p,omitempty"` // the next page (lists in another order)
	Size  int   `json:"s,omitempty"`
}

func (c cursor) String() string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

// parseCursor reads a cursor; an empty one is the first page.
func parseCursor(s string) (cursor, error) {
	var c cursor
	if s == "" {
		return c, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err != nil || c.After < 0 || c.Page < 0 || c.Size < 0 {
		return c, huma.Error422UnprocessableEntity("This cursor is not one presale gave out; start again without it.",
			&huma.ErrorDetail{Location: "query.cursor", Message: "not a cursor presale gave out", Value: s})
	}
	return c, nil
}

// Paging is the shared input of every list: its page.
type Paging struct {
	Cursor string `query:"cursor" doc:"The next_cursor of the previous page; empty for the first."`
	Limit  int    `query:"limit" minimum:"1" maximum:"200" default:"25" doc:"How many items a page holds."`
}

// page is the list's page from its cursor, for lists not ordered by id.
func (p Paging) page() (read.Page, error) {
	c, err := parseCursor(p.Cursor)
	if err != nil {
		return read.Page{}, err
	}
	if c.Page > 0 {
		return read.Page{Number: c.Page, Size: c.Size}, nil
	}
	return read.Page{Number: 1, Size: p.Limit}, nil
}

// next is the cursor after page pg of n rows when total rows match.
func next(pg read.Page, n int, total int64) string {
	if n == 0 || int64(pg.Offset()+n) >= total {
		return ""
	}
	return cursor{Page: pg.Number + 1, Size: pg.Limit()}.String()
}

// list is a page of items and where the next begins.
type list[T any] struct {
	Body struct {
		Items      []T    `json:"items" nullable:"false"`
		NextCursor string `json:"next_cursor,omitempty" doc:"Pass as cursor for the next page; absent on the last."`
	}
}

func listOf[T any](items []T, nextCursor string) *list[T] {
	l := &list[T]{}
	l.Body.Items, l.Body.NextCursor = items, nextCursor
	if l.Body.Items == nil {
		l.Body.Items = []T{}
	}
	return l
}

// mapped converts each row.
func mapped[R, T any](rows []R, f func(R) T) []T {
	out := make([]T, len(rows))
	for i, r := range rows {
		out[i] = f(r)
	}
	return out
}

// IDParam is the input of an operation on one thing.
type IDParam struct {
	ID int64 `path:"id" minimum:"1"`
}

// VersionCheck carries the version an update expects: If-Match (the ETag)
// or the body's version.
type VersionCheck struct {
	IfMatch string `header:"If-Match" doc:"The ETag of what you read; or send version in the body."`
}

// expected is the version an update was based on: the If-Match ETag, else
// the body's. Neither is a 428-style refusal in the pages' words.
func (v VersionCheck) expected(body *int64) (int64, error) {
	if tag := strings.Trim(strings.TrimPrefix(strings.TrimSpace(v.IfMatch), "W/"), `"`); tag != "" {
		n, err := strconv.ParseInt(tag, 10, 64)
		if err != nil || n < 1 {
			return 0, huma.Error422UnprocessableEntity("If-Match must be an ETag this API gave out, such as \"3\".")
		}
		return n, nil
	}
	if body != nil && *body >= 0 {
		return *body, nil
	}
	return 0, huma.Error422UnprocessableEntity("Say which version you changed: send If-Match with the ETag you read, or version in the body.",
		&huma.ErrorDetail{Location: "body.version", Message: "required unless If-Match is sent"})
}

// tagged is one thing, with its version as its ETag.
type tagged[T any] struct {
	ETag string `header:"ETag"`
	Body T
}

func withETag[T any](version int64, body T) *tagged[T] {
	return &tagged[T]{ETag: etag(version), Body: body}
}

// etag is the ETag of a version.
func etag(version int64) string { return `"` + strconv.FormatInt(version, 10) + `"` }

// date writes a calendar date, or nothing.
func date(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := t.Format(domain.DateLayout)
	return &s
}

// str reads an optional string field over what is there.
func str(dst *string, v *string) {
	if v != nil {
		*dst = *v
	}
}

// idString writes an id as the forms type it.
func idString(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}
