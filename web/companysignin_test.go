package web_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/zitadel/oidc/v3/example/server/exampleop"
	"github.com/zitadel/oidc/v3/example/server/storage"
	"github.com/zitadel/oidc/v3/pkg/op"
	"golang.org/x/text/language"

	"github.com/presale/presale/db"
	"github.com/presale/presale/internal/companysignin"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/service"
	"github.com/presale/presale/internal/testenv"
	"github.com/presale/presale/web"
)

// The identity provider of these tests is a real OpenID provider:
// zitadel's op package (OpenID certified) with its example storage and
// login page, on its own HTTP server. presale talks to it as it would to
// the company's: discovery, the authorization code flow with PKCE, the
// token endpoint, its keys, user info.

const (
	idpClientID     = "presale"
	idpClientSecret = "presale-test-secret"
	idpPassword     = "provider-password"
)

// idpPeople is the provider's directory.
type idpPeople struct {
	mu    sync.Mutex
	users map[string]*storage.User
}

func (p *idpPeople) GetUserByID(id string) *storage.User {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.users[id]
}

func (p *idpPeople) GetUserByUsername(username string) *storage.User {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, u := range p.users {
		if u.Username == username {
			return u
		}
	}
	return nil
}

func (p *idpPeople) ExampleClientID() string { return storage.ServiceUserID }

// idpStorage is the example storage, with presale's client as the test
// sets it: how long its ID tokens live, whether they carry the e-mail
// (or only user info does).
type idpStorage struct {
	*storage.Storage
	mu       sync.Mutex
	lifetime time.Duration // of ID tokens; 0 is the example's hour
	inToken  bool          // the e-mail claims in the ID token itself
}

func (s *idpStorage) GetClientByClientID(ctx context.Context, id string) (op.Client, error) {
	c, err := s.Storage.GetClientByClientID(ctx, id)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return idpClient{Client: c, lifetime: s.lifetime, inToken: s.inToken}, nil
}

type idpClient struct {
	op.Client
	lifetime time.Duration
	inToken  bool
}

func (c idpClient) IDTokenLifetime() time.Duration {
	if c.lifetime != 0 {
		return c.lifetime
	}
	return c.Client.IDTokenLifetime()
}

func (c idpClient) IDTokenUserinfoClaimsAssertion() bool { return c.inToken }

// idp is the provider on its server.
type idp struct {
	t       *testing.T
	srv     *httptest.Server
	people  *idpPeople
	storage *idpStorage
}

func newIdP(t *testing.T, redirectURL string) *idp {
	t.Helper()
	var router http.Handler
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { router.ServeHTTP(w, r) }))
	t.Cleanup(srv.Close)
	people := &idpPeople{users: map[string]*storage.User{}}
	clients := map[string]*storage.Client{idpClientID: storage.WebClient(idpClientID, idpClientSecret, redirectURL)}
	st := &idpStorage{Storage: storage.NewStorageWithClients(people, clients)}
	router = exampleop.SetupServer(srv.URL, st, nil, false)
	return &idp{t: t, srv: srv, people: people, storage: st}
}

// person adds someone to the provider's directory; they sign in there
// with their e-mail as user name.
func (p *idp) person(email, name string, verified bool) {
	p.people.mu.Lock()
	defer p.people.mu.Unlock()
	first, last, _ := strings.Cut(name, " ")
	p.people.users["id-"+email] = &storage.User{ID: "id-" + email, Username: email, Password: idpPassword, FirstName: first, LastName: last,
		Email: email, EmailVerified: verified, PreferredLanguage: language.English}
}

// tokens sets how the provider makes ID tokens for presale.
func (p *idp) tokens(lifetime time.Duration, emailInToken bool) {
	p.storage.mu.Lock()
	defer p.storage.mu.Unlock()
	p.storage.lifetime, p.storage.inToken = lifetime, emailInToken
}

// signIn is a person at the provider's login page, from the address
// presale sent the browser to: it answers the address the provider sends
// the browser back to presale with.
func (p *idp) signIn(authURL, username string) string {
	p.t.Helper()
	back := func(u *url.URL) bool { return !strings.HasPrefix(u.String(), p.srv.URL) }
	hc := &http.Client{CheckRedirect: func(req *http.Request, _ []*http.Request) error {
		if back(req.URL) {
			return http.ErrUseLastResponse
		}
		return nil
	}}
	resp, err := hc.Get(authURL)
	if err != nil {
		p.t.Fatal(err)
	}
	resp.Body.Close()
	id := resp.Request.URL.Query().Get("authRequestID")
	if resp.StatusCode != http.StatusOK || id == "" {
		p.t.Fatalf("the provider's login page: %d at %s (Location %s)", resp.StatusCode, resp.Request.URL, resp.Header.Get("Location"))
	}
	resp, err = hc.PostForm(p.srv.URL+"/login/username", url.Values{"username": {username}, "password": {idpPassword}, "id": {id}})
	if err != nil {
		p.t.Fatal(err)
	}
	resp.Body.Close()
	to := resp.Header.Get("Location")
	if u, err := url.Parse(to); err != nil || !back(u) || !strings.Contains(to, web.CompanyCallbackPath) {
		p.t.Fatalf("the provider sent the browser to %q (%d), not back to presale", to, resp.StatusCode)
	}
	return to
}

// companyApp is presale with company sign-in configured against a
// provider of the test, and its log.
type companyApp struct {
	*app
	idp *idp
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
	p := newIdP(t, base+web.CompanyCallbackPath)
	client := companysignin.New(companysignin.Config{Issuer: p.srv.URL, ClientID: idpClientID, ClientSecret: idpClientSecret,
		RedirectURL: base + web.CompanyCallbackPath, Name: "Example SSO", Now: world.Clock})
	svc := service.New(world.Store, service.WithClock(world.Clock), service.WithCompanySignIn())
	logs := &testenv.Buffer{}
	a.config = web.Config{BaseURL: base, CompanySignIn: client}
	a.srv = web.New(a.config, svc, world.Store.Sessions(), d.Ready, slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	handler = a.srv
	a.http.Start()
	t.Cleanup(a.http.Close)
	return &companyApp{app: a, idp: p, log: logs}
}

// begin presses the company button on the sign-in page: the address of
// the provider presale sends the browser to.
func (a *companyApp) begin(c *client, next string) string {
	a.t.Helper()
	_, page := c.get("/login?next=" + url.QueryEscape(next))
	form := page.Find(`[data-testid="company-sign-in"]`)
	if !strings.Contains(form.Text(), "Sign in with Example SSO") {
		a.t.Fatalf("the sign-in page has no company button: %q", form.Text())
	}
	tok, _ := form.Find(`input[name="_csrf"]`).Attr("value")
	resp, _ := c.post("/login/company", url.Values{"next": {next}, "time_zone": {"Europe/Berlin"}}, tok)
	to := location(a.t, resp, http.StatusSeeOther)
	if !strings.HasPrefix(to, a.idp.srv.URL) {
		a.t.Fatalf("the company button led to %q, not the provider", to)
	}
	return to
}

// back is the browser arriving at presale from the provider.
func (a *companyApp) back(c *client, to string) (*http.Response, *goquery.Document) {
	a.t.Helper()
	return c.get(strings.TrimPrefix(to, a.http.URL))
}

// signInThroughCompany is the whole way: button, provider, back.
func (a *companyApp) signInThroughCompany(c *client, username, next string) (*http.Response, *goquery.Document) {
	a.t.Helper()
	return a.back(c, a.idp.signIn(a.begin(c, next), username))
}

// refusedWith checks a sign-in was refused with a reason, on the sign-in
// page (a way back in), and left the browser signed out.
func (a *companyApp) refusedWith(c *client, resp *http.Response, page *goquery.Document, status int, reason string) {
	a.t.Helper()
	if resp.StatusCode != status {
		a.t.Errorf("status %d, want %d", resp.StatusCode, status)
	}
	if got := page.Find(`[data-testid="login-error"]`).Text(); !strings.Contains(got, reason) {
		a.t.Errorf("the refusal says %q, want it to say %q", got, reason)
	}
	if page.Find(`[data-testid="company-sign-in"]`).Length() != 1 || page.Find(`[data-testid="login-form"]`).Length() != 1 {
		a.t.Error("the refusal is not on the sign-in page with its ways in")
	}
	if resp, _ := c.get("/"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
		a.t.Errorf("after a refused sign-in the desk answers %d %s, want the way to sign in", resp.StatusCode, resp.Header.Get("Location"))
	}
}

// Company sign-in takes only the answer to the attempt this browser
// started, once, with an unexpired ID token carrying its nonce; and the
// code and state never reach the log.
func TestCompanySignInTrustsOnlyItsOwnAttempt(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		a := newCompanyApp(t, d)
		sales := a.users[domain.RoleSales]
		a.idp.person(sales.Email, "Test Sales", true)

		t.Run("a known person signs in and lands where they were going", func(t *testing.T) {
			a.idp.tokens(0, true) // the e-mail in the ID token
			c := a.client()
			resp, _ := a.signInThroughCompany(c, sales.Email, "/deals?stage=discovery")
			if loc := location(t, resp, http.StatusSeeOther); loc != "/deals?stage=discovery" {
				t.Fatalf("signed in to %q", loc)
			}
			_, desk := c.get("/")
			if !strings.Contains(desk.Find("header").Text(), "Test Sales") {
				t.Errorf("the desk is not Test Sales's: %q", desk.Find("header").Text())
			}
			if c.cookie("presale_session") == "" {
				t.Error("no session cookie")
			}
		})

		t.Run("a replayed or forged way back signs no one in", func(t *testing.T) {
			a.idp.tokens(0, false) // the e-mail from user info only
			c := a.client()
			to := a.idp.signIn(a.begin(c, "/"), sales.Email)
			forged := strings.Replace(to, "state=", "state=forged", 1)
			resp, page := a.back(c, forged)
			a.refusedWith(c, resp, page, http.StatusUnauthorized, "did not start in this browser")
			// The attempt was used up by the forged answer: the true one is
			// refused too, in this browser and in any other.
			resp, page = a.back(c, to)
			a.refusedWith(c, resp, page, http.StatusUnauthorized, "already used or never started here")
			other := a.client()
			resp, page = a.back(other, to)
			a.refusedWith(other, resp, page, http.StatusUnauthorized, "already used or never started here")

			c = a.client()
			to = a.idp.signIn(a.begin(c, "/"), sales.Email)
			if resp, _ := a.back(c, to); resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("the sign-in: %d", resp.StatusCode)
			}
			thief := a.client()
			a.thiefStarts(thief)
			resp, page = a.back(thief, to)
			a.refusedWith(thief, resp, page, http.StatusUnauthorized, "did not start in this browser")
			for _, secret := range []string{query(t, to, "code"), query(t, to, "state")} {
				if strings.Contains(a.log.String(), secret) {
					t.Errorf("the log holds a sign-in's code or state %q", secret)
				}
			}
		})

		t.Run("an ID token for another sign-in (a wrong nonce) is refused", func(t *testing.T) {
			// An attacker signs in at the provider with the victim's state
			// and PKCE challenge but their own nonce, and slips the code
			// into the victim's browser: the exchange succeeds, the nonce
			// gives it away.
			c := a.client()
			authURL, _ := url.Parse(a.begin(c, "/"))
			q := authURL.Query()
			q.Set("nonce", "the-attackers-nonce")
			authURL.RawQuery = q.Encode()
			resp, page := a.back(c, a.idp.signIn(authURL.String(), sales.Email))
			a.refusedWith(c, resp, page, http.StatusUnauthorized, "not the one started in this browser")
		})

		t.Run("an expired ID token is refused", func(t *testing.T) {
			a.idp.tokens(-time.Minute, true)
			defer a.idp.tokens(0, true)
			c := a.client()
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
		a.idp.person(sales.Email, "Test Sales", true)

		t.Run("an unverified e-mail is refused", func(t *testing.T) {
			a.idp.person("unverified@example.com", "Una Verified", false)
			a.world.User("Una Verified", domain.RoleSales, testenv.Email("unverified@example.com"))
			c := a.client()
			resp, page := a.signInThroughCompany(c, "unverified@example.com", "/")
			a.refusedWith(c, resp, page, http.StatusForbidden, "is not verified")
		})

		t.Run("a deactivated person stays out", func(t *testing.T) {
			gone := a.world.User("Gone Person", domain.RoleDevRel, testenv.Email("gone@example.com"))
			if _, err := a.world.Svc.People.UpdateUser(ctx, admin, gone.ID, domain.UserUpdate{Role: string(domain.RoleDevRel), Active: false}); err != nil {
				t.Fatal(err)
			}
			a.idp.person("gone@example.com", "Gone Person", true)
			c := a.client()
			resp, page := a.signInThroughCompany(c, "gone@example.com", "/")
			a.refusedWith(c, resp, page, http.StatusForbidden, "deactivated")
		})

		adminClient := a.signInAs(admin)
		_, settings := adminClient.get("/admin/settings")
		if settings.Find(`[data-testid="company-sign-in-settings"]`).Length() != 1 {
			t.Fatal("the settings page has no company sign-in section")
		}

		t.Run("someone unknown is refused until the administrator admits their domain", func(t *testing.T) {
			a.idp.person("new.comer@example.org", "New Comer", true)
			c := a.client()
			resp, page := a.signInThroughCompany(c, "new.comer@example.org", "/")
			a.refusedWith(c, resp, page, http.StatusForbidden, "No one signs in to presale as new.comer@example.org")

			resp, _ = adminClient.submit("/admin/settings/sign-in", url.Values{"sign_in_domains": {"Example.org, @corp.example"}, "sign_in_role": {"devrel"}})
			location(t, resp, http.StatusSeeOther)
			_, settings := adminClient.get("/admin/settings")
			if got := value(settings, "sign_in_domains"); got != "example.org corp.example" {
				t.Errorf("the domains read back as %q", got)
			}

			c = a.client()
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
		})

		t.Run("someone unknown at another domain is refused", func(t *testing.T) {
			a.idp.person("outsider@elsewhere.net", "Out Sider", true)
			c := a.client()
			resp, page := a.signInThroughCompany(c, "outsider@elsewhere.net", "/")
			a.refusedWith(c, resp, page, http.StatusForbidden, "Ask an administrator to add you")
			if _, err := a.world.Store.People().UserByEmail(ctx, "outsider@elsewhere.net"); err == nil {
				t.Error("the outsider was created")
			}
		})

		t.Run("required company sign-in refuses passwords to all but administrators", func(t *testing.T) {
			resp, _ := adminClient.submit("/admin/settings/sign-in", url.Values{"sign_in_domains": {"example.org"}, "sign_in_role": {"devrel"}, "sign_in_required": {"1"}})
			location(t, resp, http.StatusSeeOther)
			c := a.client()
			resp, page := c.post("/login", url.Values{"email": {sales.Email}, "password": {password}}, c.csrf("/login"))
			a.refusedWith(c, resp, page, http.StatusForbidden, "Sign in with the company button")
			a.signInAs(admin) // fails the test unless the password signs them in
			// The company button still lets the salesperson in.
			resp, _ = a.signInThroughCompany(a.client(), sales.Email, "/")
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
