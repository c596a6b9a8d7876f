package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/presale/presale/db"
	"github.com/presale/presale/db/seed"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/service"
	"github.com/presale/presale/internal/store"
	"github.com/presale/presale/internal/testenv"
	"github.com/presale/presale/web"
)

// svc is the service over the app's database, for arranging a test.
func (a *app) svc() *service.Service {
	return service.New(store.New(a.db.Write, a.db.Read), service.WithClock(a.clock))
}

// user adds another user of a role.
func (a *app) user(name string, role domain.Role) domain.User {
	a.t.Helper()
	u, err := a.svc().CreateUser(context.Background(), nil, service.NewUser{Name: name, Email: strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@example.com", Role: role, Password: password})
	if err != nil {
		a.t.Fatal(err)
	}
	return u
}

// signInAs signs a client in as any user.
func (a *app) signInAs(u domain.User) *client {
	c := a.client()
	resp, _ := c.post("/login", url.Values{"email": {u.Email}, "password": {a.pw()}}, c.csrf("/login"))
	if resp.StatusCode != http.StatusSeeOther {
		a.t.Fatalf("sign-in as %s: %d", u.Email, resp.StatusCode)
	}
	return c
}

// account creates a customer with contacts.
func (a *app) account(name string, contacts ...string) (domain.Account, []domain.Contact) {
	a.t.Helper()
	ctx := context.Background()
	sales := a.users[domain.RoleSales]
	acc, err := a.svc().CreateAccount(ctx, sales, domain.AccountInput{Name: name})
	if err != nil {
		a.t.Fatal(err)
	}
	var cs []domain.Contact
	for _, n := range contacts {
		c, err := a.svc().CreateContact(ctx, sales, acc.ID, domain.ContactInput{Name: n})
		if err != nil {
			a.t.Fatal(err)
		}
		cs = append(cs, c)
	}
	return acc, cs
}

// deal opens a deal owned by owner.
func (a *app) deal(owner domain.User, accountID int64, title string, mods ...func(*domain.DealInput)) domain.Deal {
	a.t.Helper()
	in := domain.DealInput{Title: title, AccountID: fmt.Sprint(accountID), Stage: "discovery", Amount: "1000", Currency: "USD"}
	for _, m := range mods {
		m(&in)
	}
	d, err := a.svc().CreateDeal(context.Background(), owner, in)
	if err != nil {
		a.t.Fatal(err)
	}
	return d
}

// assign puts a DevRel on a deal, as a claimed support request would.
func (a *app) assign(dealID int64, devrel domain.User) {
	a.t.Helper()
	if err := a.db.Write.Create(&domain.Assignment{DealID: dealID, UserID: devrel.ID, Role: domain.AssignmentLead, Active: true, ClaimedAt: time.Now().UTC()}).Error; err != nil {
		a.t.Fatal(err)
	}
}

// meeting schedules a meeting hours from now on a deal.
func (a *app) meeting(owner domain.User, dealID int64, title string, inHours int, attendees ...domain.User) domain.Meeting {
	a.t.Helper()
	start := time.Now().UTC().Add(time.Duration(inHours) * time.Hour).Truncate(time.Minute)
	in := domain.MeetingInput{Title: title, Type: "demo", StartsAt: start.Format(domain.DateTimeLayout), EndsAt: start.Add(time.Hour).Format(domain.DateTimeLayout),
		AlreadyHeld: inHours < 0}
	for _, u := range attendees {
		in.InternalAttendeeIDs = append(in.InternalAttendeeIDs, fmt.Sprint(u.ID))
	}
	m, err := a.svc().ScheduleMeeting(context.Background(), owner, dealID, in, time.UTC)
	if err != nil {
		a.t.Fatal(err)
	}
	return m
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
	st := store.New(d.Write, d.Read)
	a := &app{t: t, db: d, users: map[domain.Role]domain.User{}, clock: testenv.Clock()}
	a.srv = web.New(web.Config{}, a.svc(), st.Sessions(), d.Ready, nil)
	a.http = httptest.NewServer(a.srv)
	t.Cleanup(a.http.Close)
	a.password = seed.DemoPassword
	return a
}

// byEmail finds a user of the app's database.
func (a *app) byEmail(email string) domain.User {
	a.t.Helper()
	u, err := store.New(a.db.Write, a.db.Read).UserByEmail(context.Background(), email)
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
