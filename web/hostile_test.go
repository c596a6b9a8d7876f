package web_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/presale/presale/db"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/service"
	"github.com/presale/presale/internal/testenv"
	"github.com/presale/presale/web"
)

// do sends one request with a signed-in client's cookies.
func (c *client) do(method, path string, body io.Reader) *http.Response {
	c.t.Helper()
	req, _ := http.NewRequest(method, c.base+path, body)
	if body != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := c.c.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	return resp
}

func TestSignInOnlyReturnsToThisSite(t *testing.T) {
	a := newApp(t, testenv.Open(t, db.SQLite), web.Config{})
	for _, next := range []string{"/%09/evil.example/x", "//evil.example", "/%5Cevil.example", "https:%2F%2Fevil.example", "/%0a/evil.example", "%2F%2Fevil.example"} {
		c := a.client()
		_, page := c.get("/login?next=" + next)
		if got := value(page, "next"); got != "/" && got != "" {
			t.Errorf("the sign-in form for next=%s carries %q", next, got)
		}
		raw, _ := url.QueryUnescape(next)
		resp, _ := c.post("/login", url.Values{"email": {a.users[domain.RoleSales].Email}, "password": {password}, "next": {raw}}, c.csrf("/login"))
		if loc := location(t, resp, http.StatusSeeOther); loc != "/" {
			t.Errorf("next=%q led to %q", raw, loc)
		}
	}
	// A safe next is kept.
	c := a.client()
	resp, _ := c.post("/login", url.Values{"email": {a.users[domain.RoleSales].Email}, "password": {password}, "next": {"/deals?stage=discovery"}}, c.csrf("/login"))
	if loc := location(t, resp, http.StatusSeeOther); loc != "/deals?stage=discovery" {
		t.Errorf("a safe next led to %q", loc)
	}
	// An over-long address is not carried into the Location header.
	resp = a.client().do(http.MethodGet, "/deals?q="+strings.Repeat("a", 6000), nil)
	resp.Body.Close()
	if loc := location(t, resp, http.StatusSeeOther); loc != "/login" {
		t.Errorf("an over-long address led to a Location of %d bytes", len(loc))
	}
}

func TestCoverageCSVNeutralisesFormulas(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		a := newApp(t, d, web.Config{})
		ctx := context.Background()
		names := []string{`=HYPERLINK("http://evil.example","x")`, "+1+2", "-3+4", "@SUM(A1)"}
		for i, name := range names {
			u, err := a.svc().People.CreateUser(ctx, nil, service.NewUser{Name: name, Email: fmt.Sprintf("f%d@example.com", i), Role: domain.RoleSales, Password: password})
			if err != nil {
				t.Fatal(err)
			}
			acc, _ := a.account(fmt.Sprintf("Acct %d", i))
			a.deal(u, acc.ID, "=cmd|' /C calc'!A0")
		}
		resp := a.signedIn(domain.RoleManager).do(http.MethodGet, "/coverage.csv", nil)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		records, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\uFEFF")))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		found := 0
		for _, r := range records[1:] {
			for _, cell := range r {
				if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
					t.Errorf("cell %q would run as a formula", cell)
				}
			}
			for _, name := range names {
				if r[0] == "'"+name {
					found++
				}
			}
		}
		if found < len(names) {
			t.Fatalf("%d of %d hostile names found, neutralised: %q", found, len(names), records)
		}
	})
}

func TestUnknownMethodsAndMetricsLabels(t *testing.T) {
	a := newApp(t, testenv.Open(t, db.SQLite), web.Config{})
	c := a.signedIn(domain.RoleManager)
	for method, want := range map[string]int{"PUT": 405, "DELETE": 405, "PATCH": 405, "OPTIONS": 204, "FOO": 501, "PROPFIND": 501, "X-EVIL-1": 501} {
		resp := c.do(method, "/deals", nil)
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("%s /deals answered %d, want %d", method, resp.StatusCode, want)
		}
		if want != 501 && resp.Header.Get("Allow") != "GET, HEAD, POST, OPTIONS" {
			t.Errorf("%s: Allow %q", method, resp.Header.Get("Allow"))
		}
	}
	c.do(http.MethodHead, "/deals", nil).Body.Close()
	resp := c.do(http.MethodGet, "/metrics", nil)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("metrics from loopback: %d", resp.StatusCode)
	}
	for _, l := range strings.Split(string(body), "\n") {
		if strings.HasPrefix(l, "presale_http_requests_total{") {
			i := strings.Index(l, `method="`) + len(`method="`)
			method := l[i : i+strings.IndexByte(l[i:], '"')]
			if !strings.Contains(" GET HEAD POST PUT PATCH DELETE OPTIONS CONNECT TRACE other ", " "+method+" ") {
				t.Errorf("metrics label method=%q", method)
			}
		}
	}
	if !strings.Contains(string(body), `method="HEAD"`) {
		t.Error("HEAD requests are not counted as HEAD")
	}
}

func TestMetricsAreNotOpenToTheInternet(t *testing.T) {
	get := func(cfg web.Config, auth string) int {
		a := newApp(t, testenv.Open(t, db.SQLite), cfg)
		req, _ := http.NewRequest(http.MethodGet, a.http.URL+"/metrics", nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	elsewhere := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	cases := []struct {
		name string
		cfg  web.Config
		auth string
		want int
	}{
		{"loopback by default", web.Config{}, "", 200},
		{"a client outside the allowed networks", web.Config{MetricsNetworks: elsewhere}, "", 404},
		{"with the token from anywhere", web.Config{MetricsNetworks: elsewhere, MetricsToken: "s3cret"}, "Bearer s3cret", 200},
		{"a wrong token from outside", web.Config{MetricsNetworks: elsewhere, MetricsToken: "s3cret"}, "Bearer guess", 404},
		{"no token on an allowed network when one is set", web.Config{MetricsToken: "s3cret"}, "", 401},
	}
	for _, c := range cases {
		if got := get(c.cfg, c.auth); got != c.want {
			t.Errorf("%s: %d, want %d", c.name, got, c.want)
		}
	}
}

// Every GET route answers HEAD with the GET's status and headers, its
// Content-Length the GET body's, and no body (RFC 9110).
func TestHeadOnEveryGetRoute(t *testing.T) {
	a := newApp(t, testenv.Open(t, db.SQLite), web.Config{})
	sales, devrel := a.users[domain.RoleSales], a.users[domain.RoleDevRel]
	acc, contacts := a.account("Northwind", "Ines")
	deal := a.deal(sales, acc.ID, "Fleet")
	a.assign(deal.ID, devrel)
	m := a.meeting(sales, deal.ID, "Demo", 30, devrel)
	_ = m
	c := a.signedIn(domain.RoleManager)
	checked := 0
	for _, r := range a.srv.Routes() {
		if r.Method != http.MethodGet || strings.Contains(r.Path, "*") {
			continue
		}
		path := strings.NewReplacer(":id", fmt.Sprint(deal.ID), ":file", a.users[domain.RoleManager].CalendarToken+".ics").Replace(r.Path)
		if strings.HasPrefix(r.Path, "/contacts/:id") {
			path = strings.Replace(r.Path, ":id", fmt.Sprint(contacts[0].ID), 1)
		}
		get := c.do(http.MethodGet, path, nil)
		getBody, _ := io.ReadAll(get.Body)
		get.Body.Close()
		head := c.do(http.MethodHead, path, nil)
		headBody, _ := io.ReadAll(head.Body)
		head.Body.Close()
		if head.StatusCode != get.StatusCode || len(headBody) != 0 || head.Header.Get("Content-Type") != get.Header.Get("Content-Type") {
			t.Errorf("HEAD %s: %d %q with %d body bytes; GET: %d %q (%d bytes)", path, head.StatusCode, head.Header.Get("Content-Type"),
				len(headBody), get.StatusCode, get.Header.Get("Content-Type"), len(getBody))
		}
		// The length the GET's body has, never a 0 for a body (RFC 9110,
		// 8.6); the metrics grow between the two requests.
		if length := head.Header.Get("Content-Length"); length != strconv.Itoa(len(getBody)) && path != "/metrics" {
			t.Errorf("HEAD %s: Content-Length %q; the GET's body has %d bytes", path, length, len(getBody))
		}
		checked++
	}
	if checked < 20 {
		t.Fatalf("only %d GET routes", checked)
	}
}

// A megabyte typed into any free-text field is refused with a message
// beside it, and nothing grows.
func TestFreeTextHasLimits(t *testing.T) {
	a := newApp(t, testenv.Open(t, db.SQLite), web.Config{})
	sales, devrel := a.users[domain.RoleSales], a.users[domain.RoleDevRel]
	acc, _ := a.account("Northwind")
	deal := a.deal(sales, acc.ID, "Fleet")
	a.assign(deal.ID, devrel)
	m := a.meeting(sales, deal.ID, "Demo", 30, devrel)
	huge := strings.Repeat("x", 1<<20)
	c := a.signedIn(domain.RoleSales)
	cases := []struct {
		path  string
		form  url.Values
		field string
	}{
		{fmt.Sprintf("/deals/%d/meetings", deal.ID), url.Values{"title": {huge}, "type": {"demo"}, "starts_at": {"2099-01-01T10:00"}, "ends_at": {"2099-01-01T11:00"}}, "title"},
		{fmt.Sprintf("/meetings/%d/questions", m.ID), url.Values{"category": {"security"}, "text": {huge}}, "text"},
		{"/accounts", url.Values{"name": {"Big"}, "notes": {huge}}, "notes"},
		{fmt.Sprintf("/deals/%d", deal.ID), url.Values{"title": {"Fleet"}, "account_id": {fmt.Sprint(acc.ID)}, "stage": {"discovery"}, "technical_status": {"not_started"}, "currency": {"USD"}, "description": {huge}, "version": {"1"}}, "description"},
		{fmt.Sprintf("/deals/%d/offers", deal.ID), url.Values{"title": {"Idea"}, "kind": {"idea"}, "detail": {huge}}, "detail"},
		{fmt.Sprintf("/deals/%d/promises", deal.ID), url.Values{"text": {huge}, "kind": {"configuration"}}, "text"},
		{fmt.Sprintf("/deals/%d/support-requests", deal.ID), url.Values{"kind": {"demo"}, "details": {huge}}, "details"},
	}
	for _, tc := range cases {
		resp, page := c.submit(tc.path, tc.form)
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(fieldError(page, tc.field), "under") {
			t.Errorf("POST %s with a 1 MB %s: %d, message %q", tc.path, tc.field, resp.StatusCode, fieldError(page, tc.field))
		}
	}
	resp, _ := c.get("/meetings")
	if resp.ContentLength > 200_000 {
		t.Fatalf("the agenda grew to %d bytes", resp.ContentLength)
	}
}

// No refusal shows an HTTP status as its headline: each is a page in the
// app's words with a way on.
func TestRefusalsSpeakTheAppsWords(t *testing.T) {
	a := newApp(t, testenv.Open(t, db.SQLite), web.Config{})
	c := a.signedIn(domain.RoleDevRel)
	big := url.Values{"name": {strings.Repeat("x", 3<<20)}}
	cases := []struct {
		name string
		do   func() *http.Response
	}{
		{"not found", func() *http.Response { return c.do(http.MethodGet, "/nope", nil) }},
		{"forbidden", func() *http.Response { return c.do(http.MethodGet, "/coverage", nil) }},
		{"too large", func() *http.Response {
			// Expect: 100-continue, as curl sends: the refusal comes before
			// the 3 MB are on the wire, and the page is read whole.
			body := big.Encode() + "&_csrf=" + c.token()
			req, _ := http.NewRequest(http.MethodPost, c.base+"/accounts", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Expect", "100-continue")
			resp, err := c.c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			return resp
		}},
	}
	for _, tc := range cases {
		resp := tc.do()
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		page := string(body)
		i := strings.Index(page, "<h1>")
		j := strings.Index(page, "</h1>")
		if i < 0 || j < i {
			t.Fatalf("%s: no headline in %d answer: %.300s", tc.name, resp.StatusCode, page)
		}
		headline := page[i+4 : j]
		if headline == http.StatusText(resp.StatusCode) || strings.Contains(headline, fmt.Sprint(resp.StatusCode)) {
			t.Errorf("%s: the headline is the HTTP status %q", tc.name, headline)
		}
		if !strings.Contains(page, `href="/"`) {
			t.Errorf("%s: no way on", tc.name)
		}
	}
}

// Text that is not UTF-8, in a form or a query, is refused with 400 and
// stores nothing, on both engines (PostgreSQL would answer 500); a file's
// name is mended instead (TestImportKeepsAnyFileName).
func TestTextThatIsNotUTF8IsRefused(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		a := newApp(t, d, web.Config{})
		c := a.signedIn(domain.RoleSales)
		resp, page := c.submit("/accounts", url.Values{"name": {"Caf\xe9 Noir"}})
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(page.Find("main").Text(), "not UTF-8") || count(t, d, "accounts") != 0 {
			t.Fatalf("a name that is not UTF-8: %d, %d accounts: %.300s", resp.StatusCode, count(t, d, "accounts"), page.Find("main").Text())
		}
		for _, path := range []string{"/deals?q=caf%E9", "/search?q=%FF", "/deals?%FF=1"} {
			if resp, _ := c.get(path); resp.StatusCode != http.StatusBadRequest {
				t.Errorf("GET %s: %d", path, resp.StatusCode)
			}
		}
		if resp, _ := c.submit("/accounts", url.Values{"name": {"Café Noir"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("a name in UTF-8: %d", resp.StatusCode)
		}
	})
}
