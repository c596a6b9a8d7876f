package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/presale/presale/db"
	"github.com/presale/presale/db/seed"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/service"
	"github.com/presale/presale/internal/store"
	"github.com/presale/presale/internal/testenv"
	"github.com/presale/presale/web"
)

// svc is the service over the app's database and clock, for arranging a
// test.
func (a *app) svc() *service.Service { return a.world.Svc }

// user adds another user of a role.
func (a *app) user(name string, role domain.Role) domain.User { return a.world.User(name, role) }

// signInAs signs a client in as any user.
func (a *app) signInAs(u domain.User) *client {
	c := a.client()
	resp, _ := c.post("/login", url.Values{"email": {u.Email}, "password": {a.pw()}}, c.csrf("/login"))
	if resp.StatusCode != http.StatusSeeOther {
		a.t.Fatalf("sign-in as %s: %d", u.Email, resp.StatusCode)
	}
	return c
}

// admin adds an administrator (a manager with the admin flag).
func (a *app) admin() domain.User {
	return a.world.User("Ada Admin", domain.RoleManager, func(u *service.NewUser) { u.Admin = true })
}

// account creates a customer with contacts, as the salesperson.
func (a *app) account(name string, contacts ...string) (domain.Account, []domain.Contact) {
	return a.world.Account(a.users[domain.RoleSales], name, contacts...)
}

// deal opens a deal owned by owner.
func (a *app) deal(owner domain.User, accountID int64, title string, mods ...func(*domain.DealInput)) domain.Deal {
	return a.world.Deal(owner, accountID, title, mods...)
}

// assign puts a DevRel on a deal, as a claimed support request would.
func (a *app) assign(dealID int64, devrel domain.User) { a.world.Assign(dealID, devrel) }

// meeting schedules a meeting hours from now on a deal.
func (a *app) meeting(owner domain.User, dealID int64, title string, inHours int, attendees ...domain.User) domain.Meeting {
	return a.world.Meeting(owner, dealID, title, inHours, attendees...)
}

// token is the CSRF token of a signed-in client's pages; it lasts as long
// as the session.
func (c *client) token() string {
	c.t.Helper()
	if c.tok == "" {
		c.tok = c.csrf("/")
	}
	return c.tok
}

// submit posts a form with the client's token.
func (c *client) submit(path string, form url.Values) (*http.Response, *goquery.Document) {
	c.t.Helper()
	return c.post(path, form, c.token())
}

// fieldError is the message shown beside a form field.
func fieldError(d *goquery.Document, field string) string {
	return strings.TrimSpace(d.Find(`[data-testid="` + field + `-error"]`).Text())
}

// value is what a form control holds.
func value(d *goquery.Document, name string) string {
	sel := d.Find(`[name="` + name + `"]`).First()
	switch goquery.NodeName(sel) {
	case "textarea":
		return sel.Text()
	case "select":
		return sel.Find("option[selected]").AttrOr("value", "")
	}
	return sel.AttrOr("value", "")
}

func location(t *testing.T, resp *http.Response, want int) string {
	t.Helper()
	if resp.StatusCode != want {
		t.Fatalf("status %d, want %d", resp.StatusCode, want)
	}
	return resp.Header.Get("Location")
}

// demoApp serves an already seeded database; its users keep their demo
// passwords.
func demoApp(t *testing.T, d *db.DB) *app {
	t.Helper()
	a := &app{t: t, db: d, users: map[domain.Role]domain.User{}, world: testenv.NewWorld(t, d)}
	a.srv = web.New(web.Config{}, a.svc(), a.world.Store.Sessions(), d.Ready, nil)
	a.http = httptest.NewServer(a.srv)
	t.Cleanup(a.http.Close)
	a.password = seed.DemoPassword
	return a
}

// byEmail finds a user of the app's database.
func (a *app) byEmail(email string) domain.User {
	a.t.Helper()
	u, err := store.New(a.db.Write, a.db.Read).People().UserByEmail(context.Background(), email)
	if err != nil {
		a.t.Fatal(err)
	}
	return u
}

func (a *app) pw() string {
	if a.password != "" {
		return a.password
	}
	return password
}

// htmxSubmit posts a form as htmx does from the page at current, and
// returns the answer unread.
func (c *client) htmxSubmit(path string, form url.Values, current string) *http.Response {
	c.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	form.Set("_csrf", c.token())
	req, _ := http.NewRequest(http.MethodPost, c.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("HX-Request", "true")
	req.Header.Set("HX-Current-URL", c.base+current)
	resp, err := c.c.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}
