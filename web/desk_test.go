package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/presale/presale/db"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/testenv"
	"github.com/presale/presale/web"
)

// Each role's desk lists what needs them, each item linking to where it
// is acted on; the inbox counts, lists and marks notifications read.
func TestDesksAndTheInbox(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		a := newApp(t, d, web.Config{})
		acc, _ := a.account("Northwind")
		sales, devrel := a.users[domain.RoleSales], a.users[domain.RoleDevRel]
		bare := a.deal(sales, acc.ID, "Uncovered deal")
		a.meeting(sales, bare.ID, "Kick-off", 30, sales)
		covered := a.deal(sales, acc.ID, "Covered deal")
		a.assign(covered.ID, devrel)
		m := a.meeting(sales, covered.ID, "Deep dive", 5, sales, devrel)

		_, desk := a.signedIn(domain.RoleSales).get("/")
		uncovered := desk.Find(`[data-testid="desk-uncovered"]`)
		if !strings.Contains(uncovered.Text(), "Uncovered deal") || strings.Contains(uncovered.Text(), "Covered deal") {
			t.Fatalf("deals without DevRel: %q", uncovered.Text())
		}
		if href := uncovered.Find("li a").AttrOr("href", ""); href != fmt.Sprint("/deals/", bare.ID) {
			t.Fatalf("link %q", href)
		}
		// The list is bounded; its heading links to all of them.
		if href := uncovered.Find("h2 a").AttrOr("href", ""); href != "/deals?status=open&devrel=without" {
			t.Fatalf("the list links to %q for the rest", href)
		}
		if !strings.Contains(desk.Find(`[data-testid="desk-meetings"]`).Text(), "unsynced") {
			t.Fatal("the sales desk does not show the sync state")
		}

		_, desk = a.signedIn(domain.RoleManager).get("/")
		if got := desk.Find(`[data-testid="desk-coverage"] .big`).Text(); got != "50%" {
			t.Fatalf("manager coverage summary %q", got)
		}
		risk := desk.Find(`[data-testid="desk-risk"]`)
		if !strings.Contains(risk.Text(), "Kick-off") || !strings.Contains(risk.Text(), "no DevRel") || !strings.Contains(risk.Text(), "Deep dive") {
			t.Fatalf("at risk this week: %q", risk.Text())
		}

		// The DevRel was added to the deep dive: one unread notification.
		dev := a.signedIn(domain.RoleDevRel)
		_, page := dev.get("/notifications")
		if page.Find(`[data-testid="unread"]`).Text() != "1" {
			t.Fatalf("unread %q", page.Find(`[data-testid="unread"]`).Text())
		}
		item := page.Find(`[data-testid="notification"]`)
		if href := item.Find("a").AttrOr("href", ""); href != fmt.Sprint("/meetings/", m.ID) {
			t.Fatalf("notification links to %q", href)
		}
		markRead := item.Find("form").AttrOr("action", "")
		location(t, mustResp(dev.submit(markRead, nil)), http.StatusSeeOther)
		_, page = dev.get("/notifications")
		if page.Find(`[data-testid="unread"]`).Length() != 0 {
			t.Fatal("still unread after marking read")
		}
		if resp, _ := a.signedIn(domain.RoleSales).submit(markRead, nil); resp.StatusCode != http.StatusNotFound {
			t.Fatalf("marking someone else's notification: %d", resp.StatusCode)
		}
	})
}
