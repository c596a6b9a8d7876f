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

// A deal's team changes a next step from its own form: what was typed is
// kept when refused (422) or overtaken (409), someone off the team is
// refused (403), and the timeline says what changed. A deleted step
// leaves the deal page, the desk and the count of deals without a next
// step; the flash's Undo puts the same step back.
func TestNextStepsCanBeEditedAndDeleted(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		clk := &testenv.MovingClock{}
		a := newApp(t, d, web.Config{}, clk.Now)
		acc, _ := a.account("Northwind")
		sales, devrel := a.users[domain.RoleSales], a.users[domain.RoleDevRel]
		fleet := a.deal(sales, acc.ID, "Fleet")
		a.assign(fleet.ID, devrel)
		today := clk.Now().Format(domain.DateLayout)
		task, err := a.svc().Deals.AddTask(t.Context(), sales, fleet.ID, domain.TaskInput{Title: "Book the demo room", DueOn: "2099-01-05"})
		if err != nil {
			t.Fatal(err)
		}
		c := a.signedIn(domain.RoleSales)
		dealPath := fmt.Sprint("/deals/", fleet.ID)
		taskPath := fmt.Sprint("/tasks/", task.ID)

		// The deal page links each step to its form, which starts as saved.
		_, page := c.get(dealPath)
		edit, _ := page.Find(`[data-testid="task"] [data-testid="task-edit"]`).Attr("href")
		if !strings.HasPrefix(edit, taskPath+"/edit") {
			t.Fatalf("the step's Edit link: %q", edit)
		}
		resp, form := c.get(edit)
		if resp.StatusCode != http.StatusOK || value(form, "title") != "Book the demo room" || value(form, "due_on") != "2099-01-05" ||
			value(form, "assignee_id") != fmt.Sprint(sales.ID) || value(form, "version") != "1" || form.Find(`[data-testid="task-edit-form"] [name="next"]`).AttrOr("value", "") != dealPath+"#tasks" {
			t.Fatalf("the edit form: %d title %q due %q assignee %q version %q next %q", resp.StatusCode, value(form, "title"),
				value(form, "due_on"), value(form, "assignee_id"), value(form, "version"), form.Find(`[data-testid="task-edit-form"] [name="next"]`).AttrOr("value", ""))
		}

		// Refused input comes back as typed.
		resp, form = c.submit(taskPath, url.Values{"title": {"  "}, "due_on": {"2099-02-30"}, "assignee_id": {fmt.Sprint(devrel.ID)}, "version": {"1"}})
		if resp.StatusCode != http.StatusUnprocessableEntity || fieldError(form, "title") == "" || fieldError(form, "due_on") == "" ||
			value(form, "due_on") != "2099-02-30" || value(form, "assignee_id") != fmt.Sprint(devrel.ID) || value(form, "version") != "1" {
			t.Fatalf("invalid edit: %d, title error %q, due %q, assignee %q", resp.StatusCode, fieldError(form, "title"), value(form, "due_on"), value(form, "assignee_id"))
		}

		// Saved: the flash names it, the deal page and the timeline show it,
		// and the DevRel it now falls to finds it on their desk.
		resp, _ = c.submit(taskPath, url.Values{"title": {"Book the big demo room"}, "due_on": {today}, "assignee_id": {fmt.Sprint(devrel.ID)}, "version": {"1"}, "next": {dealPath + "#tasks"}})
		if got := location(t, resp, http.StatusSeeOther); got != dealPath+"#tasks" {
			t.Fatalf("saved → %s", got)
		}
		_, page = c.get(dealPath)
		if flash := page.Find(`[data-testid="flash"]`).Text(); !strings.Contains(flash, "“Book the big demo room” saved.") {
			t.Fatalf("flash after saving: %q", flash)
		}
		if got := page.Find(`[data-testid="task"]`).Text(); !strings.Contains(got, "Book the big demo room") || !strings.Contains(got, devrel.Name) {
			t.Fatalf("the saved step on the deal page: %q", got)
		}
		updated := page.Find(`[data-entity="task"][data-action="updated"]`)
		if updated.Length() != 1 || !strings.Contains(updated.Find(`[data-field="title"] del`).Text(), "Book the demo room") ||
			!strings.Contains(updated.Find(`[data-field="assignee"] ins`).Text(), devrel.Name) {
			t.Fatalf("the timeline's edit: %q", updated.Text())
		}
		dev := a.signedIn(domain.RoleDevRel)
		if _, desk := dev.get("/"); !strings.Contains(desk.Find(`[data-testid="desk-task"]`).Text(), "Book the big demo room") {
			t.Fatalf("the DevRel's desk lacks the step given to them: %q", desk.Find(`[data-testid="desk-tasks"]`).Text())
		}
		if _, inbox := dev.get("/notifications"); !strings.Contains(inbox.Text(), "Book the big demo room") {
			t.Fatal("the new assignee was not told")
		}

		// A form drawn before that save is overtaken: 409, the typing kept,
		// what changed shown and the form now at the current version.
		resp, form = c.submit(taskPath, url.Values{"title": {"Send the agenda"}, "due_on": {today}, "assignee_id": {fmt.Sprint(sales.ID)}, "version": {"1"}})
		if resp.StatusCode != http.StatusConflict || form.Find(`[data-testid="conflict"]`).Length() != 1 || value(form, "title") != "Send the agenda" ||
			value(form, "assignee_id") != fmt.Sprint(sales.ID) || value(form, "version") != "2" {
			t.Fatalf("stale edit: %d, title %q, version %q", resp.StatusCode, value(form, "title"), value(form, "version"))
		}

		// Someone off the team may neither see the form nor change or delete the step.
		outsider := a.signInAs(a.user("Olga Outsider", domain.RoleSales))
		if resp, _ := outsider.get(taskPath + "/edit"); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("an outsider's edit form: %d", resp.StatusCode)
		}
		if resp, _ := outsider.submit(taskPath, url.Values{"title": {"Mine now"}, "due_on": {today}, "version": {"2"}}); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("an outsider's edit: %d", resp.StatusCode)
		}
		if resp, _ := outsider.submit(taskPath+"/delete", url.Values{"version": {"2"}}); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("an outsider's delete: %d", resp.StatusCode)
		}
		// A delete from a stale page is refused too.
		if resp, _ := c.submit(taskPath+"/delete", url.Values{"version": {"1"}}); resp.StatusCode != http.StatusConflict {
			t.Fatalf("a stale delete: %d", resp.StatusCode)
		}

		saved, err := a.svc().Deals.Task(t.Context(), task.ID)
		if err != nil {
			t.Fatal(err)
		}
		// Deleted: gone from the deal page, the desk and the pipeline's
		// count; the timeline says so; the flash offers Undo.
		location(t, mustResp(c.submit(taskPath+"/delete", url.Values{"version": {"2"}, "next": {dealPath + "#tasks"}})), http.StatusSeeOther)
		_, page = c.get(dealPath)
		if flash := page.Find(`[data-testid="flash"]`); !strings.Contains(flash.Text(), "“Book the big demo room” deleted.") || flash.Find(`[data-testid="undo"]`).Length() != 1 {
			t.Fatalf("flash after deleting: %q", flash.Text())
		}
		if n := page.Find(`[data-testid="task"]`).Length(); n != 0 {
			t.Fatalf("%d steps on the deal page after the delete", n)
		}
		if page.Find(`[data-entity="task"][data-action="deleted"]`).Length() != 1 {
			t.Fatal("the timeline does not tell of the delete")
		}
		if resp, _ := c.get(taskPath + "/edit"); resp.StatusCode != http.StatusNotFound {
			t.Fatalf("the deleted step's form: %d", resp.StatusCode)
		}
		clk.Add(service.OrganisationLag) // the DevRel's desk may lag the seller's change that long
		if _, desk := dev.get("/"); desk.Find(`[data-testid="desk-task"]`).Length() != 0 {
			t.Fatalf("the DevRel's desk still lists a deleted step: %q", desk.Find(`[data-testid="desk-tasks"]`).Text())
		}
		if _, desk := c.get("/"); !strings.Contains(desk.Find(`[data-testid="desk-no-next-step"]`).Text(), "1 open deal has no next step") {
			t.Fatalf("desk flag after the delete: %q", desk.Find(`[data-testid="desk-no-next-step"]`).Text())
		}
		if _, list := c.get("/deals?next=none"); !strings.Contains(list.Find(`[data-testid="deal-row"]`).Text(), "Fleet") {
			t.Fatal("a deal whose only step was deleted is not among those without a next step")
		}

		// Undo: the same step is back, everywhere.
		location(t, mustResp(c.submit("/undo", url.Values{"next": {dealPath}})), http.StatusSeeOther)
		_, page = c.get(dealPath)
		back := page.Find(`[data-testid="task"]`)
		if href, _ := back.Find(`[data-testid="task-edit"]`).Attr("href"); back.Length() != 1 || !strings.Contains(back.Text(), "Book the big demo room") || !strings.HasPrefix(href, taskPath+"/edit") {
			t.Fatalf("after undo the deal page shows %q (%q)", back.Text(), href)
		}
		if page.Find(`[data-entity="task"][data-action="restored"]`).Length() != 1 {
			t.Fatal("the timeline does not tell of the undo")
		}
		clk.Add(service.OrganisationLag)
		if _, desk := dev.get("/"); !strings.Contains(desk.Find(`[data-testid="desk-task"]`).Text(), "Book the big demo room") {
			t.Fatal("the DevRel's desk lacks the step put back")
		}
		if resp, _ := c.submit("/undo", nil); resp.StatusCode != http.StatusConflict {
			t.Fatalf("undoing twice: %d", resp.StatusCode)
		}
		// Put back as it was: what, when, who, done or not, when created
		// and last changed.
		restored, err := a.svc().Deals.Task(t.Context(), task.ID)
		if err != nil {
			t.Fatal(err)
		}
		if restored.Title != "Book the big demo room" || restored.AssigneeID != devrel.ID || restored.DueOn.Format(domain.DateLayout) != today ||
			restored.Done() || !restored.CreatedAt.Equal(saved.CreatedAt) || !restored.UpdatedAt.Equal(saved.UpdatedAt) {
			t.Fatalf("restored step: %+v", restored)
		}
	})
}
