package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	"github.com/pb33f/libopenapi-validator/config"
	"github.com/presale/presale/db"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/testenv"
	"github.com/presale/presale/web"
)

// The protocol details clients tripped on (issue 25): each address lists
// its own methods and answers OPTIONS, HEAD says how long the GET is, a
// create says where the new thing is, and the description says what input
// is accepted.

// served is the API's description as JSON, for tests that read it.
func (a *app) served() (raw []byte, doc struct {
	Paths      map[string]map[string]json.RawMessage `json:"paths"`
	Components struct {
		Schemas map[string]schemaDoc `json:"schemas"`
	} `json:"components"`
}) {
	a.t.Helper()
	resp, err := http.Get(a.http.URL + "/api/v1/openapi.json")
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ = io.ReadAll(resp.Body)
	if err := json.Unmarshal(raw, &doc); err != nil {
		a.t.Fatal(err)
	}
	return raw, doc
}

type schemaDoc struct {
	Required   []string             `json:"required"`
	Properties map[string]schemaDoc `json:"properties"`
	Enum       []string             `json:"enum"`
	Format     string               `json:"format"`
	AnyOf      []schemaDoc          `json:"anyOf"`
}

// formats are the formats a property may take, its own or its anyOf's.
func (s schemaDoc) formats() []string {
	out := []string{s.Format}
	for _, alt := range s.AnyOf {
		out = append(out, alt.Format)
	}
	return out
}

// Every address answers OPTIONS with 204 and the methods it serves, and a
// method it does not serve with 405 and the same Allow: its own methods,
// not one list for all. For the API, Allow is checked against the served
// description, path by path.
func TestMethodsOfEachAddressAreItsOwn(t *testing.T) {
	a := newApp(t, testenv.Open(t, db.SQLite), web.Config{})
	sales := a.users[domain.RoleSales]
	acc, _ := a.account("Northwind")
	deal := a.deal(sales, acc.ID, "Fleet")
	c := a.signedIn(domain.RoleSales)
	send := func(method, path string) *http.Response {
		t.Helper()
		resp := c.do(method, path, nil)
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp
	}
	for _, tc := range []struct {
		path, allow string
		refused     []string // methods answered 405
	}{
		{"/deals", "GET, HEAD, POST, OPTIONS", []string{"PUT", "DELETE", "PATCH"}},
		{fmt.Sprint("/deals/", deal.ID, "/edit"), "GET, HEAD, OPTIONS", []string{"POST", "PUT"}},
		{"/logout", "POST, OPTIONS", []string{"GET", "HEAD", "DELETE"}},
		{fmt.Sprint("/api/v1/deals/", deal.ID), "GET, HEAD, PATCH, OPTIONS", []string{"POST", "PUT", "DELETE"}},
		{fmt.Sprint("/api/v1/meetings/", 1, "/held"), "POST, OPTIONS", []string{"GET", "HEAD", "PATCH"}},
	} {
		options := send(http.MethodOptions, tc.path)
		if options.StatusCode != http.StatusNoContent || options.Header.Get("Allow") != tc.allow {
			t.Errorf("OPTIONS %s: %d, Allow %q; want 204, %q", tc.path, options.StatusCode, options.Header.Get("Allow"), tc.allow)
		}
		for _, m := range tc.refused {
			resp := send(m, tc.path)
			if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != tc.allow {
				t.Errorf("%s %s: %d, Allow %q; want 405, %q", m, tc.path, resp.StatusCode, resp.Header.Get("Allow"), tc.allow)
			}
			if strings.HasPrefix(tc.path, "/api/") && m != http.MethodHead && resp.Header.Get("Content-Type") != "application/problem+json" {
				t.Errorf("%s %s: %q, want a problem document", m, tc.path, resp.Header.Get("Content-Type"))
			}
		}
	}
	if resp := send(http.MethodPut, "/nowhere"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("PUT to an address with no route: %d, want 404", resp.StatusCode)
	}

	// Each path of the description: Allow is the methods it describes.
	_, doc := a.served()
	for path, item := range doc.Paths {
		var want []string
		for _, m := range []string{"get", "head", "post", "patch"} {
			if _, ok := item[m]; ok || (m == "head" && item["get"] != nil) {
				want = append(want, strings.ToUpper(m))
			}
		}
		want = append(want, http.MethodOptions)
		p := strings.NewReplacer("{id}", strconv.FormatInt(deal.ID, 10)).Replace(path)
		if got := send(http.MethodOptions, "/api/v1"+p).Header.Get("Allow"); got != strings.Join(want, ", ") {
			t.Errorf("OPTIONS /api/v1%s: Allow %q; the description has %q", p, got, strings.Join(want, ", "))
		}
	}
}

// HEAD carries the Content-Length of the GET's body, not 0, and no body:
// a page, an API resource, the description and an asset.
func TestHeadCarriesTheGetsLength(t *testing.T) {
	a := newApp(t, testenv.Open(t, db.SQLite), web.Config{})
	sales := a.users[domain.RoleSales]
	acc, _ := a.account("Northwind")
	deal := a.deal(sales, acc.ID, "Fleet")
	api := a.api(sales, domain.ScopeRead, nil)
	c := a.signedIn(domain.RoleSales)
	for _, path := range []string{"/deals", fmt.Sprint("/deals/", deal.ID), fmt.Sprint("/api/v1/deals/", deal.ID), "/api/v1/openapi.json", "/assets/css/app.css"} {
		var lengths []string
		var bodies [][]byte
		for _, method := range []string{http.MethodGet, http.MethodHead} {
			req, _ := http.NewRequest(method, a.http.URL+path, nil)
			req.Header.Set("Authorization", "Bearer "+api.token)
			resp, err := c.c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("%s %s: %d", method, path, resp.StatusCode)
			}
			lengths, bodies = append(lengths, resp.Header.Get("Content-Length")), append(bodies, b)
		}
		if want := strconv.Itoa(len(bodies[0])); len(bodies[0]) == 0 || lengths[1] != want || len(bodies[1]) != 0 {
			t.Errorf("HEAD %s: Content-Length %q and %d body bytes; the GET's body has %s bytes", path, lengths[1], len(bodies[1]), want)
		}
	}
}

// Every API create answers 201 with Location, where a GET finds what was
// made, and its ETag.
func TestAPICreatesSayWhereTheNewThingIs(t *testing.T) {
	a := newApp(t, testenv.Open(t, db.SQLite), web.Config{})
	spec := a.spec()
	sales := a.api(a.users[domain.RoleSales], domain.ScopeReadWrite, spec)
	devrel := a.api(a.users[domain.RoleDevRel], domain.ScopeReadWrite, spec)
	checked := map[string]bool{}
	made := func(c *apiClient, path string, body any) apiResult {
		t.Helper()
		r := c.post(path, body).want(t, http.StatusCreated)
		loc := r.Header.Get("Location")
		if !strings.HasPrefix(loc, "/api/v1/") || !strings.HasSuffix(loc, "/"+strconv.FormatInt(r.id(), 10)) {
			t.Fatalf("POST %s: Location %q for id %d", path, loc, r.id())
		}
		if got := c.get(strings.TrimPrefix(loc, "/api/v1")).want(t, http.StatusOK); got.id() != r.id() {
			t.Errorf("GET %s: id %d, want %d", loc, got.id(), r.id())
		}
		if !strings.Contains(loc, "/questions/") && r.Header.Get("ETag") == "" {
			t.Errorf("POST %s: no ETag", path)
		}
		checked[path[:strings.IndexAny(path[1:]+"/", "/")+1]] = true
		return r
	}
	acc := made(sales, "/accounts", map[string]any{"name": "Northwind"})
	made(sales, "/contacts", map[string]any{"account_id": acc.id(), "name": "Ana Buyer"})
	deal := made(sales, "/deals", map[string]any{"title": "Fleet", "account_id": acc.id()})
	dealPath := fmt.Sprint("/deals/", deal.id())
	a.assign(deal.id(), a.users[domain.RoleDevRel])
	starts := time.Now().UTC().Add(72 * time.Hour).Truncate(time.Hour)
	meeting := made(sales, dealPath+"/meetings", map[string]any{"title": "Demo", "type": "demo",
		"starts_at": starts.Format(time.RFC3339), "ends_at": starts.Add(time.Hour).Format(time.RFC3339)})
	made(devrel, dealPath+"/offers", map[string]any{"title": "POC month", "kind": "poc"})
	made(sales, dealPath+"/support-requests", map[string]any{"kind": "demo", "details": "Show the dashboard"})
	made(sales, dealPath+"/promises", map[string]any{"text": "SSO by Q2", "kind": "roadmap"})
	made(sales, fmt.Sprint("/meetings/", meeting.id(), "/questions"), map[string]any{"category": "security", "text": "SSO?"})

	// Every create the description lists was made above.
	_, doc := a.served()
	for path, item := range doc.Paths {
		var post struct {
			Responses map[string]any `json:"responses"`
		}
		if raw, ok := item["post"]; ok && json.Unmarshal(raw, &post) == nil && post.Responses["201"] != nil {
			prefix := path[:strings.IndexAny(path[1:]+"/", "/")+1]
			if !checked[prefix] {
				t.Errorf("POST %s creates, and no test here checked its Location", path)
			}
		}
	}
}

// The description says what the API accepts, and the API accepts what it
// says: an independent validator (libopenapi-validator, formats asserted)
// and the API agree on every request below. Enums are the domain's own
// lists, dates are format date, addresses email, domains hostname, and
// what the service requires is required.
func TestAPIInputIsDescribedAsAccepted(t *testing.T) {
	a := newApp(t, testenv.Open(t, db.SQLite), web.Config{})
	raw, doc := a.served()
	schemas := doc.Components.Schemas

	for field, want := range map[string][]string{
		"DealNew.stage": values(domain.Stages), "DealNew.technical_status": values(domain.TechnicalStatuses), "DealNew.currency": domain.Currencies,
		"ApiDealIn.stage": values(domain.Stages), "ApiMeetingIn.type": values(domain.MeetingTypes), "OfferProposeBody.kind": values(domain.OfferKinds),
		"SupportCreateBody.kind": values(domain.SupportKinds), "PromiseRecordBody.kind": values(domain.PromiseKinds),
		"QuestionRaiseBody.category": values(domain.QuestionCategories),
	} {
		name, prop, _ := strings.Cut(field, ".")
		if got := schemas[name].Properties[prop].Enum; !slices.Equal(got, want) {
			t.Errorf("%s: enum %q, want the domain's %q", field, got, want)
		}
	}
	for field, want := range map[string]string{
		"DealNew.expected_close_date": "date", "ApiDealIn.expected_close_date": "date", "SupportCreateBody.needed_by": "date",
		"PromiseRecordBody.due_date": "date", "ContactNew.email": "email", "ApiContactIn.email": "email", "AccountNew.domain": "hostname",
		"ApiMeetingIn.starts_at": "date-time", "ApiMeetingIn.ends_at": "date-time",
	} {
		name, prop, _ := strings.Cut(field, ".")
		if got := schemas[name].Properties[prop].formats(); !slices.Contains(got, want) {
			t.Errorf("%s: formats %q, want %s", field, got, want)
		}
	}
	for name, want := range map[string][]string{
		"AccountNew": {"name"}, "ContactNew": {"account_id", "name"}, "DealNew": {"title", "account_id"},
		"ApiMeetingIn": {"title", "type", "starts_at", "ends_at"}, "OfferProposeBody": {"title", "kind"}, "OfferHoldBody": {"trigger"},
		"OfferDeclineBody": {"reason"}, "OfferShareBody": {"meeting_id"}, "SupportCreateBody": {"kind", "details"},
		"PromiseRecordBody": {"text", "kind"}, "QuestionRaiseBody": {"category", "text"}, "QuestionAnswerBody": {"answer"},
		"PromiseReviewBody": {"feasibility"},
	} {
		for _, f := range want {
			if !slices.Contains(schemas[name].Required, f) {
				t.Errorf("%s does not require %s; the service does", name, f)
			}
		}
	}

	// Requests, each schema-valid or not by the validator, accepted or
	// refused with 422 by the API, alike.
	parsed, err := libopenapi.NewDocument(raw)
	if err != nil {
		t.Fatal(err)
	}
	v, errs := validator.NewValidator(parsed, config.WithFormatAssertions())
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	spec := a.spec()
	sales := a.api(a.users[domain.RoleSales], domain.ScopeReadWrite, spec)
	devrel := a.api(a.users[domain.RoleDevRel], domain.ScopeReadWrite, spec)
	acc := sales.post("/accounts", map[string]any{"name": "Northwind"}).want(t, http.StatusCreated)
	deal := sales.post("/deals", map[string]any{"title": "Fleet", "account_id": acc.id()}).want(t, http.StatusCreated)
	dealPath := fmt.Sprint("/deals/", deal.id())
	a.assign(deal.id(), a.users[domain.RoleDevRel])
	starts := time.Now().Add(72 * time.Hour).Truncate(time.Hour)
	meeting := sales.post(dealPath+"/meetings", map[string]any{"title": "Demo", "type": "demo",
		"starts_at": starts.UTC().Format(time.RFC3339), "ends_at": starts.Add(time.Hour).UTC().Format(time.RFC3339)}).want(t, http.StatusCreated)
	offer := func() string {
		o := devrel.post(dealPath+"/offers", map[string]any{"title": "Idea", "kind": "idea", "submit": true}).want(t, http.StatusCreated)
		return fmt.Sprint("/offers/", o.id())
	}
	promise := sales.post(dealPath+"/promises", map[string]any{"text": "SSO", "kind": "roadmap"}).want(t, http.StatusCreated)
	local := starts.In(a.users[domain.RoleSales].Location())

	for _, tc := range []struct {
		name    string
		c       *apiClient
		path    string
		body    map[string]any
		valid   bool
		headers []string
	}{
		{"a deal with every field in its shape", sales, "/deals", map[string]any{"title": "Interop", "account_id": acc.id(), "stage": "discovery",
			"technical_status": "in_progress", "currency": "EUR", "amount": "1,250.5", "expected_close_date": "2030-03-31"}, true, nil},
		{"a deal with only what is required", sales, "/deals", map[string]any{"title": "Minimal", "account_id": acc.id()}, true, nil},
		{"a stage the domain does not have", sales, "/deals", map[string]any{"title": "x", "account_id": acc.id(), "stage": "Interop test"}, false, nil},
		{"a currency in lower case", sales, "/deals", map[string]any{"title": "x", "account_id": acc.id(), "currency": "usd"}, false, nil},
		{"a date that is not one", sales, "/deals", map[string]any{"title": "x", "account_id": acc.id(), "expected_close_date": "2030-02-30"}, false, nil},
		{"a blank title", sales, "/deals", map[string]any{"title": "   ", "account_id": acc.id()}, false, nil},
		{"a deal without its account", sales, "/deals", map[string]any{"title": "x"}, false, nil},
		{"an amount with a currency sign", sales, "/deals", map[string]any{"title": "x", "account_id": acc.id(), "amount": "$12"}, false, nil},
		{"no close date any more", sales, dealPath, map[string]any{"expected_close_date": ""}, true, []string{"If-Match", `"1"`}},
		{"a domain", sales, "/accounts", map[string]any{"name": "Contoso", "domain": "contoso.example"}, true, nil},
		{"a website address for a domain", sales, "/accounts", map[string]any{"name": "Fabrikam", "domain": "https://fabrikam.example/"}, true, nil},
		{"a domain with a space", sales, "/accounts", map[string]any{"name": "Tailspin", "domain": "tail spin"}, false, nil},
		{"a contact without e-mail", sales, "/contacts", map[string]any{"account_id": acc.id(), "name": "Ana", "email": ""}, true, nil},
		{"an address", sales, "/contacts", map[string]any{"account_id": acc.id(), "name": "Bo", "email": "bo@northwind.example"}, true, nil},
		{"an address with a name", sales, "/contacts", map[string]any{"account_id": acc.id(), "name": "Cy", "email": "Cy <cy@northwind.example>"}, false, nil},
		{"a meeting as the form types it", sales, dealPath + "/meetings", map[string]any{"title": "Deep dive", "type": "deep_dive",
			"starts_at": local.Add(24 * time.Hour).Format("2006-01-02T15:04"), "ends_at": local.Add(25 * time.Hour).Format("2006-01-02T15:04")}, true, nil},
		{"a meeting at no time", sales, dealPath + "/meetings", map[string]any{"title": "Deep dive", "type": "deep_dive",
			"starts_at": "tomorrow", "ends_at": "after"}, false, nil},
		{"a meeting of no known type", sales, dealPath + "/meetings", map[string]any{"title": "Lunch", "type": "lunch",
			"starts_at": starts.Format(time.RFC3339), "ends_at": starts.Add(time.Hour).Format(time.RFC3339)}, false, nil},
		{"a meeting without its end", sales, dealPath + "/meetings", map[string]any{"title": "Demo", "type": "demo",
			"starts_at": starts.Format(time.RFC3339)}, false, nil},
		{"an offer", devrel, dealPath + "/offers", map[string]any{"title": "Workaround", "kind": "workaround"}, true, nil},
		{"an offer of no known kind", devrel, dealPath + "/offers", map[string]any{"title": "Lunch", "kind": "free lunch"}, false, nil},
		{"a hold with a 300-character trigger", sales, offer() + "/hold", map[string]any{"trigger": strings.Repeat("t", 300)}, true, nil},
		{"a hold without its trigger", sales, offer() + "/hold", map[string]any{}, false, nil},
		{"a decline without its reason", sales, offer() + "/decline", map[string]any{}, false, nil},
		{"a share in no meeting", sales, offer() + "/share", map[string]any{"meeting_id": 0}, false, nil},
		{"support with no date", sales, dealPath + "/support-requests", map[string]any{"kind": "poc", "details": "A pilot", "needed_by": ""}, true, nil},
		{"support by a date", sales, dealPath + "/support-requests", map[string]any{"kind": "demo", "details": "A demo", "needed_by": "2030-12-31"}, true, nil},
		{"support by a date written otherwise", sales, dealPath + "/support-requests", map[string]any{"kind": "demo", "details": "A demo", "needed_by": "31/12/2030"}, false, nil},
		{"a promise", sales, dealPath + "/promises", map[string]any{"text": "Audit log", "kind": "existing_feature", "due_date": "2030-06-30"}, true, nil},
		{"a promise of no known kind", sales, dealPath + "/promises", map[string]any{"text": "Audit log", "kind": "maybe"}, false, nil},
		{"a question", sales, fmt.Sprint("/meetings/", meeting.id(), "/questions"), map[string]any{"category": "security", "text": "SSO?"}, true, nil},
		{"a category as people read it", sales, fmt.Sprint("/meetings/", meeting.id(), "/questions"), map[string]any{"category": "Security", "text": "SSO?"}, false, nil},
		{"a rating left unreviewed", devrel, fmt.Sprint("/promises/", promise.id(), "/review"), map[string]any{"feasibility": "unreviewed"}, false, nil},
		{"a rating", devrel, fmt.Sprint("/promises/", promise.id(), "/review"), map[string]any{"feasibility": "feasible"}, true, nil},
	} {
		method := http.MethodPost
		if tc.headers != nil {
			method = http.MethodPatch
		}
		body, _ := json.Marshal(tc.body)
		req, _ := http.NewRequest(method, a.http.URL+"/api/v1"+tc.path, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+tc.c.token)
		valid, verrs := v.ValidateHttpRequest(req)
		r := tc.c.do(method, tc.path, tc.body, tc.headers...)
		switch {
		case valid != tc.valid:
			var why []string
			for _, e := range verrs {
				why = append(why, e.Message+": "+e.Reason)
			}
			t.Errorf("%s: the validator says valid=%v, want %v %q", tc.name, valid, tc.valid, why)
		case tc.valid && r.Status >= 300:
			t.Errorf("%s: schema-valid, and the API answered %d: %s", tc.name, r.Status, r.Body)
		case !tc.valid && r.Status != http.StatusUnprocessableEntity:
			t.Errorf("%s: schema-invalid, and the API answered %d, want 422: %s", tc.name, r.Status, r.Body)
		}
	}
}

func values[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}
