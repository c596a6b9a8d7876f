package web_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/presale/presale/db"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/testenv"
	"github.com/presale/presale/web"
)

// The pattern's whole workflow runs through the API, on both engines: a
// salesperson opens a deal and asks for DevRel, DevRel claims it and
// proposes an idea, the salesperson holds it in reserve, both sync before
// the meeting. Every response is held to the served description.
func TestAPIRunsTheWorkflow(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		a := newApp(t, d, web.Config{})
		spec := a.spec()
		sales := a.api(a.users[domain.RoleSales], domain.ScopeReadWrite, spec)
		devrel := a.api(a.users[domain.RoleDevRel], domain.ScopeReadWrite, spec)
		manager := a.api(a.users[domain.RoleManager], domain.ScopeReadWrite, spec)
		outsider := a.api(a.user("Olga Outside", domain.RoleDevRel), domain.ScopeReadWrite, spec)
		before := validatedResponses.Load()

		me := sales.get("/me").want(t, http.StatusOK)
		if me.JSON["role"] != "sales" || me.JSON["email"] != a.users[domain.RoleSales].Email {
			t.Fatalf("me: %s", me.Body)
		}

		// Customers.
		acc := sales.post("/accounts", map[string]any{"name": "Northwind", "domain": "northwind.example"}).want(t, http.StatusCreated)
		if acc.Header.Get("ETag") != `"1"` {
			t.Errorf("new account's ETag: %q", acc.Header.Get("ETag"))
		}
		contact := sales.post("/contacts", map[string]any{"account_id": acc.id(), "name": "Ana Buyer", "email": "ana@northwind.example"}).want(t, http.StatusCreated)
		bad := sales.post("/contacts", map[string]any{"account_id": acc.id(), "name": "", "email": "not an address"}).want(t, http.StatusUnprocessableEntity)
		if bad.field("name") == "" || bad.field("email") == "" {
			t.Errorf("a refused contact names its fields: %s", bad.Body)
		}
		renamed := sales.do(http.MethodPatch, fmt.Sprint("/accounts/", acc.id()), map[string]any{"industry": "Logistics"}, "If-Match", `"1"`).want(t, http.StatusOK)
		if renamed.JSON["name"] != "Northwind" || renamed.JSON["industry"] != "Logistics" {
			t.Errorf("a PATCH keeps what it does not send: %s", renamed.Body)
		}

		// Deals: create, read with its ETag, change with If-Match, refuse
		// a stale version with 409 and a missing one with 422.
		deal := sales.post("/deals", map[string]any{"title": "Fleet telematics", "account_id": acc.id(), "amount": "125000.50",
			"currency": "EUR", "expected_close_date": "2027-03-31", "stage": "discovery"}).want(t, http.StatusCreated)
		if deal.JSON["amount"] != "125000.50" || deal.JSON["owner_id"] != float64(a.users[domain.RoleSales].ID) || deal.Header.Get("ETag") != `"1"` {
			t.Fatalf("created deal: %s %s", deal.Body, deal.Header.Get("ETag"))
		}
		dealPath := fmt.Sprint("/deals/", deal.id())
		moved := sales.do(http.MethodPatch, dealPath, map[string]any{"stage": "evaluation"}, "If-Match", `"1"`).want(t, http.StatusOK)
		if moved.JSON["stage"] != "evaluation" || moved.JSON["title"] != "Fleet telematics" || moved.Header.Get("ETag") != `"2"` {
			t.Fatalf("patched deal: %s", moved.Body)
		}
		stale := sales.do(http.MethodPatch, dealPath, map[string]any{"stage": "proposal"}, "If-Match", `"1"`).want(t, http.StatusConflict)
		if stale.Header.Get("Content-Type") != "application/problem+json" || stale.JSON["status"] != float64(409) {
			t.Errorf("a stale update's problem: %s %s", stale.Header.Get("Content-Type"), stale.Body)
		}
		sales.do(http.MethodPatch, dealPath, map[string]any{"stage": "proposal"}).want(t, http.StatusUnprocessableEntity)
		viaBody := sales.do(http.MethodPatch, dealPath, map[string]any{"amount": "130000", "version": 2}).want(t, http.StatusOK)
		if viaBody.JSON["amount"] != "130000" || viaBody.JSON["stage"] != "evaluation" {
			t.Errorf("version in the body: %s", viaBody.Body)
		}
		invalid := sales.do(http.MethodPatch, dealPath, map[string]any{"amount": "$12", "expected_close_date": "31/03/2027"}, "If-Match", `"3"`).want(t, http.StatusUnprocessableEntity)
		if invalid.field("amount") == "" || invalid.field("expected_close_date") == "" {
			t.Errorf("field errors as the form shows them: %s", invalid.Body)
		}
		if got := sales.get(dealPath).want(t, http.StatusOK); got.JSON["amount"] != "130000" {
			t.Errorf("a refused update changed the deal: %s", got.Body)
		}
		devrel.do(http.MethodPatch, dealPath, map[string]any{"title": "Mine now"}, "If-Match", `"3"`).want(t, http.StatusForbidden)

		// Support: asked for, claimed within capacity, the claimer on the team.
		req := sales.post(dealPath+"/support-requests", map[string]any{"kind": "demo", "details": "Show the fleet dashboard"}).want(t, http.StatusCreated)
		board := devrel.get("/support-requests").want(t, http.StatusOK)
		if len(board.items()) != 1 || board.items()[0]["id"] != float64(req.id()) {
			t.Fatalf("the board: %s", board.Body)
		}
		claimed := devrel.post(fmt.Sprint("/support-requests/", req.id(), "/claim"), nil).want(t, http.StatusOK)
		if claimed.JSON["status"] != "claimed" {
			t.Fatalf("claim: %s", claimed.Body)
		}
		devrel.post(fmt.Sprint("/support-requests/", req.id(), "/claim"), nil).want(t, http.StatusConflict)
		if team := sales.get(dealPath).want(t, http.StatusOK); fmt.Sprint(team.JSON["devrel_ids"]) != fmt.Sprint([]any{float64(a.users[domain.RoleDevRel].ID)}) {
			t.Errorf("the claimer joins the team: %s", team.Body)
		}

		// An idea, held in reserve with its trigger.
		offer := devrel.post(dealPath+"/offers", map[string]any{"title": "Free POC month", "kind": "poc", "submit": true}).want(t, http.StatusCreated)
		if offer.JSON["status"] != "proposed" {
			t.Fatalf("proposed: %s", offer.Body)
		}
		offerPath := fmt.Sprint("/offers/", offer.id())
		sales.post(offerPath+"/hold", map[string]any{}).want(t, http.StatusUnprocessableEntity) // a hold needs its trigger
		devrel.post(offerPath+"/hold", map[string]any{"trigger": "if they push on price"}).want(t, http.StatusForbidden)
		const trigger = "if they push on price"
		held := sales.post(offerPath+"/hold", map[string]any{"trigger": trigger}).want(t, http.StatusOK)
		if held.JSON["status"] != "reserved" || held.JSON["hold_trigger"] != trigger {
			t.Fatalf("held: %s", held.Body)
		}
		sales.post(offerPath+"/share", map[string]any{"meeting_id": 1}).want(t, http.StatusConflict) // only a cleared offer is shared
		if got := devrel.get(offerPath).want(t, http.StatusOK); got.JSON["hold_trigger"] != trigger {
			t.Errorf("the assigned DevRel sees the trigger: %s", got.Body)
		}

		// The meeting, with times as RFC 3339, and the sync both confirm.
		starts := time.Now().UTC().Add(48 * time.Hour).Truncate(time.Hour)
		meeting := sales.post(dealPath+"/meetings", map[string]any{"title": "Demo", "type": "demo",
			"starts_at": starts.Format(time.RFC3339), "ends_at": starts.Add(time.Hour).Format(time.RFC3339),
			"contact_ids": []int64{contact.id()}}).want(t, http.StatusCreated)
		if meeting.JSON["starts_at"] != starts.Format(time.RFC3339) || meeting.JSON["sync_state"] != "unsynced" {
			t.Fatalf("scheduled: %s", meeting.Body)
		}
		if ids, _ := meeting.JSON["internal_attendee_ids"].([]any); len(ids) != 2 || !slices.Contains(ids, any(float64(a.users[domain.RoleDevRel].ID))) {
			t.Errorf("the deal's DevRel attend unless told otherwise: %v", ids)
		}
		meetingPath := fmt.Sprint("/meetings/", meeting.id())
		sync := sales.post(meetingPath+"/sync", map[string]any{"notes": "Lead with the dashboard", "may_raise": "POC month only " + trigger, "version": 0})
		sync.want(t, http.StatusOK)
		sales.post(meetingPath+"/sync/confirm", nil).want(t, http.StatusOK)
		synced := devrel.post(meetingPath+"/sync/confirm", nil).want(t, http.StatusOK)
		if synced.JSON["state"] != "in_sync" {
			t.Fatalf("both confirmed: %s", synced.Body)
		}

		// Questions and promises.
		q := sales.post(meetingPath+"/questions", map[string]any{"category": "security", "text": "Do you support SSO?", "raised_by_id": contact.id()}).want(t, http.StatusCreated)
		answered := devrel.post(fmt.Sprint("/questions/", q.id(), "/answer"), map[string]any{"answer": "Yes, SAML and OIDC."}).want(t, http.StatusOK)
		if answered.JSON["status"] != "answered" {
			t.Errorf("answered: %s", answered.Body)
		}
		p := sales.post(dealPath+"/promises", map[string]any{"text": "SSO by Q2", "kind": "roadmap", "due_date": "2027-06-30"}).want(t, http.StatusCreated)
		sales.post(fmt.Sprint("/promises/", p.id(), "/review"), map[string]any{"feasibility": "feasible"}).want(t, http.StatusForbidden)
		rated := devrel.post(fmt.Sprint("/promises/", p.id(), "/review"), map[string]any{"feasibility": "risky", "note": "Needs the IdP work"}).want(t, http.StatusOK)
		if rated.JSON["feasibility"] != "risky" {
			t.Errorf("rated: %s", rated.Body)
		}
		if after := sales.get(meetingPath+"/sync").want(t, http.StatusOK); after.JSON["state"] != "stale" {
			t.Errorf("a promise changed after both confirmed: the sync is stale, got %s", after.Body)
		}
		if reg := manager.get(fmt.Sprint("/promises?deal_id=", deal.id())).want(t, http.StatusOK); len(reg.items()) != 1 {
			t.Errorf("the register: %s", reg.Body)
		}

		// The reserve stays with the deal team: an outside DevRel finds no
		// such offer, no trigger and no sync notes, anywhere.
		var seen []apiResult
		seen = append(seen,
			outsider.get(offerPath).want(t, http.StatusNotFound),
			outsider.post(offerPath+"/release", nil).want(t, http.StatusNotFound),
			outsider.get(dealPath+"/offers").want(t, http.StatusOK),
			outsider.get(meetingPath+"/sync").want(t, http.StatusOK),
			outsider.get(meetingPath).want(t, http.StatusOK),
			outsider.get("/notifications").want(t, http.StatusOK),
			outsider.get("/meetings?everyone=true").want(t, http.StatusOK),
		)
		if anyHolds(seen, "Free POC month") || anyHolds(seen, trigger) || anyHolds(seen, "Lead with the dashboard") {
			t.Errorf("the reserve or the sync reached an outsider")
		}
		if got := manager.get(offerPath).want(t, http.StatusOK); got.JSON["hold_trigger"] != trigger {
			t.Errorf("a manager sees the reserve: %s", got.Body)
		}

		// Coverage is for managers.
		sales.get("/coverage").want(t, http.StatusForbidden)
		cov := manager.get("/coverage").want(t, http.StatusOK)
		if cov.JSON["open_deals"] != float64(1) || cov.JSON["covered_deals"] != float64(1) {
			t.Errorf("coverage: %s", cov.Body)
		}
		manager.get("/coverage?from=2026-13-01").want(t, http.StatusUnprocessableEntity)

		// The salesperson heard of the proposal; reading it marks it read.
		inbox := sales.get("/notifications").want(t, http.StatusOK)
		if len(inbox.items()) == 0 {
			t.Fatalf("no notifications: %s", inbox.Body)
		}
		n := inbox.items()[0]
		sales.post(fmt.Sprint("/notifications/", int64(n["id"].(float64)), "/read"), nil).want(t, http.StatusOK)
		devrel.post(fmt.Sprint("/notifications/", int64(n["id"].(float64)), "/read"), nil).want(t, http.StatusNotFound)

		// The meeting is held; a cancelled one cannot be.
		sales.post(meetingPath+"/held", map[string]any{"outcome_notes": "Went well", "early": true}).want(t, http.StatusOK)
		sales.post(meetingPath+"/cancel", nil).want(t, http.StatusConflict)
		t.Logf("%d responses validated against the served description", validatedResponses.Load()-before)
	})
}

// Lists page with an opaque cursor: every deal once, in order, however
// the pages fall; a cursor that presale did not give out is refused.
func TestAPIListsPageWithCursors(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		a := newApp(t, d, web.Config{})
		c := a.api(a.users[domain.RoleManager], domain.ScopeRead, a.spec())
		acc, _ := a.account("Northwind")
		want := map[int64]bool{}
		for i := range 7 {
			want[a.deal(a.users[domain.RoleSales], acc.ID, fmt.Sprint("Deal ", i)).ID] = true
		}
		seen := map[int64]bool{}
		path, pages := "/deals?limit=3", 0
		for {
			r := c.get(path).want(t, http.StatusOK)
			pages++
			for _, it := range r.items() {
				id := int64(it["id"].(float64))
				if seen[id] || !want[id] {
					t.Fatalf("deal %d twice or unknown", id)
				}
				seen[id] = true
			}
			next, _ := r.JSON["next_cursor"].(string)
			if next == "" {
				break
			}
			path = "/deals?limit=3&cursor=" + next
		}
		if len(seen) != 7 || pages != 3 {
			t.Errorf("%d deals on %d pages", len(seen), pages)
		}
		filtered := c.get(fmt.Sprint("/deals?stage=discovery&owner_id=", a.users[domain.RoleSales].ID)).want(t, http.StatusOK)
		if len(filtered.items()) != 7 {
			t.Errorf("the pipeline's filters: %d", len(filtered.items()))
		}
		c.get("/deals?stage=nonsense").want(t, http.StatusUnprocessableEntity)
		c.get("/deals?cursor=not-a-cursor").want(t, http.StatusUnprocessableEntity)
		c.get("/deals?limit=100000").want(t, http.StatusUnprocessableEntity)

		accounts := c.get("/accounts?limit=1").want(t, http.StatusOK)
		if len(accounts.items()) != 1 || accounts.JSON["next_cursor"] != nil {
			t.Errorf("one account, one page: %s", accounts.Body)
		}
	})
}

// Malformed input gets a problem document the description lists, never
// a 500, and changes nothing.
func TestAPIRefusesMalformedInput(t *testing.T) {
	a := newApp(t, testenv.Open(t, db.SQLite), web.Config{})
	c := a.api(a.users[domain.RoleSales], domain.ScopeReadWrite, a.spec())
	for _, tc := range []struct {
		name, method, path string
		body               any
		headers            []string
		want               int
	}{
		{"cut-off JSON", http.MethodPost, "/deals", []byte(`{"title":`), nil, http.StatusBadRequest},
		{"a number for a title", http.MethodPost, "/deals", []byte(`{"title":5}`), nil, http.StatusUnprocessableEntity},
		{"a field the API does not know", http.MethodPost, "/deals", []byte(`{"title":"x","owner":"me"}`), nil, http.StatusUnprocessableEntity},
		{"a form instead of JSON", http.MethodPost, "/deals", []byte(`title=x`), []string{"Content-Type", "application/x-www-form-urlencoded"}, http.StatusUnsupportedMediaType},
		{"3 MB", http.MethodPost, "/deals", []byte(`{"title":"` + strings.Repeat("a", 3<<20) + `"}`), nil, http.StatusRequestEntityTooLarge},
		{"a query that is not UTF-8", http.MethodGet, "/deals?q=%FF", nil, nil, http.StatusBadRequest},
		{"a negative id", http.MethodGet, "/deals/-1", nil, nil, http.StatusUnprocessableEntity},
		{"an id past int64", http.MethodGet, "/deals/99999999999999999999", nil, nil, http.StatusUnprocessableEntity},
		{"an ETag presale never gave", http.MethodPatch, "/deals/1", []byte(`{}`), []string{"If-Match", `"abc"`}, http.StatusUnprocessableEntity},
	} {
		r := c.do(tc.method, tc.path, tc.body, tc.headers...)
		if r.Status != tc.want || r.Header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("%s: %d %q, want %d as a problem document", tc.name, r.Status, r.Header.Get("Content-Type"), tc.want)
		}
	}
	// Methods the API does not serve: 405 with what it does, in its words.
	r := (&apiClient{t: t, base: a.http.URL, token: c.token}).do(http.MethodDelete, "/deals/1", nil)
	if r.Status != http.StatusMethodNotAllowed || r.Header.Get("Allow") != "GET, HEAD, PATCH, OPTIONS" || r.Header.Get("Content-Type") != "application/problem+json" {
		t.Errorf("DELETE: %d %v", r.Status, r.Header)
	}
	// The scheme is case-insensitive; another scheme is no token.
	c.do(http.MethodGet, "/me", nil, "Authorization", "bearer "+c.token).want(t, http.StatusOK)
	c.do(http.MethodGet, "/me", nil, "Authorization", "Basic "+c.token).want(t, http.StatusUnauthorized)
	var deals int64
	a.db.Read.Raw("SELECT COUNT(*) FROM deals").Scan(&deals)
	if deals != 0 {
		t.Errorf("%d deals written by refused requests", deals)
	}
}
