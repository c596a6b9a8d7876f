package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/presale/presale/db"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/service"
	"github.com/presale/presale/internal/testenv"
	"github.com/presale/presale/web"
)

// Each route that acts on a deal answers 403 exactly when the domain's
// policy refuses the person, for every relation a person can have to the
// deal: the router and the policy table cannot drift apart. The JSON API
// takes the same actions and is refused exactly as the pages are.
func TestRoutesFollowThePolicy(t *testing.T) {
	a := newApp(t, testenv.Open(t, db.SQLite), web.Config{})
	ctx := context.Background()
	owner, devrel := a.users[domain.RoleSales], a.users[domain.RoleDevRel]
	otherSales, otherDevRel := a.user("Sue Other", domain.RoleSales), a.user("Out Other", domain.RoleDevRel)
	admin, err := a.svc().People.CreateUser(ctx, nil, service.NewUser{Name: "Ada Admin", Email: "ada.admin@example.com", Role: domain.RoleSales, Admin: true, Password: password})
	if err != nil {
		t.Fatal(err)
	}
	people := map[string]domain.User{"owner": owner, "other sales": otherSales, "assigned DevRel": devrel,
		"other DevRel": otherDevRel, "manager": a.users[domain.RoleManager], "admin": admin}

	acc, _ := a.account("Northwind")
	spec := a.spec()
	checked := 0
	for relation, u := range people {
		// A fresh deal per person, so what one may do does not change
		// what the next finds.
		deal := a.deal(owner, acc.ID, "Deal for "+relation)
		a.assign(deal.ID, devrel)
		m := a.meeting(owner, deal.ID, "Demo", 30, owner, devrel)
		q, err := a.svc().Meetings.RaiseQuestion(ctx, owner, m.ID, domain.QuestionInput{Category: "security", Text: "SSO?"})
		if err != nil {
			t.Fatal(err)
		}
		p, err := a.svc().Offers.RecordPromise(ctx, owner, deal.ID, domain.PromiseInput{Text: "SSO by Q2", Kind: "roadmap"})
		if err != nil {
			t.Fatal(err)
		}
		r, err := a.svc().Support.RequestSupport(ctx, owner, deal.ID, domain.SupportInput{Kind: "demo", Details: "Show it"})
		if err != nil {
			t.Fatal(err)
		}
		held, err := a.svc().Support.RequestSupport(ctx, owner, deal.ID, domain.SupportInput{Kind: "poc", Details: "Run the POC"})
		if err != nil {
			t.Fatal(err)
		}
		if err := a.db.Write.Exec("UPDATE support_requests SET status = 'claimed', claimed_by_id = ? WHERE id = ?", devrel.ID, held.ID).Error; err != nil {
			t.Fatal(err)
		}
		held.Status, held.ClaimedByID = domain.SupportClaimed, &devrel.ID
		if err := a.svc().Deals.AddNote(ctx, owner, deal.ID, "Budget is tight"); err != nil {
			t.Fatal(err)
		}
		var reply domain.Comment
		a.db.Read.Table("deal_notes").Select("MAX(id)").Scan(&reply.NoteID)
		if _, err := a.svc().Deals.CommentOnNote(ctx, owner, *reply.NoteID, "We can trim it"); err != nil {
			t.Fatal(err)
		}
		a.db.Read.Table("comments").Order("id DESC").Limit(1).Scan(&reply)
		task, err := a.svc().Deals.AddTask(ctx, owner, deal.ID, domain.TaskInput{Title: "Send the agenda", DueOn: "2099-01-05"})
		if err != nil {
			t.Fatal(err)
		}
		team := domain.DealTeam{DealID: deal.ID, OwnerID: owner.ID, DevRelIDs: []int64{devrel.ID}}
		routes := []struct {
			path    string
			api     string // the API's route to the same action ("METHOD /path"), if it has one
			action  domain.Action
			subject domain.Subject
		}{
			{fmt.Sprint("/deals/", deal.ID), fmt.Sprint("PATCH /deals/", deal.ID), domain.ActionEditDeal, team},
			{fmt.Sprint("/deals/", deal.ID, "/notes"), "", domain.ActionAddNote, team},
			{fmt.Sprint("/deals/", deal.ID, "/meetings"), fmt.Sprint("POST /deals/", deal.ID, "/meetings"), domain.ActionManageMeetings, team},
			{fmt.Sprint("/deals/", deal.ID, "/support-requests"), fmt.Sprint("POST /deals/", deal.ID, "/support-requests"), domain.ActionRequestSupport, team},
			{fmt.Sprint("/deals/", deal.ID, "/offers"), fmt.Sprint("POST /deals/", deal.ID, "/offers"), domain.ActionProposeOffer, team},
			{fmt.Sprint("/deals/", deal.ID, "/promises"), fmt.Sprint("POST /deals/", deal.ID, "/promises"), domain.ActionRecordPromise, team},
			{fmt.Sprint("/deals/", deal.ID, "/tasks"), "", domain.ActionManageTasks, team},
			{fmt.Sprint("/tasks/", task.ID), "", domain.ActionManageTasks, team},
			{fmt.Sprint("/tasks/", task.ID, "/done"), "", domain.ActionManageTasks, team},
			{fmt.Sprint("/tasks/", task.ID, "/delete"), "", domain.ActionManageTasks, team},
			{fmt.Sprint("/meetings/", m.ID), "", domain.ActionManageMeetings, team},
			{fmt.Sprint("/meetings/", m.ID, "/questions"), fmt.Sprint("POST /meetings/", m.ID, "/questions"), domain.ActionAddQuestion, team},
			{fmt.Sprint("/meetings/", m.ID, "/sync"), fmt.Sprint("POST /meetings/", m.ID, "/sync"), domain.ActionEditSync, team},
			{fmt.Sprint("/questions/", q.ID, "/answer"), fmt.Sprint("POST /questions/", q.ID, "/answer"), domain.ActionAnswerQuestion, team},
			{fmt.Sprint("/promises/", p.ID, "/review"), fmt.Sprint("POST /promises/", p.ID, "/review"), domain.ActionReviewPromise, team},
			{fmt.Sprint("/promises/", p.ID, "/status"), "", domain.ActionRecordPromise, team},
			{fmt.Sprint("/comments/", reply.ID), "", domain.ActionEditComment, domain.CommentSubject{Comment: reply, Team: team}},
			{fmt.Sprint("/support-requests/", r.ID, "/cancel"), "", domain.ActionCancelRequest, domain.SupportSubject{Request: r, Team: team}},
			{"/accounts", "POST /accounts", domain.ActionManageAccounts, domain.Organisation{}},
			{"/admin/users", "", domain.ActionManageUsers, domain.Organisation{}},
			{"/admin/lists/product_area", "", domain.ActionManageLists, domain.Organisation{}},
			{fmt.Sprint("/deals/", deal.ID, "/stage"), "", domain.ActionEditDeal, team},
			{fmt.Sprint("/meetings/", m.ID, "/sync/confirm"), fmt.Sprint("POST /meetings/", m.ID, "/sync/confirm"), domain.ActionConfirmSync, domain.SyncSubject{Team: team, DevRelAttendees: []int64{devrel.ID}}},
			{fmt.Sprint("/support-requests/", r.ID, "/assign"), "", domain.ActionAssignDevRel, domain.Organisation{}},
			// These change the team, so they come last: releasing ends the
			// holder's part, claiming makes the claimer part of it.
			{fmt.Sprint("/support-requests/", held.ID, "/release"), fmt.Sprint("POST /support-requests/", held.ID, "/release"), domain.ActionReleaseRequest, domain.SupportSubject{Request: held, Team: team}},
			{fmt.Sprint("/support-requests/", r.ID, "/claim"), fmt.Sprint("POST /support-requests/", r.ID, "/claim"), domain.ActionClaimRequest, domain.SupportSubject{Request: r, Team: team}},
		}
		// The API takes each action first, with a body its description
		// allows (one it does not is 422 for anyone, before the policy is
		// asked): refused exactly when the pages refuse.
		api := a.api(u, domain.ScopeReadWrite, spec)
		starts := time.Now().UTC().Add(72 * time.Hour).Truncate(time.Hour)
		bodies := map[string]map[string]any{
			"/meetings":         {"title": "Demo", "type": "demo", "starts_at": starts.Format(time.RFC3339), "ends_at": starts.Add(time.Hour).Format(time.RFC3339)},
			"/support-requests": {"kind": "demo", "details": "Show it"}, "/offers": {"title": "Idea", "kind": "idea"},
			"/promises": {"text": "SSO by Q3", "kind": "roadmap"}, "/questions": {"category": "security", "text": "SCIM?"},
			"/answer": {"answer": "Yes"}, "/review": {"feasibility": "feasible"}, "/accounts": {"name": "Contoso " + relation},
			"/sync": {"version": 0},
		}
		for _, route := range routes {
			method, path, ok := strings.Cut(route.api, " ")
			if !ok || strings.HasSuffix(path, "/release") || strings.HasSuffix(path, "/claim") {
				continue // the pages take these; once is all the request can be
			}
			body := map[string]any{}
			if b, ok := bodies[path[strings.LastIndex(path, "/"):]]; ok {
				body = b
			}
			res := api.do(method, path, body, "If-Match", `"1"`)
			allowed := domain.Can(u, route.action, route.subject)
			if refused := res.Status == http.StatusForbidden; refused == allowed {
				t.Errorf("API %s as the %s: %d, but the policy says allowed=%v", route.api, relation, res.Status, allowed)
			}
			checked++
		}
		if refused := api.get("/coverage").Status == http.StatusForbidden; refused == domain.Can(u, domain.ActionViewCoverage, domain.Organisation{}) {
			t.Errorf("API GET /coverage as the %s", relation)
		}
		c := a.signInAs(u)
		// A form to change something is refused as its change is (before
		// the claims below put the person on the team).
		resp, _ := c.get(fmt.Sprint("/tasks/", task.ID, "/edit"))
		if refused := resp.StatusCode == http.StatusForbidden; refused == domain.Can(u, domain.ActionManageTasks, team) {
			t.Errorf("GET /tasks/%d/edit as the %s: %d", task.ID, relation, resp.StatusCode)
		}
		for _, route := range routes {
			resp, _ := c.submit(route.path, nil) // an empty form: allowed people get 422 or 409, never 403
			allowed := domain.Can(u, route.action, route.subject)
			if refused := resp.StatusCode == http.StatusForbidden; refused == allowed {
				t.Errorf("POST %s as the %s: %d, but the policy says allowed=%v", route.path, relation, resp.StatusCode, allowed)
			}
			checked++
		}
		for path, action := range map[string]domain.Action{"/coverage": domain.ActionViewCoverage, "/admin/users": domain.ActionManageUsers, "/import": domain.ActionImport,
			"/admin/lists": domain.ActionManageLists} {
			resp, _ := c.get(path)
			if refused := resp.StatusCode == http.StatusForbidden; refused == domain.Can(u, action, domain.Organisation{}) {
				t.Errorf("GET %s as the %s: %d", path, relation, resp.StatusCode)
			}
			checked++
		}
	}
	t.Logf("%d route × relation checks against the policy", checked)
}
