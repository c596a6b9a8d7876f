package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	"github.com/presale/presale/db"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/testenv"
	"github.com/presale/presale/web"
)

// validatedResponses counts the API responses the tests held to the
// served OpenAPI description.
var validatedResponses atomic.Int64

// apiClient calls the JSON API with a token and holds every response to
// the description the server itself serves, with an independent
// validator: the description cannot drift from the behaviour.
type apiClient struct {
	t     *testing.T
	base  string
	token string
	spec  *specValidator
}

// specValidator is the served description, read once per app.
type specValidator struct {
	mu sync.Mutex
	v  validator.Validator
}

func (a *app) spec() *specValidator {
	a.t.Helper()
	resp, err := http.Get(a.http.URL + "/api/v1/openapi.json")
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		a.t.Fatalf("openapi.json: %d", resp.StatusCode)
	}
	doc, err := libopenapi.NewDocument(b)
	if err != nil {
		a.t.Fatal(err)
	}
	v, errs := validator.NewValidator(doc)
	if len(errs) > 0 {
		a.t.Fatal(errs)
	}
	if ok, verrs := v.ValidateDocument(); !ok {
		for _, e := range verrs {
			a.t.Errorf("the description itself: %s: %s", e.Message, e.Reason)
		}
		a.t.FailNow()
	}
	return &specValidator{v: v}
}

// apiToken makes a token for u and returns a client using it.
func (a *app) api(u domain.User, scope domain.TokenScope, spec *specValidator) *apiClient {
	a.t.Helper()
	_, secret, err := a.svc().People.CreateToken(context.Background(), u, domain.TokenInput{Name: "test " + u.Name, Scope: string(scope)})
	if err != nil {
		a.t.Fatal(err)
	}
	return &apiClient{t: a.t, base: a.http.URL, token: secret, spec: spec}
}

// apiResult is a response with its body read and decoded.
type apiResult struct {
	Status int
	Header http.Header
	Body   []byte
	JSON   map[string]any
}

// do sends a request (body marshalled to JSON unless nil or raw bytes),
// validates the response against the description and decodes it.
func (c *apiClient) do(method, path string, body any, headers ...string) apiResult {
	c.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			c.t.Fatal(err)
		}
		rd = bytes.NewReader(j)
	}
	req, _ := http.NewRequest(method, c.base+"/api/v1"+path, rd)
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	r := apiResult{Status: resp.StatusCode, Header: resp.Header, Body: b}
	if len(b) > 0 && b[0] == '{' {
		if err := json.Unmarshal(b, &r.JSON); err != nil {
			c.t.Fatalf("%s %s: not JSON: %s", method, path, b)
		}
	}
	if c.spec != nil {
		resp.Body = io.NopCloser(bytes.NewReader(b))
		// The validator matches the request by path; its body is spent.
		req.Body = http.NoBody
		c.spec.mu.Lock()
		ok, errs := c.spec.v.ValidateHttpResponse(req, resp)
		c.spec.mu.Unlock()
		if !ok {
			for _, e := range errs {
				c.t.Errorf("%s %s → %d does not match the description: %s: %s %v", method, path, resp.StatusCode, e.Message, e.Reason, e.SchemaValidationErrors)
			}
		}
		validatedResponses.Add(1)
	}
	return r
}

// want fails the test unless the result has the status.
func (r apiResult) want(t *testing.T, status int) apiResult {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d: %s", r.Status, status, r.Body)
	}
	return r
}

// id is the result's id.
func (r apiResult) id() int64 {
	v, _ := r.JSON["id"].(float64)
	return int64(v)
}

// items are a list result's items.
func (r apiResult) items() []map[string]any {
	raw, _ := r.JSON["items"].([]any)
	out := make([]map[string]any, len(raw))
	for i, v := range raw {
		out[i], _ = v.(map[string]any)
	}
	return out
}

func (c *apiClient) get(path string) apiResult { return c.do(http.MethodGet, path, nil) }

func (c *apiClient) post(path string, body any) apiResult {
	if body == nil {
		body = map[string]any{}
	}
	return c.do(http.MethodPost, path, body)
}

// field is a problem document's message for a body field.
func (r apiResult) field(name string) string {
	errs, _ := r.JSON["errors"].([]any)
	for _, e := range errs {
		m, _ := e.(map[string]any)
		if m["location"] == "body."+name {
			return fmt.Sprint(m["message"])
		}
	}
	return ""
}

// anyHolds reports whether any response body holds s.
func anyHolds(results []apiResult, s string) bool {
	for _, r := range results {
		if strings.Contains(string(r.Body), s) {
			return true
		}
	}
	return false
}

// The validator the API tests rely on does reject what the description
// does not allow: a drifted response would fail them.
func TestTheSpecValidatorCatchesDrift(t *testing.T) {
	a := newApp(t, testenv.Open(t, db.SQLite), web.Config{})
	spec := a.spec()
	for body, ok := range map[string]bool{
		`{"items":[]}`:                     true,
		`{"items":"none"}`:                 false,
		`{"items":[{"id":"one"}]}`:         false,
		`{"items":[],"next_cursor":false}`: false,
	} {
		req, _ := http.NewRequest(http.MethodGet, a.http.URL+"/api/v1/deals", nil)
		resp := &http.Response{StatusCode: http.StatusOK, Header: http.Header{"Content-Type": {"application/json"}},
			Body: io.NopCloser(strings.NewReader(body)), Request: req}
		if valid, _ := spec.v.ValidateHttpResponse(req, resp); valid != ok {
			t.Errorf("%s: valid=%v, want %v", body, valid, ok)
		}
	}
}

// The docs page describes every operation the served description holds,
// in presale's own page (no script from elsewhere).
func TestAPIDocsDescribeEveryOperation(t *testing.T) {
	a := newApp(t, testenv.Open(t, db.SQLite), web.Config{})
	resp, err := http.Get(a.http.URL + "/api/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		OpenAPI string                    `json:"openapi"`
		Paths   map[string]map[string]any `json:"paths"`
	}
	err = json.NewDecoder(resp.Body).Decode(&doc)
	resp.Body.Close()
	if err != nil || doc.OpenAPI != "3.1.0" || resp.Header.Get("Content-Type") != "application/openapi+json" {
		t.Fatalf("openapi.json: %v %q %q", err, doc.OpenAPI, resp.Header.Get("Content-Type"))
	}
	ops := 0
	for _, item := range doc.Paths {
		ops += len(item)
	}
	r, page := a.client().get("/docs/api")
	if r.StatusCode != http.StatusOK {
		t.Fatalf("docs: %d", r.StatusCode)
	}
	if n := page.Find(`[data-testid="api-operation"]`).Length(); n != ops || ops < 40 {
		t.Errorf("the docs show %d operations; the description has %d", n, ops)
	}
	if page.Find(`script[src^="http"]`).Length() != 0 {
		t.Error("the docs load a script from elsewhere")
	}
	t.Logf("%d operations", ops)
}
