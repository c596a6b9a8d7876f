package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/presale/presale/db"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/testenv"
	"github.com/presale/presale/web"
)

// A person makes a token on their settings page, sees it once, uses it,
// sees its last use and revokes it; an administrator sees and revokes
// everyone's, and the owner is told.
func TestTokensFromTheSettingsPage(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		a := newApp(t, d, web.Config{})
		sales := a.users[domain.RoleSales]
		c := a.signedIn(domain.RoleSales)

		resp, page := c.submit("/settings/tokens", url.Values{"name": {""}, "scope": {"everything"}, "expires_on": {"yesterday"}})
		if resp.StatusCode != http.StatusUnprocessableEntity || fieldError(page, "name") == "" || fieldError(page, "scope") == "" || fieldError(page, "expires_on") == "" {
			t.Fatalf("a refused token: %d, errors %q %q %q", resp.StatusCode, fieldError(page, "name"), fieldError(page, "scope"), fieldError(page, "expires_on"))
		}
		if value(page, "expires_on") != "yesterday" {
			t.Errorf("the form lost what was typed: %q", value(page, "expires_on"))
		}

		resp, page = c.submit("/settings/tokens", url.Values{"name": {"CRM sync"}, "scope": {"read_write"}})
		secret, _ := page.Find(`[data-testid="new-token-secret"]`).Attr("value")
		if resp.StatusCode != http.StatusCreated || !strings.HasPrefix(secret, domain.TokenPrefix) || resp.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("new token: %d %q %q", resp.StatusCode, secret, resp.Header.Get("Cache-Control"))
		}
		// Kept only as a fingerprint.
		var stored int64
		if err := a.db.Read.Raw("SELECT COUNT(*) FROM api_tokens WHERE hash = ? OR prefix = ?", secret, secret).Scan(&stored).Error; err != nil || stored != 0 {
			t.Fatalf("the secret is stored as typed: %d %v", stored, err)
		}

		_, page = c.get("/settings")
		if page.Find(`[data-testid="new-token"]`).Length() != 0 || strings.Contains(page.Text(), secret) {
			t.Fatal("the secret shows a second time")
		}
		row := page.Find(`[data-testid="token-row"]`)
		if row.Length() != 1 || !strings.Contains(row.Text(), "CRM sync") || strings.TrimSpace(row.Find(`[data-testid="token-last-used"]`).Text()) != "never" {
			t.Fatalf("token row: %q", row.Text())
		}

		api := &apiClient{t: t, base: a.http.URL, token: secret}
		api.get("/me").want(t, http.StatusOK)
		_, page = c.get("/settings")
		if used := strings.TrimSpace(page.Find(`[data-testid="token-last-used"]`).Text()); used == "never" || used == "" {
			t.Errorf("last use not shown: %q", used)
		}

		// An administrator revokes it; the owner hears of it.
		admin := a.admin()
		ac := a.signInAs(admin)
		_, page = ac.get("/admin/tokens")
		if !strings.Contains(page.Find(`[data-testid="tokens"]`).Text(), sales.Name) {
			t.Fatal("the administrator does not see the token")
		}
		action, _ := page.Find(`[data-testid="token-row"] form`).Attr("action")
		if resp, _ := ac.submit(action, nil); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("revoke: %d", resp.StatusCode)
		}
		api.get("/me").want(t, http.StatusUnauthorized)
		_, page = c.get("/notifications")
		if !strings.Contains(page.Text(), "revoked your API token") {
			t.Error("the owner was not told")
		}
		_, page = c.get("/settings")
		if page.Find(`[data-testid="token-row"] .badge`).Text() != "revoked" {
			t.Errorf("status after revoking: %q", page.Find(`[data-testid="token-row"]`).Text())
		}
		// Someone else's token is not found, and the list is for admins.
		if resp, _ := a.signedIn(domain.RoleDevRel).submit(action, nil); resp.StatusCode != http.StatusNotFound {
			t.Errorf("another person revoking: %d", resp.StatusCode)
		}
		if resp, _ := c.get("/admin/tokens"); resp.StatusCode != http.StatusForbidden {
			t.Errorf("a salesperson on the token list: %d", resp.StatusCode)
		}
	})
}

// What a token may do: nothing without one, nothing with a dead one, only
// reads when read-only, no faster than its rate; a session cookie is no
// credential to the API.
func TestTokensGuardTheAPI(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		clock := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
		a := newApp(t, d, web.Config{APIRate: web.APIRate{Every: time.Hour, Burst: 5}}, func() time.Time { return clock })
		spec := a.spec()
		sales := a.users[domain.RoleSales]
		acc, _ := a.account("Northwind")

		anonymous := &apiClient{t: t, base: a.http.URL, spec: spec}
		r := anonymous.get("/deals").want(t, http.StatusUnauthorized)
		if !strings.HasPrefix(r.Header.Get("WWW-Authenticate"), "Bearer") || r.Header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("401 without a token: %v", r.Header)
		}
		(&apiClient{t: t, base: a.http.URL, token: "presale_NOTATOKEN", spec: spec}).get("/deals").want(t, http.StatusUnauthorized)
		(&apiClient{t: t, base: a.http.URL, token: "nonsense", spec: spec}).get("/deals").want(t, http.StatusUnauthorized)

		// A signed-in browser's cookie does not act on the API.
		browser := a.signedIn(domain.RoleSales)
		req, _ := http.NewRequest(http.MethodPost, a.http.URL+"/api/v1/deals", strings.NewReader(fmt.Sprintf(`{"title":"Forged","account_id":%d}`, acc.ID)))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-CSRF-Token", browser.token())
		resp, err := browser.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("a cookie on the API: %d", resp.StatusCode)
		}

		reader := a.api(sales, domain.ScopeRead, spec)
		reader.get("/deals").want(t, http.StatusOK)
		reader.post("/deals", map[string]any{"title": "Nope", "account_id": acc.ID}).want(t, http.StatusForbidden)
		var deals int64
		a.db.Read.Raw("SELECT COUNT(*) FROM deals").Scan(&deals)
		if deals != 0 {
			t.Fatalf("a refused write wrote: %d deals", deals)
		}

		// Each token has its own rate: five calls, then 429 with a wait.
		for range 3 {
			reader.get("/me").want(t, http.StatusOK)
		}
		limited := reader.get("/me").want(t, http.StatusTooManyRequests)
		if limited.Header.Get("Retry-After") == "" {
			t.Error("429 without Retry-After")
		}
		writer := a.api(sales, domain.ScopeReadWrite, spec)
		writer.post("/deals", map[string]any{"title": "Fleet", "account_id": acc.ID}).want(t, http.StatusCreated)

		// Expiry, revocation and a deactivated person end a token.
		expiring := a.api(sales, domain.ScopeRead, spec)
		if err := a.db.Write.Exec("UPDATE api_tokens SET expires_at = ? WHERE hash <> ''", clock.Add(time.Hour)).Error; err != nil {
			t.Fatal(err)
		}
		expiring.get("/me").want(t, http.StatusOK)
		clock = clock.Add(2 * time.Hour)
		expiring.get("/me").want(t, http.StatusUnauthorized)
		if err := a.db.Write.Exec("UPDATE api_tokens SET expires_at = NULL").Error; err != nil {
			t.Fatal(err)
		}
		expiring.get("/me").want(t, http.StatusOK)
		if err := a.db.Write.Exec("UPDATE users SET active = ? WHERE id = ?", false, sales.ID).Error; err != nil {
			t.Fatal(err)
		}
		expiring.get("/me").want(t, http.StatusUnauthorized)
	})
}
