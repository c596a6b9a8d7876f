package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/presale/presale/db"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/testenv"
	"github.com/presale/presale/web"
)

// An administrator rotates an endpoint's signing secret (the new one
// shown once, the old one signing beside it for a day) and deletes an
// endpoint with its delivery log once they ticked that it goes; nobody
// else may do either.
func TestRotateAndDeleteAWebhookEndpoint(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		a := newApp(t, d, web.Config{})
		c := a.signInAs(a.admin())
		_, page := c.submit("/admin/webhooks", url.Values{"url": {"https://crm.example.com/hook"}, "kind": {"standard"}, "event_types": {"deal.created"}})
		first, _ := page.Find(`[data-testid="new-webhook-secret"]`).Attr("value")
		_, page = c.get("/admin/webhooks")
		link, _ := page.Find(`[data-testid="webhook-row"] a`).Attr("href")
		acc, _ := a.account("Northwind")
		a.deal(a.users[domain.RoleSales], acc.ID, "Fleet")

		for _, role := range []domain.Role{domain.RoleSales, domain.RoleManager} {
			for _, action := range []string{"/rotate", "/delete"} {
				if resp, _ := a.signedIn(role).submit(link+action, url.Values{"confirm": {"1"}}); resp.StatusCode != http.StatusForbidden {
					t.Errorf("%s %s: %d", role, action, resp.StatusCode)
				}
			}
		}

		resp, page := c.submit(link+"/rotate", nil)
		second, _ := page.Find(`[data-testid="new-webhook-secret"]`).Attr("value")
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(second, "whsec_") || second == first || resp.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("rotate: %d %q (was %q), Cache-Control %q", resp.StatusCode, second, first, resp.Header.Get("Cache-Control"))
		}
		_, page = c.get(link)
		if strings.Contains(page.Text(), second) || !strings.Contains(page.Find(`[data-testid="webhook-secret"]`).Text(), "previous secret also signs deliveries until") {
			t.Fatalf("after the rotation: %q", page.Find(`[data-testid="webhook-secret"]`).Text())
		}
		var ep domain.WebhookEndpoint
		d.Read.Take(&ep)
		if ep.Secret != second || ep.PreviousSecret != first || ep.PreviousSecretUntil == nil {
			t.Fatalf("stored: %+v", ep)
		}

		if resp, _ := c.submit(link+"/delete", nil); resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("delete without the tick: %d", resp.StatusCode)
		}
		resp, _ = c.submit(link+"/delete", url.Values{"confirm": {"1"}})
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/webhooks" {
			t.Fatalf("delete: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		_, page = c.get("/admin/webhooks")
		if page.Find(`[data-testid="webhook-row"]`).Length() != 0 || !strings.Contains(page.Text(), "Deleted https://crm.example.com/hook") {
			t.Fatalf("the list after the delete: %q", page.Find("main").Text())
		}
		var left int64
		d.Read.Table("webhook_deliveries").Count(&left)
		if left != 0 {
			t.Errorf("%d deliveries outlived their endpoint", left)
		}
		if resp, _ := c.get(link); resp.StatusCode != http.StatusNotFound {
			t.Errorf("the deleted endpoint's page: %d", resp.StatusCode)
		}
		if resp, _ := c.submit(fmt.Sprint(link, "/rotate"), nil); resp.StatusCode != http.StatusNotFound {
			t.Errorf("rotating a deleted endpoint: %d", resp.StatusCode)
		}
	})
}
