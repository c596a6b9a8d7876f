package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/presale/presale/db"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/service"
	"github.com/presale/presale/internal/testenv"
	"github.com/presale/presale/web"
)

func TestAdministratorsManageUsers(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		a := newApp(t, d, web.Config{})
		admin, err := a.svc().People.CreateUser(t.Context(), nil, service.NewUser{Name: "Ada Admin", Email: "admin@example.com", Role: domain.RoleManager, Admin: true, Password: password})
		if err != nil {
			t.Fatal(err)
		}
		c := a.signInAs(admin)
		if resp, _ := a.signedIn(domain.RoleManager).get("/admin/users"); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("a manager without the admin flag: %d", resp.StatusCode)
		}
		_, page := c.get("/")
		if !strings.Contains(page.Find(`[data-testid="nav"]`).Text(), "Admin") {
			t.Fatal("no Admin in an administrator's navigation")
		}

		resp, page := c.submit("/admin/users", url.Values{"name": {"Tom Silva"}, "email": {"tom@example.com"}, "role": {"devrel"}, "capacity": {"3"}, "password": {"short"}})
		if resp.StatusCode != http.StatusUnprocessableEntity || fieldError(page, "password") == "" || value(page, "email") != "tom@example.com" {
			t.Fatalf("short password: %d", resp.StatusCode)
		}
		location(t, mustResp(c.submit("/admin/users", url.Values{"name": {"Tom Silva"}, "email": {"tom@example.com"}, "role": {"devrel"}, "capacity": {"3"}, "password": {"a long first password"}})), http.StatusSeeOther)
		tom := a.byEmail("tom@example.com")
		if tom.Capacity != 3 || tom.Role != domain.RoleDevRel {
			t.Fatalf("created %+v", tom)
		}
		tc := a.client()
		resp, _ = tc.post("/login", url.Values{"email": {"tom@example.com"}, "password": {"a long first password"}}, tc.csrf("/login"))
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("the new user cannot sign in: %d", resp.StatusCode)
		}

		path := fmt.Sprint("/admin/users/", tom.ID)
		location(t, mustResp(c.submit(path, url.Values{"role": {"devrel"}, "capacity": {"4"}})), http.StatusSeeOther) // not active
		if got := a.byEmail("tom@example.com"); got.Active || got.Capacity != 4 {
			t.Fatalf("after deactivation %+v", got)
		}
		if resp, _ := tc.get("/"); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("a deactivated user is still signed in: %d", resp.StatusCode)
		}
		resp, page = c.submit(fmt.Sprint("/admin/users/", admin.ID), url.Values{"role": {"manager"}, "admin": {"1"}, "capacity": {"5"}})
		if resp.StatusCode != http.StatusUnprocessableEntity || fieldError(page, "active") == "" {
			t.Fatalf("self-deactivation: %d", resp.StatusCode)
		}
	})
}
