package web_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/presale/presale/db"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/testenv"
	"github.com/presale/presale/web"
)

// Contacts have a list with search and their account; a contact's page
// shows the meetings they attended and the questions they raised.
func TestContactsListAndPage(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		a := newApp(t, d, web.Config{})
		acc, contacts := a.account("Northwind", "Elena Marsh", "Raj Patel")
		other, _ := a.account("Contoso", "Mia Wong")
		sales := a.users[domain.RoleSales]
		deal := a.deal(sales, acc.ID, "Fleet")
		elena := contacts[0]
		in := domain.MeetingInput{Title: "Demo", Type: "demo", StartsAt: "2030-01-07T10:00", EndsAt: "2030-01-07T11:00",
			ContactIDs: []string{fmt.Sprint(elena.ID)}}
		m, err := a.svc().ScheduleMeeting(t.Context(), sales, deal.ID, in, time.UTC)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.svc().RaiseQuestion(t.Context(), sales, m.ID, domain.QuestionInput{Category: "security", Text: "Where is the data kept?", RaisedByID: fmt.Sprint(elena.ID)}); err != nil {
			t.Fatal(err)
		}
		c := a.signedIn(domain.RoleSales)
		_, list := c.get("/contacts")
		if n := list.Find(`[data-testid="contact-row"]`).Length(); n != 3 {
			t.Fatalf("%d contacts listed, want 3", n)
		}
		_, found := c.get("/contacts?q=contoso")
		if rows := found.Find(`[data-testid="contact-row"]`); rows.Length() != 1 || !strings.Contains(rows.Text(), "Mia Wong") || !strings.Contains(rows.Text(), other.Name) {
			t.Fatalf("searching by account: %q", rows.Text())
		}
		_, page := c.get(fmt.Sprint("/contacts/", elena.ID))
		if !strings.Contains(page.Find(`[data-testid="contact-meetings"]`).Text(), "Demo") {
			t.Fatal("the contact's meetings are not shown")
		}
		if !strings.Contains(page.Find(`[data-testid="contact-questions"]`).Text(), "Where is the data kept?") {
			t.Fatal("the contact's questions are not shown")
		}
		_, raj := c.get(fmt.Sprint("/contacts/", contacts[1].ID))
		if raj.Find(`[data-testid="contact-meetings"] .empty`).Length() != 1 {
			t.Fatal("a contact at no meeting has no empty state")
		}
	})
}
