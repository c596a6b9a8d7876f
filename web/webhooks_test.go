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

// An administrator registers an endpoint (its secret shown once), sees
// each delivery with its status and answer, redelivers one and pauses the
// endpoint; nobody else may.
func TestWebhookEndpointsAndTheirDeliveries(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		a := newApp(t, d, web.Config{})
		admin := a.admin()
		c := a.signInAs(admin)
		_, page := c.get("/admin/webhooks")
		if page.Find(`[data-testid="no-webhooks"]`).Length() != 1 {
			t.Fatal("no empty state")
		}
		resp, page := c.submit("/admin/webhooks", url.Values{"url": {"ftp://nowhere"}, "kind": {"standard"}, "event_types": {"offer.hold"}})
		if resp.StatusCode != http.StatusUnprocessableEntity || fieldError(page, "url") == "" || fieldError(page, "event_types") == "" || value(page, "url") != "ftp://nowhere" {
			t.Fatalf("refused endpoint: %d %q %q", resp.StatusCode, fieldError(page, "url"), fieldError(page, "event_types"))
		}
		resp, page = c.submit("/admin/webhooks", url.Values{"url": {"https://crm.example.com/hook"}, "kind": {"standard"}, "event_types": {"deal.created", "deal.updated"}})
		secret, _ := page.Find(`[data-testid="new-webhook-secret"]`).Attr("value")
		if resp.StatusCode != http.StatusCreated || !strings.HasPrefix(secret, "whsec_") {
			t.Fatalf("new endpoint: %d %q", resp.StatusCode, secret)
		}
		_, page = c.get("/admin/webhooks")
		if page.Find(`[data-testid="webhook-row"]`).Length() != 1 || strings.Contains(page.Text(), secret) {
			t.Fatal("the list, without the secret")
		}
		link, _ := page.Find(`[data-testid="webhook-row"] a`).Attr("href")

		acc, _ := a.account("Northwind")
		a.deal(a.users[domain.RoleSales], acc.ID, "Fleet")
		_, page = c.get(link)
		rows := page.Find(`[data-testid="delivery-row"]`)
		if rows.Length() != 1 || rows.AttrOr("data-status", "") != "pending" || !strings.Contains(rows.Text(), "A deal is opened") {
			t.Fatalf("deliveries: %d %q", rows.Length(), rows.Text())
		}
		redeliver, _ := rows.Find("form").Attr("action")
		if resp, _ := c.submit(redeliver, nil); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("redeliver: %d", resp.StatusCode)
		}
		if resp, _ := c.submit(link+"/pause", nil); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("pause: %d", resp.StatusCode)
		}
		a.deal(a.users[domain.RoleSales], acc.ID, "Second")
		if _, page = c.get(link); page.Find(`[data-testid="delivery-row"]`).Length() != 1 {
			t.Error("a paused endpoint got a delivery")
		}
		for _, role := range []domain.Role{domain.RoleSales, domain.RoleManager} {
			if resp, _ := a.signedIn(role).get("/admin/webhooks"); resp.StatusCode != http.StatusForbidden {
				t.Errorf("%s on webhooks: %d", role, resp.StatusCode)
			}
			if resp, _ := a.signedIn(role).submit(fmt.Sprint(link, "/resume"), nil); resp.StatusCode != http.StatusForbidden {
				t.Errorf("%s resuming: %d", role, resp.StatusCode)
			}
		}
	})
}
