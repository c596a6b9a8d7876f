package web_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/presale/presale/db"
	"github.com/presale/presale/internal/companysignin"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/service"
	"github.com/presale/presale/internal/testenv"
	"github.com/presale/presale/web"
)

// companyApp is presale with company sign-in configured against a
// provider of the test, and its log.
type companyApp struct {
	*app
	idp *testenv.IdP
	log *testenv.Buffer
}

func newCompanyApp(t *testing.T, d *db.DB) *companyApp {
	t.Helper()
	world := testenv.NewWorld(t, d)
	a := &app{t: t, db: d, users: map[domain.Role]domain.User{}, world: world}
	for _, r := range domain.Roles {
		a.users[r] = world.User("Test "+r.Label(), r, testenv.Email(string(r)+"@example.com"))
	}
	var handler http.Handler
	a.http = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { handler.ServeHTTP(w, r) }))
	base := "http://" + a.http.Listener.Addr().String()
	p, client := testenv.CompanyIdP(t, base+web.CompanyCallbackPath, world.Clock)
	svc := service.New(world.Store, service.WithClock(world.Clock), service.WithCompanySignIn())
	logs := &testenv.Buffer{}
	a.config = web.Config{BaseURL: base, CompanySignIn: client}
	a.srv = web.New(a.config, svc, world.Store.Sessions(), d.Ready, slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	handler = a.srv
	a.http.Start()
	t.Cleanup(a.http.Close)
	return &companyApp{app: a, idp: p, log: logs}
}

// clientFor is a browser of one (sub)test.
func (a *companyApp) clientFor(t *testing.T) *client {
	c := a.client()
	c.t = t
	return c
}

// begin presses the company button on the sign-in page: the address of
// the provider presale sends the browser to.
func (a *companyApp) begin(c *client, next string) string {
	c.t.Helper()
	_, page := c.get("/login?next=" + url.QueryEscape(next))
	form := page.Find(`[data-testid="company-sign-in"]`)
	if !strings.Contains(form.Text(), "Sign in with Example SSO") {
		c.t.Fatalf("the sign-in page has no company button: %q", form.Text())
	}
	tok, _ := form.Find(`input[name="_csrf"]`).Attr("value")
	resp, _ := c.post("/login/company", url.Values{"next": {next}, "time_zone": {"Europe/Berlin"}}, tok)
	to := location(c.t, resp, http.StatusSeeOther)
	if !strings.HasPrefix(to, a.idp.URL) {
		c.t.Fatalf("the company button led to %q, not the provider", to)
	}
	return to
}

// back is the browser arriving at presale from the provider.
func (a *companyApp) back(c *client, to string) (*http.Response, *goquery.Document) {
	c.t.Helper()
	return c.get(strings.TrimPrefix(to, a.http.URL))
}

// signInThroughCompany is the whole way: button, provider, back.
func (a *companyApp) signInThroughCompany(c *client, username, next string) (*http.Response, *goquery.Document) {
	c.t.Helper()
	return a.back(c, a.idp.SignIn(c.t, a.begin(c, next), username))
}

// refusedWith checks a sign-in was refused with a reason, on the sign-in
// page (a way back in), and left the browser signed out.
func (a *companyApp) refusedWith(c *client, resp *http.Response, page *goquery.Document, status int, reason string) {
	c.t.Helper()
	if resp.StatusCode != status {
		c.t.Errorf("status %d, want %d", resp.StatusCode, status)
	}
	if got := page.Find(`[data-testid="login-error"]`).Text(); !strings.Contains(got, reason) {
		c.t.Errorf("the refusal says %q, want it to say %q", got, reason)
	}
	if page.Find(`[data-testid="company-sign-in"]`).Length() != 1 || page.Find(`[data-testid="login-form"]`).Length() != 1 {
		c.t.Error("the refusal is not on the sign-in page with its ways in")
	}
	if resp, _ := c.get("/"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
		c.t.Errorf("after a refused sign-in the desk answers %d %s, want the way to sign in", resp.StatusCode, resp.Header.Get("Location"))
	}
}

// Company sign-in takes only the answer to the attempt this browser
// started, once, with an unexpired ID token carrying its nonce; and the
// code and state never reach the log.
func TestCompanySignInTrustsOnlyItsOwnAttempt(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		a := newCompanyApp(t, d)
		sales := a.users[domain.RoleSales]
		a.idp.Person(sales.Email, "Test Sales", true)

		t.Run("a known person signs in and lands where they were going", func(t *testing.T) {
			a.idp.Tokens(0, true) // the e-mail in the ID token
			c := a.clientFor(t)
			to := a.idp.SignIn(t, a.begin(c, "/deals?stage=discovery"), sales.Email)
			before := c.cookie("presale_session")
			resp, _ := a.back(c, to)
			if loc := location(t, resp, http.StatusSeeOther); loc != "/deals?stage=discovery" {
				t.Fatalf("signed in to %q", loc)
			}
			_, desk := c.get("/")
			if !strings.Contains(desk.Find("header").Text(), "Test Sales") {
				t.Errorf("the desk is not Test Sales's: %q", desk.Find("header").Text())
			}
			if after := c.cookie("presale_session"); after == "" || after == before {
				t.Error("the sign-in did not renew the session's token")
			}
		})

		t.Run("a replayed or forged way back signs no one in", func(t *testing.T) {
			a.idp.Tokens(0, false) // the e-mail from user info only
			c := a.clientFor(t)
			to := a.idp.SignIn(t, a.begin(c, "/"), sales.Email)
			forged := strings.Replace(to, "state=", "state=forged", 1)
			resp, page := a.back(c, forged)
			a.refusedWith(c, resp, page, http.StatusUnauthorized, "did not start in this browser")
			// The attempt was used up by the forged answer: the true one is
			// refused too, in this browser and in any other.
			resp, page = a.back(c, to)
			a.refusedWith(c, resp, page, http.StatusUnauthorized, "already used or never started here")
			other := a.clientFor(t)
			resp, page = a.back(other, to)
			a.refusedWith(other, resp, page, http.StatusUnauthorized, "already used or never started here")

			c = a.clientFor(t)
			to = a.idp.SignIn(t, a.begin(c, "/"), sales.Email)
			if resp, _ := a.back(c, to); resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("the sign-in: %d", resp.StatusCode)
			}
			thief := a.clientFor(t)
			a.thiefStarts(thief)
			resp, page = a.back(thief, to)
			a.refusedWith(thief, resp, page, http.StatusUnauthorized, "did not start in this browser")
			for _, secret := range []string{query(t, to, "code"), query(t, to, "state")} {
				if strings.Contains(a.log.String(), secret) {
					t.Errorf("the log holds a sign-in's code or state %q", secret)
				}
			}
		})

		t.Run("a provider's new signing key is fetched when it first signs with it", func(t *testing.T) {
			a.idp.RotateKeys()
			resp, _ := a.signInThroughCompany(a.clientFor(t), sales.Email, "/")
			location(t, resp, http.StatusSeeOther)
		})

		t.Run("an ID token for another sign-in (a wrong nonce) is refused", func(t *testing.T) {
			// An attacker signs in at the provider with the victim's state
			// and PKCE challenge but their own nonce, and slips the code
			// into the victim's browser: the exchange succeeds, the nonce
			// gives it away.
			c := a.clientFor(t)
			authURL, _ := url.Parse(a.begin(c, "/"))
			q := authURL.Query()
			q.Set("nonce", "the-attackers-nonce")
			authURL.RawQuery = q.Encode()
			resp, page := a.back(c, a.idp.SignIn(t, authURL.String(), sales.Email))
			a.refusedWith(c, resp, page, http.StatusUnauthorized, "not the one started in this browser")
		})

		t.Run("an expired ID token is refused", func(t *testing.T) {
			a.idp.Tokens(-time.Minute, true)
			defer a.idp.Tokens(0, true)
			c := a.clientFor(t)
			resp, page := a.signInThroughCompany(c, sales.Email, "/")
			a.refusedWith(c, resp, page, http.StatusUnauthorized, "expired sign-in")
		})

	})
}

// Whom a vouched-for identity lets in: the person of its verified e-mail
// unless deactivated; someone new at a domain the administrator admits,
// with the role they chose; and with company sign-in required, passwords
// for administrators only. (A test of its own: sign-in attempts are
// limited per client address, ten at once.)
func TestCompanySignInLetsInWhomTheOrganisationChose(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		a := newCompanyApp(t, d)
		ctx := context.Background()
		admin := a.world.User("Ada Admin", domain.RoleManager, testenv.Admin)
		sales := a.users[domain.RoleSales]
		a.idp.Person(sales.Email, "Test Sales", true)

		t.Run("an unverified e-mail is refused", func(t *testing.T) {
			a.idp.Person("unverified@example.com", "Una Verified", false)
			a.world.User("Una Verified", domain.RoleSales, testenv.Email("unverified@example.com"))
			c := a.clientFor(t)
			resp, page := a.signInThroughCompany(c, "unverified@example.com", "/")
			a.refusedWith(c, resp, page, http.StatusForbidden, "is not verified")
		})

		t.Run("a deactivated person stays out", func(t *testing.T) {
			gone := a.world.User("Gone Person", domain.RoleDevRel, testenv.Email("gone@example.com"))
			if _, err := a.world.Svc.People.UpdateUser(ctx, admin, gone.ID, domain.UserUpdate{Role: string(domain.RoleDevRel), Active: false}); err != nil {
				t.Fatal(err)
			}
			a.idp.Person("gone@example.com", "Gone Person", true)
			c := a.clientFor(t)
			resp, page := a.signInThroughCompany(c, "gone@example.com", "/")
			a.refusedWith(c, resp, page, http.StatusForbidden, "deactivated")
		})

		adminClient := a.signInAs(admin)
		_, settings := adminClient.get("/admin/settings")
		if settings.Find(`[data-testid="company-sign-in-settings"]`).Length() != 1 {
			t.Fatal("the settings page has no company sign-in section")
		}

		t.Run("someone unknown is refused until the administrator admits their domain", func(t *testing.T) {
			a.idp.Person("new.comer@example.org", "New Comer", true)
			c := a.clientFor(t)
			resp, page := a.signInThroughCompany(c, "new.comer@example.org", "/")
			a.refusedWith(c, resp, page, http.StatusForbidden, "No one signs in to presale as new.comer@example.org")

			resp, _ = adminClient.submit("/admin/settings/sign-in", url.Values{"sign_in_domains": {"Example.org, @corp.example"}, "sign_in_role": {"devrel"}})
			location(t, resp, http.StatusSeeOther)
			_, settings := adminClient.get("/admin/settings")
			if got := value(settings, "sign_in_domains"); got != "example.org corp.example" {
				t.Errorf("the domains read back as %q", got)
			}

			c = a.clientFor(t)
			resp, _ = a.signInThroughCompany(c, "new.comer@example.org", "/")
			if loc := location(t, resp, http.StatusSeeOther); loc != "/" {
				t.Fatalf("the newcomer went to %q", loc)
			}
			u := a.byEmail("new.comer@example.org")
			if u.Role != domain.RoleDevRel || u.Admin || !u.Active || u.Name != "New Comer" || u.PasswordHash != "" {
				t.Errorf("the newcomer is %s, %s, admin %v, active %v, password %v", u.Name, u.Role, u.Admin, u.Active, u.PasswordHash != "")
			}
			if _, err := a.world.Svc.People.Authenticate(ctx, u.Email, ""); err == nil {
				t.Error("the newcomer signs in with an empty password")
			}
			if resp, _ := c.get("/support"); resp.StatusCode != http.StatusOK {
				t.Errorf("the newcomer's support board: %d", resp.StatusCode)
			}
			if _, settings := c.get("/settings"); settings.Find(`[data-testid="no-password"]`).Length() != 1 || settings.Find(`[data-testid="password-form"]`).Length() != 0 {
				t.Error("the newcomer's settings ask for a current password they never had")
			}
		})

		t.Run("someone unknown at another domain is refused", func(t *testing.T) {
			a.idp.Person("outsider@elsewhere.net", "Out Sider", true)
			c := a.clientFor(t)
			resp, page := a.signInThroughCompany(c, "outsider@elsewhere.net", "/")
			a.refusedWith(c, resp, page, http.StatusForbidden, "Ask an administrator to add you")
			if _, err := a.world.Store.People().UserByEmail(ctx, "outsider@elsewhere.net"); err == nil {
				t.Error("the outsider was created")
			}
		})

		t.Run("required company sign-in refuses passwords to all but administrators", func(t *testing.T) {
			resp, _ := adminClient.submit("/admin/settings/sign-in", url.Values{"sign_in_domains": {"example.org"}, "sign_in_role": {"devrel"}, "sign_in_required": {"1"}})
			location(t, resp, http.StatusSeeOther)
			c := a.clientFor(t)
			if _, login := c.get("/login"); !strings.Contains(login.Find(`[data-testid="admins-only"]`).Text(), "Administrators") {
				t.Error("the sign-in page does not say passwords are the administrators'")
			}
			resp, page := c.post("/login", url.Values{"email": {sales.Email}, "password": {password}}, c.csrf("/login"))
			a.refusedWith(c, resp, page, http.StatusForbidden, "Sign in with the company button")
			a.signInAs(admin) // fails the test unless the password signs them in
			// The company button still lets the salesperson in.
			resp, _ = a.signInThroughCompany(a.clientFor(t), sales.Email, "/")
			location(t, resp, http.StatusSeeOther)
		})
	})
}

// thiefStarts begins a sign-in of their own in the thief's browser, so
// it holds an attempt whose state is not the stolen answer's.
func (a *companyApp) thiefStarts(c *client) { a.begin(c, "/") }

func query(t *testing.T, raw, key string) string {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil || u.Query().Get(key) == "" {
		t.Fatalf("no %s in %q", key, raw)
	}
	return u.Query().Get(key)
}

// Without PRESALE_OIDC_* nothing of company sign-in shows, and passwords
// work as they always did.
func TestNoCompanySignInWhenNotConfigured(t *testing.T) {
	a := newApp(t, testenv.Open(t, db.SQLite), web.Config{})
	c := a.client()
	_, page := c.get("/login")
	if page.Find(`[data-testid="company-sign-in"]`).Length() != 0 {
		t.Error("the sign-in page shows a company button")
	}
	if resp, _ := c.post("/login/company", nil, c.csrf("/login")); resp.StatusCode != http.StatusNotFound {
		t.Errorf("the company button's address answers %d", resp.StatusCode)
	}
	admin := a.admin()
	ac := a.signInAs(admin)
	_, settings := ac.get("/admin/settings")
	if settings.Find(`[data-testid="company-sign-in-settings"]`).Length() != 0 {
		t.Error("the settings page shows company sign-in")
	}
	a.signedIn(domain.RoleSales)
}

// A provider that cannot be reached leaves the sign-in page saying so,
// and the password form there.
func TestCompanySignInWhenTheProviderIsAway(t *testing.T) {
	away := httptest.NewServer(http.NotFoundHandler())
	away.Close()
	company := companysignin.New(companysignin.Config{Issuer: away.URL, ClientID: "presale", ClientSecret: "secret", RedirectURL: away.URL + "/back"})
	a := newApp(t, testenv.Open(t, db.SQLite), web.Config{CompanySignIn: company})
	c := a.client()
	resp, page := c.post("/login/company", url.Values{"next": {"/deals"}}, c.csrf("/login"))
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(page.Find(`[data-testid="login-error"]`).Text(), "cannot reach your company's sign-in service") {
		t.Errorf("%d: %q", resp.StatusCode, page.Find(`[data-testid="login-error"]`).Text())
	}
	if page.Find(`[data-testid="login-form"]`).Length() != 1 || value(page, "next") != "/deals" {
		t.Error("the password form is not there to go on with")
	}
}
