package web_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/presale/presale/db"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/service"
	"github.com/presale/presale/internal/store"
	"github.com/presale/presale/internal/testenv"
	"github.com/presale/presale/web"
)

func TestMain(m *testing.M) {
	testenv.Main(m, func() {
		if n := validatedResponses.Load(); n > 0 {
			fmt.Printf("API: %d responses validated against the served OpenAPI description\n", n)
		}
	})
}

const password = testenv.Password

// app is the real server over a real database, with one user per role.
type app struct {
	t        *testing.T
	db       *db.DB
	srv      *web.Server
	http     *httptest.Server
	users    map[domain.Role]domain.User
	config   web.Config
	password string         // when not the default test password
	world    *testenv.World // the organisation, built the way every package's tests build it
}

func newApp(t *testing.T, d *db.DB, cfg web.Config, clock ...func() time.Time) *app {
	t.Helper()
	a := &app{t: t, db: d, users: map[domain.Role]domain.User{}, config: cfg, world: testenv.NewWorld(t, d, clock...)}
	for _, r := range domain.Roles {
		a.users[r] = a.world.User("Test "+r.Label(), r, testenv.Email(string(r)+"@example.com"))
	}
	a.srv = web.New(cfg, a.world.Svc, a.world.Store.Sessions(), d.Ready, nil)
	a.http = httptest.NewServer(a.srv)
	t.Cleanup(a.http.Close)
	return a
}

// client is a browser without JavaScript: a cookie jar, no redirects
// followed, so each answer can be checked.
type client struct {
	t    *testing.T
	base string
	c    *http.Client
	tok  string // the session's CSRF token, once read
}

func (a *app) client() *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: a.t, base: a.http.URL, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

// signedIn returns a client signed in as the user of role r.
func (a *app) signedIn(r domain.Role) *client {
	c := a.client()
	resp, _ := c.post("/login", url.Values{"email": {a.users[r].Email}, "password": {password}}, c.csrf("/login"))
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/" {
		a.t.Fatalf("sign-in as %s: %d %s", r, resp.StatusCode, resp.Header.Get("Location"))
	}
	return c
}

func (c *client) get(path string) (*http.Response, *goquery.Document) {
	c.t.Helper()
	resp, err := c.c.Get(c.base + path)
	if err != nil {
		c.t.Fatal(err)
	}
	return resp, doc(c.t, resp)
}

func (c *client) post(path string, form url.Values, token string) (*http.Response, *goquery.Document) {
	c.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if token != "" {
		form.Set("_csrf", token)
	}
	resp, err := c.c.PostForm(c.base+path, form)
	if err != nil {
		c.t.Fatal(err)
	}
	return resp, doc(c.t, resp)
}

// csrf reads the token from a page's form, as a browser would submit it.
func (c *client) csrf(path string) string {
	c.t.Helper()
	_, d := c.get(path)
	tok, ok := d.Find(`input[name="_csrf"]`).First().Attr("value")
	if !ok || tok == "" {
		c.t.Fatalf("no CSRF token on %s", path)
	}
	return tok
}

func (c *client) cookie(name string) string {
	u, _ := url.Parse(c.base)
	for _, k := range c.c.Jar.Cookies(u) {
		if k.Name == name {
			return k.Value
		}
	}
	return ""
}

func doc(t *testing.T, resp *http.Response) *goquery.Document {
	t.Helper()
	defer resp.Body.Close()
	d, err := goquery.NewDocumentFromReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func sessionRows(t *testing.T, d *db.DB, token string) int64 {
	var n int64
	q := d.Read.Table("sessions")
	if token != "" {
		q = q.Where("token = ?", token)
	}
	if err := q.Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func TestSignInShowsMyDeskAndSignOutKillsTheSession(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		a := newApp(t, d, web.Config{})
		c := a.client()
		token := c.csrf("/login")
		anonymous := c.cookie("presale_session")

		resp, _ := c.post("/login", url.Values{"email": {"SALES@example.com"}, "password": {password}}, token)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/" {
			t.Fatalf("sign-in answered %d → %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		signedIn := c.cookie("presale_session")
		if signedIn == "" || signedIn == anonymous {
			t.Fatal("the session token was not renewed at sign-in")
		}
		if sessionRows(t, d, anonymous) != 0 {
			t.Fatal("the pre-sign-in session survived")
		}

		resp, page := c.get("/")
		if resp.StatusCode != http.StatusOK || page.Find(`[data-testid="desk"]`).Text() != "My desk" {
			t.Fatalf("desk: %d %q", resp.StatusCode, page.Find("h1").Text())
		}
		if who := page.Find(`[data-testid="whoami"]`).Text(); !strings.Contains(who, "Test Sales") {
			t.Fatalf("signed-in user not shown: %q", who)
		}
		// The old CSRF token died with the anonymous session.
		if resp, _ := c.post("/logout", nil, token); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("logout with the pre-sign-in token answered %d", resp.StatusCode)
		}
		tok, _ := page.Find(`[data-testid="whoami"] input[name="_csrf"]`).Attr("value")
		resp, _ = c.post("/logout", nil, tok)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login" {
			t.Fatalf("logout answered %d → %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		if sessionRows(t, d, signedIn) != 0 {
			t.Fatal("the signed-in session is still stored after sign-out")
		}
		_, page = c.get("/login")
		if !strings.Contains(page.Find(`[data-testid="flash"]`).Text(), "signed out") {
			t.Fatal("no confirmation of sign-out")
		}

		// Replaying the old cookie gets nowhere.
		replay := a.client()
		u, _ := url.Parse(a.http.URL)
		replay.c.Jar.SetCookies(u, []*http.Cookie{{Name: "presale_session", Value: signedIn}})
		if resp, _ := replay.get("/"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
			t.Fatalf("old cookie after sign-out: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
	})
}

func TestWrongPasswordIsGenericAndCreatesNoSession(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		a := newApp(t, d, web.Config{})
		var messages []string
		for _, creds := range [][2]string{{"sales@example.com", "wrong password!"}, {"nobody@example.com", password}} {
			c := a.client()
			token := c.csrf("/login")
			before := sessionRows(t, d, "")
			resp, page := c.post("/login", url.Values{"email": {creds[0]}, "password": {creds[1]}}, token)
			if resp.StatusCode != http.StatusUnauthorized {
				t.Fatalf("%s: status %d", creds[0], resp.StatusCode)
			}
			if v, _ := page.Find(`input[name="email"]`).Attr("value"); v != creds[0] {
				t.Fatalf("typed e-mail not kept: %q", v)
			}
			if after := sessionRows(t, d, ""); after != before {
				t.Fatalf("sessions %d → %d after a refused sign-in", before, after)
			}
			if resp, _ := c.get("/"); resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("a refused sign-in reached the desk: %d", resp.StatusCode)
			}
			messages = append(messages, page.Find(`[data-testid="login-error"]`).Text())
		}
		if messages[0] == "" || messages[0] != messages[1] {
			t.Fatalf("messages differ or are empty: %q", messages)
		}
	})
}

// Every state-changing route, whatever it is, refuses a request without
// the session's CSRF token, or with another one. The API's routes take no
// session at all: a signed-in browser's cookie gets 401 there.
func TestEveryPOSTRouteRequiresTheCSRFToken(t *testing.T) {
	a := newApp(t, testenv.Open(t, db.SQLite), web.Config{})
	c := a.signedIn(domain.RoleManager)
	checked := 0
	for _, r := range a.srv.Routes() {
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions, "CONNECT", "TRACE", "PROPFIND", "REPORT":
			continue
		}
		path := strings.NewReplacer(":id", "1", ":token", "x", "*", "x").Replace(r.Path)
		for _, token := range []string{"", "not-the-token"} {
			req, _ := http.NewRequest(r.Method, a.http.URL+path, strings.NewReader(url.Values{"_csrf": {token}}.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			resp, err := c.c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			want := http.StatusForbidden
			switch {
			case strings.HasPrefix(r.Path, "/api/"):
				want = http.StatusUnauthorized
			case strings.HasPrefix(r.Path, "/email/unsubscribe/"):
				want = http.StatusNotFound // the address's token is its credential, and "x" is none
			}
			if resp.StatusCode != want {
				t.Errorf("%s %s with token %q answered %d, want %d", r.Method, r.Path, token, resp.StatusCode, want)
			}
		}
		checked++
	}
	if checked < 2 {
		t.Fatalf("only %d state-changing routes found", checked)
	}
	// The header works as well as the field.
	_, page := c.get("/")
	tok, _ := page.Find(`[data-testid="whoami"] input[name="_csrf"]`).Attr("value")
	req, _ := http.NewRequest(http.MethodPost, a.http.URL+"/logout", nil)
	req.Header.Set("X-CSRF-Token", tok)
	resp, err := c.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout with the header token answered %d", resp.StatusCode)
	}
}

func TestMyDeskIsShapedByRole(t *testing.T) {
	a := newApp(t, testenv.Open(t, db.SQLite), web.Config{})
	want := map[domain.Role][]string{
		domain.RoleSales:   {"desk-meetings", "desk-review", "desk-uncovered"},
		domain.RoleDevRel:  {"desk-requests", "desk-deals", "desk-sync"},
		domain.RoleManager: {"desk-coverage", "desk-risk"},
	}
	for role, panels := range want {
		_, page := a.signedIn(role).get("/")
		for _, p := range panels {
			if page.Find(`[data-testid="`+p+`"]`).Length() != 1 {
				t.Errorf("%s desk lacks %s", role, p)
			}
		}
		if role != domain.RoleManager && page.Find(`[data-testid="desk-coverage"]`).Length() != 0 {
			t.Errorf("%s desk shows the manager's coverage", role)
		}
		if nav := page.Find(`[data-testid="nav"] a`).First().Text(); nav != "My desk" {
			t.Errorf("%s navigation starts with %q", role, nav)
		}
	}
}

func TestErrorPagesAndJSONErrors(t *testing.T) {
	a := newApp(t, testenv.Open(t, db.SQLite), web.Config{})
	c := a.signedIn(domain.RoleSales)
	resp, page := c.get("/no-such-page")
	if resp.StatusCode != http.StatusNotFound || page.Find(`[data-testid="error"]`).AttrOr("data-status", "") != "404" {
		t.Fatalf("404 page: %d", resp.StatusCode)
	}
	if page.Find(`[data-testid="whoami"]`).Length() != 1 {
		t.Fatal("the error page forgot who is signed in")
	}
	req, _ := http.NewRequest(http.MethodGet, a.http.URL+"/no-such-page", nil)
	req.Header.Set("Accept", "application/json")
	resp, err := c.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound || resp.Header.Get("Content-Type") != "application/problem+json" {
		t.Fatalf("JSON 404: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}

func TestSignInReturnsToTheAskedPageButNeverOffSite(t *testing.T) {
	a := newApp(t, testenv.Open(t, db.SQLite), web.Config{})
	c := a.client()
	resp, _ := c.get("/?from=mail")
	if loc := resp.Header.Get("Location"); loc != "/login?next=%2F%3Ffrom%3Dmail" {
		t.Fatalf("anonymous desk → %q", loc)
	}
	for next, want := range map[string]string{"/?from=mail": "/?from=mail", "//evil.example/": "/", "https://evil.example/": "/", `/\evil.example`: "/"} {
		c := a.client()
		resp, _ := c.post("/login", url.Values{"email": {"sales@example.com"}, "password": {password}, "next": {next}}, c.csrf("/login"))
		if got := resp.Header.Get("Location"); got != want {
			t.Errorf("next=%q → %q, want %q", next, got, want)
		}
	}
}

func TestSessionCookieFlags(t *testing.T) {
	for base, secure := range map[string]bool{"": false, "https://presale.example": true} {
		a := newApp(t, testenv.Open(t, db.SQLite), web.Config{BaseURL: base})
		resp, err := http.Get(a.http.URL + "/login")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		var k *http.Cookie
		for _, c := range resp.Cookies() {
			if c.Name == "presale_session" {
				k = c
			}
		}
		if k == nil || !k.HttpOnly || k.SameSite != http.SameSiteLaxMode || k.Secure != secure {
			t.Fatalf("base %q: cookie %+v", base, k)
		}
	}
}

func TestHealthAndReadiness(t *testing.T) {
	d := testenv.Open(t, db.SQLite)
	a := newApp(t, d, web.Config{})
	for path, want := range map[string]int{"/healthz": 200, "/readyz": 200} {
		resp, err := http.Get(a.http.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("%s: %d", path, resp.StatusCode)
		}
	}
	st := store.New(d.Write, d.Read)
	notReady := web.New(web.Config{}, service.New(st), st.Sessions(), func(context.Context) error { return errors.New("migration 2 not applied") }, nil)
	rec := httptest.NewRecorder()
	notReady.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/readyz", nil))
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "migration 2") {
		t.Fatalf("not ready: %d %q", rec.Code, rec.Body.String())
	}
}

func TestInactiveUserIsSignedOut(t *testing.T) {
	d := testenv.Open(t, db.SQLite)
	a := newApp(t, d, web.Config{})
	c := a.signedIn(domain.RoleDevRel)
	if err := d.Write.Table("users").Where("id = ?", a.users[domain.RoleDevRel].ID).Update("active", false).Error; err != nil {
		t.Fatal(err)
	}
	if resp, _ := c.get("/"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("a deactivated user still reaches the desk: %d", resp.StatusCode)
	}
}

func TestSignInAttemptsAreLimited(t *testing.T) {
	a := newApp(t, testenv.Open(t, db.SQLite), web.Config{})
	c := a.client()
	token := c.csrf("/login")
	statuses := map[int]int{}
	for range 12 {
		resp, _ := c.post("/login", url.Values{"email": {"sales@example.com"}, "password": {"guess guess guess"}}, token)
		statuses[resp.StatusCode]++
	}
	if statuses[http.StatusUnauthorized] != 10 || statuses[http.StatusTooManyRequests] != 2 {
		t.Fatalf("statuses %v, want 10 refusals then 2 slow-downs", statuses)
	}
}

func TestMetrics(t *testing.T) {
	a := newApp(t, testenv.Open(t, db.SQLite), web.Config{})
	for range 3 {
		resp, _ := http.Get(a.http.URL + "/healthz")
		resp.Body.Close()
	}
	resp, _ := a.signedIn(domain.RoleSales).get("/deals/999")
	if resp.StatusCode != http.StatusNotFound {
		t.Fatal(resp.StatusCode)
	}
	resp, err := http.Get(a.http.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{
		`presale_http_requests_total{method="GET",route="/healthz",status="200"} 3`,
		`presale_http_requests_total{method="GET",route="/deals/:id",status="404"} 1`,
		`presale_http_request_duration_seconds_bucket`, `go_goroutines`,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("metrics lack %s", want)
		}
	}

	guarded := newApp(t, testenv.Open(t, db.SQLite), web.Config{MetricsToken: "s3cret"})
	for token, want := range map[string]int{"": http.StatusUnauthorized, "Bearer wrong": http.StatusUnauthorized, "Bearer s3cret": http.StatusOK} {
		req, _ := http.NewRequest(http.MethodGet, guarded.http.URL+"/metrics", nil)
		if token != "" {
			req.Header.Set("Authorization", token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("token %q: %d, want %d", token, resp.StatusCode, want)
		}
	}
}
