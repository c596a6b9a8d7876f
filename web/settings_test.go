package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/presale/presale/db"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/service"
	"github.com/presale/presale/internal/testenv"
	"github.com/presale/presale/web"
)

func TestRotatingTheCalendarFeedEndsTheOldAddress(t *testing.T) {
	a := newApp(t, testenv.Open(t, db.SQLite), web.Config{})
	sales := a.users[domain.RoleSales]
	c := a.signedIn(domain.RoleSales)
	old := "/calendar/" + sales.CalendarToken + ".ics"
	if resp := a.client().do(http.MethodGet, old, nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("feed before rotating: %d", resp.StatusCode)
	}
	resp, _ := c.submit("/settings/calendar", nil)
	location(t, resp, http.StatusSeeOther)
	if resp := a.client().do(http.MethodGet, old, nil); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("the old feed address answers %d", resp.StatusCode)
	}
	_, page := c.get("/settings")
	if page.Find(`.flash`).Length() == 0 {
		t.Error("no confirmation after rotating")
	}
	fresh := a.byEmail(sales.Email).CalendarToken
	if fresh == sales.CalendarToken {
		t.Fatal("the token did not change")
	}
	if v, _ := page.Find(`[data-testid="calendar-feed"] input`).Attr("value"); v == "" || v[len(v)-len(fresh)-4:] != fresh+".ics" {
		t.Fatalf("settings show %q", v)
	}
	if resp := a.client().do(http.MethodGet, "/calendar/"+fresh+".ics", nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("the new address answers %d", resp.StatusCode)
	}
}

func TestChangingThePasswordEndsOtherSessions(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		a := newApp(t, d, web.Config{})
		here, there := a.signedIn(domain.RoleSales), a.signedIn(domain.RoleSales)
		const next = "a brand new passphrase"

		resp, page := here.submit("/settings/password", url.Values{"current_password": {"wrong guess here"}, "new_password": {next}})
		if resp.StatusCode != http.StatusUnprocessableEntity || fieldError(page, "current_password") == "" {
			t.Fatalf("wrong current password: %d %q", resp.StatusCode, fieldError(page, "current_password"))
		}
		resp, page = here.submit("/settings/password", url.Values{"current_password": {password}, "new_password": {"short"}})
		if resp.StatusCode != http.StatusUnprocessableEntity || fieldError(page, "new_password") == "" {
			t.Fatalf("short new password: %d", resp.StatusCode)
		}
		resp, _ = here.submit("/settings/password", url.Values{"current_password": {password}, "new_password": {next}})
		location(t, resp, http.StatusSeeOther)
		if resp, _ := here.get("/"); resp.StatusCode != http.StatusOK {
			t.Fatalf("the session that changed it ended: %d", resp.StatusCode)
		}
		if resp, _ := there.get("/"); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login" {
			t.Fatalf("the other session goes on: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		c := a.client()
		if resp, _ := c.post("/login", url.Values{"email": {a.users[domain.RoleSales].Email}, "password": {password}}, c.csrf("/login")); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("the old password still signs in: %d", resp.StatusCode)
		}
		c = a.client()
		if resp, _ := c.post("/login", url.Values{"email": {a.users[domain.RoleSales].Email}, "password": {next}}, c.csrf("/login")); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("the new password does not sign in: %d", resp.StatusCode)
		}
	})
}

func TestAOneTimePasswordMustBeReplaced(t *testing.T) {
	a := newApp(t, testenv.Open(t, db.SQLite), web.Config{})
	admin, err := a.svc().People.CreateUser(t.Context(), nil, service.NewUser{Name: "Ada Admin", Email: "admin@example.com", Role: domain.RoleManager, Admin: true, Password: password})
	if err != nil {
		t.Fatal(err)
	}
	dev := a.users[domain.RoleDevRel]
	before := a.signedIn(domain.RoleDevRel)
	const once = "only for today 2026"
	resp, _ := a.signInAs(admin).submit(fmt.Sprintf("/admin/users/%d/password", dev.ID), url.Values{"one_time_password": {once}})
	location(t, resp, http.StatusSeeOther)
	if resp, _ := before.get("/"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("the DevRel's session outlived the reset: %d", resp.StatusCode)
	}
	c := a.client()
	resp, _ = c.post("/login", url.Values{"email": {dev.Email}, "password": {once}}, c.csrf("/login"))
	if loc := location(t, resp, http.StatusSeeOther); loc != "/settings#password" {
		t.Fatalf("sign-in with a one-time password led to %q", loc)
	}
	if resp, _ := c.get("/deals"); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/settings#password" {
		t.Fatalf("pages open before the password is replaced: %d", resp.StatusCode)
	}
	c.tok = c.csrf("/settings")
	if resp, _ := c.submit(fmt.Sprintf("/support-requests/%d/claim", 1), nil); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("actions open before the password is replaced: %d", resp.StatusCode)
	}
	resp, _ = c.submit("/settings/password", url.Values{"current_password": {once}, "new_password": {"my own passphrase"}})
	location(t, resp, http.StatusSeeOther)
	if resp, _ := c.get("/deals"); resp.StatusCode != http.StatusOK {
		t.Fatalf("after choosing a password: %d", resp.StatusCode)
	}
	// Only administrators set one-time passwords.
	if resp, _ := a.signedIn(domain.RoleManager).submit(fmt.Sprintf("/admin/users/%d/password", dev.ID), url.Values{"one_time_password": {once}}); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("a manager without the admin flag: %d", resp.StatusCode)
	}
}
