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

// Each inbox line names its deal, linked, and quotes the start of what was
// written; decided as the inbox is drawn: once its reader has left the
// deal team, the note is neither quoted nor told, only that something
// changed on the deal.
func TestInboxLinesNameTheDealAndQuoteWhatWasWritten(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		a := newApp(t, d, web.Config{})
		acc, _ := a.account("Northwind")
		sales := a.users[domain.RoleSales]
		deal := a.deal(sales, acc.ID, "Fleet telematics")
		dana := a.user("Dana Devrel", domain.RoleDevRel)
		a.assign(deal.ID, dana)
		c := a.signedIn(domain.RoleSales)
		note := "@dana can the replay API cover the 40 depots?   " + strings.Repeat("Details follow. ", 20)
		location(t, mustResp(c.submit(fmt.Sprint("/deals/", deal.ID, "/notes"), url.Values{"body": {note}})), http.StatusSeeOther)

		inbox := a.signInAs(dana)
		_, page := inbox.get("/notifications")
		line := page.Find(`[data-testid="notification"]`).First()
		if href, _ := line.Find(`[data-testid="notification-deal"]`).Attr("href"); href != fmt.Sprint("/deals/", deal.ID) ||
			line.Find(`[data-testid="notification-deal"]`).Text() != "Fleet telematics" {
			t.Fatalf("the line does not name its deal: %q", line.Text())
		}
		quote := line.Find(`[data-testid="notification-quote"]`).Text()
		if !strings.HasPrefix(quote, "@dana can the replay API cover the 40 depots? Details") || !strings.HasSuffix(quote, "…") ||
			len([]rune(quote)) != domain.QuoteLength {
			t.Fatalf("the line quotes %q", quote)
		}

		// Off the team, the note is the team's alone.
		if err := d.Write.Table("assignments").Where("deal_id = ? AND user_id = ?", deal.ID, dana.ID).Update("active", false).Error; err != nil {
			t.Fatal(err)
		}
		_, page = inbox.get("/notifications")
		line = page.Find(`[data-testid="notification"]`).First()
		if line.Find(`[data-testid="notification-quote"]`).Length() != 0 || strings.Contains(line.Text(), "replay") ||
			!strings.Contains(line.Text(), "can no longer see") {
			t.Fatalf("off the team the line says %q", line.Text())
		}
	})
}
