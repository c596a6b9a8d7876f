package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/presale/presale/db"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
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
		m, err := a.svc().Meetings.ScheduleMeeting(t.Context(), sales, deal.ID, in, time.UTC)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.svc().Meetings.RaiseQuestion(t.Context(), sales, m.ID, domain.QuestionInput{Category: "security", Text: "Where is the data kept?", RaisedByID: fmt.Sprint(elena.ID)}); err != nil {
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

// With more accounts than a list holds, the deal form lists the first by
// name and a search finds the others; the account chosen stays among the
// options whatever is searched for; a merge never offers the account
// being merged.
func TestAccountPickerFindsAmongManyAccounts(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		a := newApp(t, d, web.Config{})
		var last domain.Account
		for i := range read.AccountChoicesShown + 5 {
			last, _ = a.account(fmt.Sprintf("Customer %03d", i))
		}
		zulu, _ := a.account("Zulu Shipping")
		id := func(a domain.Account) string { return fmt.Sprint(a.ID) }
		c := a.signedIn(domain.RoleSales)

		_, form := c.get("/deals/new")
		if n := form.Find(`select[name="account_id"] option`).Length(); n != read.AccountChoicesShown+2 {
			t.Errorf("the deal form lists %d options, want the placeholder, %d accounts and a line saying more match", n, read.AccountChoicesShown)
		}
		if form.Find(`input[name="account_q"][hx-get][hx-target="#account_id"]`).Length() != 1 {
			t.Fatal("no account search on the deal form")
		}
		if form.Find(`select[name="account_id"] option[value="`+id(zulu)+`"]`).Length() != 0 {
			t.Error("the deal form lists an account after the first by name")
		}

		_, found := c.get("/accounts/choices?field=account_id&account_q=zulu&account_id=" + id(last))
		if found.Find(`option[value="`+id(zulu)+`"]`).Length() != 1 || found.Find(`option[value="`+id(last)+`"][selected]`).Length() != 1 {
			t.Errorf("searching for zulu with %s chosen: %s", last.Name, found.Text())
		}
		if n := found.Find(`option:not([value=""])`).Length(); n != 2 {
			t.Errorf("searching for zulu lists %d accounts, want zulu and the one chosen: %s", n, found.Text())
		}
		if _, none := c.get("/accounts/choices?field=account_id&account_q=nomatch"); !strings.Contains(none.Find(`option[disabled]`).Text(), "No account") {
			t.Errorf("a search matching nothing: %q", none.Text())
		}

		loc := location(t, mustResp(c.submit("/deals", dealForm(zulu.ID))), http.StatusSeeOther)
		_, edit := c.get(loc + "/edit")
		if edit.Find(`select[name="account_id"] option[value="`+id(zulu)+`"][selected]`).Length() != 1 {
			t.Error("the edit form of a deal on an account after the first by name does not show it chosen")
		}

		m := a.signedIn(domain.RoleManager)
		_, page := m.get("/accounts/" + id(zulu))
		if hx, _ := page.Find(`[data-testid="merge"] input[name="account_q"]`).Attr("hx-get"); !strings.Contains(hx, "except="+id(zulu)) {
			t.Errorf("the merge form's search does not leave the account out: %q", hx)
		}
		if _, into := m.get("/accounts/choices?field=into_id&account_q=zulu&except=" + id(zulu)); into.Find(`option[value="`+id(zulu)+`"]`).Length() != 0 {
			t.Error("the merge search offers the account being merged")
		}
	})
}

// Without script the account field's Find button sends the form back:
// drawn again with everything typed and the accounts whose name holds the
// search, so the 101st account can be chosen; nothing is saved. The same
// on a deal's edit form and the merge form.
func TestTheAccountFieldFindsWithoutScript(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		a := newApp(t, d, web.Config{})
		for i := range read.AccountChoicesShown + 1 {
			a.account(fmt.Sprintf("Customer %03d", i))
		}
		zulu, _ := a.account("Zulu Shipping")
		c := a.signedIn(domain.RoleSales)
		_, form := c.get("/deals/new")
		if form.Find(`[data-testid="deal-form"] button[name="account_find"][type="submit"][formnovalidate]`).Length() != 1 {
			t.Fatal("the deal form's account field has no Find button")
		}

		typed := dealForm(0)
		typed.Set("title", "Harbour cranes")
		typed.Set("amount", "1234.50")
		typed.Set("account_q", "zulu")
		typed.Set("account_find", "1")
		resp, found := c.submit("/deals", typed)
		if resp.StatusCode != http.StatusOK || value(found, "title") != "Harbour cranes" || value(found, "amount") != "1234.50" ||
			value(found, "account_q") != "zulu" {
			t.Fatalf("Find: %d, title %q, amount %q, search %q", resp.StatusCode, value(found, "title"), value(found, "amount"), value(found, "account_q"))
		}
		if found.Find(fmt.Sprintf(`select[name="account_id"] option[value="%d"]`, zulu.ID)).Length() != 1 {
			t.Fatalf("Find does not offer Zulu: %s", found.Find(`select[name="account_id"]`).Text())
		}
		if n := count(t, d, "deals"); n != 0 {
			t.Fatalf("Find saved %d deals", n)
		}
		typed.Del("account_find")
		typed.Set("account_id", fmt.Sprint(zulu.ID))
		loc := location(t, mustResp(c.submit("/deals", typed)), http.StatusSeeOther)

		// The edit form keeps its version through a Find.
		_, edit := c.get(loc + "/edit")
		again := url.Values{"account_find": {"1"}, "account_q": {"customer 100"}, "version": {value(edit, "version")}, "title": {"Harbour cranes II"}}
		resp, found = c.submit(loc, again)
		if resp.StatusCode != http.StatusOK || value(found, "version") != value(edit, "version") || value(found, "title") != "Harbour cranes II" ||
			!strings.Contains(found.Find(`select[name="account_id"]`).Text(), "Customer 100") {
			t.Fatalf("Find on the edit form: %d, version %q", resp.StatusCode, value(found, "version"))
		}

		m := a.signedIn(domain.RoleManager)
		resp, page := m.submit(fmt.Sprint("/accounts/", zulu.ID, "/merge"), url.Values{"account_find": {"1"}, "account_q": {"customer 100"}})
		if resp.StatusCode != http.StatusOK || page.Find(`[data-testid="merge"][open] select[name="into_id"] option`).FilterFunction(func(_ int, s *goquery.Selection) bool {
			return s.Text() == "Customer 100"
		}).Length() != 1 {
			t.Fatalf("Find on the merge form: %d", resp.StatusCode)
		}
		if _, page := m.get(fmt.Sprint("/accounts/", zulu.ID)); page.Find(`[data-testid="merged-notice"]`).Length() != 0 {
			t.Fatal("Find merged the account")
		}
	})
}
