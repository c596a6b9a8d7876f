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

// A saved view is renamed from the Views menu: the form keeps what was
// typed beside its message when the name is empty, too long or one the
// user has for another view; the renamed view keeps its link, and may take
// the filters the user was looking at. Another's view is not found.
func TestASavedViewIsRenamed(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		a := newApp(t, d, web.Config{})
		other := a.user("Other Sales", domain.RoleSales)
		c := a.signedIn(domain.RoleSales)
		views := a.svc().Deals
		big, err := views.SaveView(t.Context(), a.users[domain.RoleSales], "Big ones", url.Values{"sort": {"amount"}, "stage": {"discovery"}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := views.SaveView(t.Context(), a.users[domain.RoleSales], "Closing", url.Values{"stage": {"negotiation"}}); err != nil {
			t.Fatal(err)
		}
		theirs, err := views.SaveView(t.Context(), other, "Theirs", url.Values{"q": {"secret"}})
		if err != nil {
			t.Fatal(err)
		}

		// The menu links each view to its form, which carries the
		// pipeline the user is looking at.
		_, list := c.get("/deals?stage=proposal&page=2")
		edit := list.Find(`[data-testid="rename-view"]`).First().AttrOr("href", "")
		if edit != fmt.Sprint("/deals/views/", big.ID, "/edit?filters=stage%3Dproposal") {
			t.Fatalf("the rename link: %q", edit)
		}
		resp, form := c.get(edit)
		if resp.StatusCode != http.StatusOK || value(form, "name") != "Big ones" || form.Find(`[data-testid="update-filters"]`).Length() != 1 {
			t.Fatalf("the rename form: %d, name %q", resp.StatusCode, value(form, "name"))
		}
		if _, same := c.get(fmt.Sprint("/deals/views/", big.ID, "/edit?filters=", url.QueryEscape(big.Query))); same.Find(`[data-testid="update-filters"]`).Length() != 0 {
			t.Fatal("the form offers the filters the view has already")
		}

		path := fmt.Sprint("/deals/views/", big.ID)
		for typed, want := range map[string]string{
			"   ":                   "Name the view.",
			strings.Repeat("x", 61): "60",
			"  closing ":            "You have a view with this name",
			"CLOSING":               "You have a view with this name",
		} {
			resp, page := c.submit(path, url.Values{"name": {typed}, "filters": {"stage=proposal"}, "update": {"1"}})
			if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(fieldError(page, "name"), want) ||
				value(page, "name") != typed || page.Find(`[data-testid="update-filters"][checked]`).Length() != 1 {
				t.Fatalf("renaming to %q: %d, %q beside %q", typed, resp.StatusCode, fieldError(page, "name"), value(page, "name"))
			}
		}

		back := location(t, mustResp(c.submit(path, url.Values{"name": {" Big   deals "}, "filters": {"stage=proposal"}})), http.StatusSeeOther)
		if back != "/deals?stage=proposal" {
			t.Fatalf("after renaming, to %q", back)
		}
		_, list = c.get(back)
		if flash := list.Find(`[data-testid="flash"]`).Text(); !strings.Contains(flash, "View renamed to “Big deals”.") {
			t.Fatalf("the flash: %q", flash)
		}
		named := list.Find(`[data-testid="saved-view"]`)
		if named.Length() != 2 || named.First().Text() != "Big deals" || named.First().AttrOr("href", "") != "/deals?sort=amount&stage=discovery" {
			t.Fatalf("the views after renaming: %q, first links %q", named.Text(), named.First().AttrOr("href", ""))
		}
		// A change of case alone is the same view's name.
		location(t, mustResp(c.submit(path, url.Values{"name": {"big deals"}})), http.StatusSeeOther)

		location(t, mustResp(c.submit(path, url.Values{"name": {"Proposals"}, "filters": {"stage=proposal&page=2&evil=1"}, "update": {"1"}})), http.StatusSeeOther)
		if v, err := views.SavedView(t.Context(), a.users[domain.RoleSales], big.ID); err != nil || v.Name != "Proposals" || v.Query != "stage=proposal" {
			t.Fatalf("after taking the filters: %+v %v", v, err)
		}

		// Another's view: not found, the form as the rename, and nothing changes.
		if resp, _ := c.get(fmt.Sprint("/deals/views/", theirs.ID, "/edit")); resp.StatusCode != http.StatusNotFound {
			t.Fatalf("another's view's form: %d", resp.StatusCode)
		}
		if resp, _ := c.submit(fmt.Sprint("/deals/views/", theirs.ID), url.Values{"name": {"Mine now"}}); resp.StatusCode != http.StatusNotFound {
			t.Fatalf("renaming another's view: %d", resp.StatusCode)
		}
		if v, err := views.SavedView(t.Context(), other, theirs.ID); err != nil || v.Name != "Theirs" {
			t.Fatalf("another's view after the attempt: %+v %v", v, err)
		}
	})
}

// Deleting a saved view offers Undo, which keeps it again under its name
// with its filters, even a name holding the session's separator; not once
// the user has named another view so. Another's view is not found.
func TestADeletedViewCanBeUndone(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		a := newApp(t, d, web.Config{})
		sales := a.users[domain.RoleSales]
		other := a.user("Other Sales", domain.RoleSales)
		c := a.signedIn(domain.RoleSales)
		views := a.svc().Deals
		v, err := views.SaveView(t.Context(), sales, "Won | lost", url.Values{"status": {"closed"}, "sort": {"amount"}})
		if err != nil {
			t.Fatal(err)
		}
		theirs, err := views.SaveView(t.Context(), other, "Theirs", nil)
		if err != nil {
			t.Fatal(err)
		}
		if resp, _ := c.submit(fmt.Sprint("/deals/views/", theirs.ID, "/delete"), nil); resp.StatusCode != http.StatusNotFound {
			t.Fatalf("deleting another's view: %d", resp.StatusCode)
		}

		location(t, mustResp(c.submit(fmt.Sprint("/deals/views/", v.ID, "/delete"), nil)), http.StatusSeeOther)
		_, list := c.get("/deals")
		if flash := list.Find(`[data-testid="flash"]`); !strings.Contains(flash.Text(), "View “Won | lost” deleted.") || flash.Find(`[data-testid="undo"]`).Length() != 1 {
			t.Fatalf("after deleting: %q", flash.Text())
		}
		if list.Find(`[data-testid="saved-view"]`).Length() != 0 {
			t.Fatal("the deleted view is still listed")
		}
		location(t, mustResp(c.submit("/undo", url.Values{"next": {"/deals"}})), http.StatusSeeOther)
		_, list = c.get("/deals")
		back := list.Find(`[data-testid="saved-view"]`)
		if back.Length() != 1 || back.Text() != "Won | lost" || back.AttrOr("href", "") != "/deals?sort=amount&status=closed" {
			t.Fatalf("after undoing: %q linking %q", back.Text(), back.AttrOr("href", ""))
		}

		// Deleted again, and the name taken meanwhile: nothing is put back.
		vs, err := views.SavedViews(t.Context(), sales)
		if err != nil || len(vs) != 1 {
			t.Fatalf("views: %v %v", vs, err)
		}
		location(t, mustResp(c.submit(fmt.Sprint("/deals/views/", vs[0].ID, "/delete"), nil)), http.StatusSeeOther)
		if _, err := views.SaveView(t.Context(), sales, "won | LOST", nil); err != nil {
			t.Fatal(err)
		}
		if resp, page := c.submit("/undo", url.Values{"next": {"/deals"}}); resp.StatusCode != http.StatusConflict || !strings.Contains(page.Text(), "You have another view named") {
			t.Fatalf("undoing over a name taken since: %d", resp.StatusCode)
		}
		if vs, _ := views.SavedViews(t.Context(), sales); len(vs) != 1 || vs[0].Name != "won | LOST" {
			t.Fatalf("views after the refused undo: %+v", vs)
		}
	})
}
