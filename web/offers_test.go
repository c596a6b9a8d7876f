package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/presale/presale/db"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/testenv"
	"github.com/presale/presale/web"
)

// offerCast is a deal's people: Sam owns it, Dev proposes, Ada is another
// assigned DevRel, Out is a DevRel off the team, Sue another salesperson,
// Mia a manager.
type offerCast struct {
	a       *app
	deal    domain.Deal
	meeting domain.Meeting
	people  map[string]domain.User
	clients map[string]*client
}

func newOfferCast(t *testing.T, d *db.DB) *offerCast {
	a := newApp(t, d, web.Config{})
	acc, _ := a.account("Northwind")
	oc := &offerCast{a: a, people: map[string]domain.User{
		"sam": a.users[domain.RoleSales], "dev": a.users[domain.RoleDevRel], "mia": a.users[domain.RoleManager],
		"ada": a.user("Ada Assigned", domain.RoleDevRel), "out": a.user("Out Side", domain.RoleDevRel), "sue": a.user("Sue Sales", domain.RoleSales),
	}, clients: map[string]*client{}}
	oc.deal = a.deal(oc.people["sam"], acc.ID, "Fleet")
	a.assign(oc.deal.ID, oc.people["dev"])
	a.assign(oc.deal.ID, oc.people["ada"])
	oc.meeting = a.meeting(oc.people["sam"], oc.deal.ID, "Negotiation", 30, oc.people["sam"], oc.people["dev"])
	for name, u := range oc.people {
		oc.clients[name] = a.signInAs(u)
	}
	return oc
}

// offerIn puts an offer by Dev straight into a state.
func (oc *offerCast) offerIn(status domain.OfferStatus) domain.Offer {
	now := time.Now().UTC()
	o := domain.Offer{DealID: oc.deal.ID, ProposedByID: oc.people["dev"].ID, Title: "Idea in " + string(status), Kind: domain.OfferIdea,
		Status: status, Version: 1, CreatedAt: now, UpdatedAt: now}
	if status == domain.OfferReserved {
		o.HoldTrigger = "if they push on price"
	}
	if err := oc.a.db.Write.Create(&o).Error; err != nil {
		oc.a.t.Fatal(err)
	}
	return o
}

// lifecycleSpec is DESIGN.md's lifecycle, written out apart from the
// domain's table: (state, action) → who may.
var lifecycleSpec = map[domain.OfferStatus]map[domain.OfferAction][]string{
	domain.OfferDraft:    {domain.OfferSubmit: {"dev"}, domain.OfferWithdraw: {"dev"}},
	domain.OfferProposed: {domain.OfferClear: {"sam", "mia"}, domain.OfferHold: {"sam", "mia"}, domain.OfferDecline: {"sam", "mia"}, domain.OfferWithdraw: {"dev"}},
	domain.OfferCleared:  {domain.OfferHold: {"sam", "mia"}, domain.OfferShare: {"sam", "dev", "ada", "mia"}, domain.OfferWithdraw: {"dev"}},
	domain.OfferReserved: {domain.OfferRelease: {"sam", "mia"}, domain.OfferWithdraw: {"dev"}},
	domain.OfferShared:   {domain.OfferAccept: {"sam", "dev", "ada", "mia"}, domain.OfferReject: {"sam", "dev", "ada", "mia"}},
}

var lifecycleResult = map[domain.OfferAction]domain.OfferStatus{
	domain.OfferSubmit: domain.OfferProposed, domain.OfferClear: domain.OfferCleared, domain.OfferHold: domain.OfferReserved,
	domain.OfferRelease: domain.OfferCleared, domain.OfferDecline: domain.OfferDeclined, domain.OfferShare: domain.OfferShared,
	domain.OfferAccept: domain.OfferAccepted, domain.OfferReject: domain.OfferRejected, domain.OfferWithdraw: domain.OfferWithdrawn,
}

// Every state × action × actor through the router: the status code and
// the state afterwards. Outsiders get 404 for what they may not see.
func TestOfferLifecycleThroughTheRouter(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		oc := newOfferCast(t, d)
		actors := []string{"sam", "dev", "ada", "out", "sue", "mia"}
		combos := 0
		for _, from := range domain.OfferStatuses {
			for _, action := range domain.OfferActions {
				for _, who := range actors {
					combos++
					o := oc.offerIn(from)
					form := url.Values{"trigger": {"if they push on price"}, "reason": {"out of scope"}, "meeting_id": {fmt.Sprint(oc.meeting.ID)}}
					resp, _ := oc.clients[who].submit(fmt.Sprint("/offers/", o.ID, "/", action), form)
					resp.Body.Close()

					private := slices.Contains(domain.PrivateOfferStatuses, from)
					outsider := who == "out" || who == "sue"
					allowedWho, stateAllows := lifecycleSpec[from][action]
					want, wantStatus := http.StatusSeeOther, lifecycleResult[action]
					switch {
					case private && outsider:
						want, wantStatus = http.StatusNotFound, from
					case !stateAllows:
						want, wantStatus = http.StatusConflict, from
					case !contains(allowedWho, who):
						want, wantStatus = http.StatusForbidden, from
					}
					var got domain.Offer
					if err := oc.a.db.Read.First(&got, o.ID).Error; err != nil {
						t.Fatal(err)
					}
					if resp.StatusCode != want || got.Status != wantStatus {
						t.Errorf("%s %s by %s: %d → %s, want %d → %s", from, action, who, resp.StatusCode, got.Status, want, wantStatus)
					}
				}
			}
		}
		if combos != 486 {
			t.Fatalf("%d combinations", combos)
		}
		t.Logf("%s: %d lifecycle combinations through the router", d.Dialect, combos)
	})
}

func contains(set []string, s string) bool {
	for _, x := range set {
		if x == s {
			return true
		}
	}
	return false
}

// From the viewpoint of a salesperson outside the deal team, a reserved
// offer and its trigger do not exist: not on the deal, not in the brief,
// not on the timeline, not in the review queue, and 404 on direct access.
func TestReservedOffersStayWithTheDealTeam(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		oc := newOfferCast(t, d)
		dev, sam, sue := oc.clients["dev"], oc.clients["sam"], oc.clients["sue"]
		loc := location(t, mustResp(dev.submit(fmt.Sprint("/deals/", oc.deal.ID, "/offers"), url.Values{"title": {"Free 90-day POC"}, "kind": {"service"}, "submit": {"1"}})), http.StatusSeeOther)
		location(t, mustResp(sam.submit(loc+"/hold", url.Values{"trigger": {"if they push on price"}})), http.StatusSeeOther)
		secret := []string{"Free 90-day POC", "push on price"}
		leaks := func(who *client, path string) {
			t.Helper()
			resp, page := who.get(path)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("%s: %d", path, resp.StatusCode)
			}
			for _, s := range secret {
				if strings.Contains(page.Find("main").Text(), s) {
					t.Errorf("%s shows %q to someone outside the team", path, s)
				}
			}
		}
		// The team's sync notes name the lever; outside the team they stay hidden.
		location(t, mustResp(sam.submit(fmt.Sprint("/meetings/", oc.meeting.ID, "/sync"), url.Values{"notes": {"Keep the Free 90-day POC back"}})), http.StatusSeeOther)
		for _, path := range []string{fmt.Sprint("/deals/", oc.deal.ID), fmt.Sprint("/meetings/", oc.meeting.ID), fmt.Sprint("/meetings/", oc.meeting.ID, "/brief"),
			"/offers/review", "/deals?q=POC", "/notifications"} {
			leaks(sue, path)
		}
		if resp, _ := sue.get(loc); resp.StatusCode != http.StatusNotFound {
			t.Fatalf("direct access: %d", resp.StatusCode)
		}
		// The API keeps it as the pages do: not in any answer to Sue, 404
		// on direct access; the team and a manager read it with its trigger.
		spec := oc.a.spec()
		sueAPI, samAPI, miaAPI := oc.a.api(oc.people["sue"], domain.ScopeReadWrite, spec), oc.a.api(oc.people["sam"], domain.ScopeRead, spec), oc.a.api(oc.people["mia"], domain.ScopeRead, spec)
		offerAPI := loc // the same path under /api/v1
		var answers []apiResult
		for _, path := range []string{fmt.Sprint("/deals/", oc.deal.ID), fmt.Sprint("/deals/", oc.deal.ID, "/offers"), fmt.Sprint("/meetings/", oc.meeting.ID),
			fmt.Sprint("/meetings/", oc.meeting.ID, "/sync"), fmt.Sprint("/deals/", oc.deal.ID, "/meetings"), "/notifications", "/deals?q=POC", "/meetings?everyone=true", "/promises"} {
			answers = append(answers, sueAPI.get(path).want(t, http.StatusOK))
		}
		for _, s := range append(secret, "Keep the Free") {
			if anyHolds(answers, s) {
				t.Errorf("the API shows %q to someone outside the team", s)
			}
		}
		sueAPI.get(offerAPI).want(t, http.StatusNotFound)
		sueAPI.post(offerAPI+"/release", nil).want(t, http.StatusNotFound)
		for _, insider := range []*apiClient{samAPI, miaAPI} {
			if got := insider.get(offerAPI).want(t, http.StatusOK); got.JSON["hold_trigger"] != "if they push on price" {
				t.Errorf("the team's API view: %s", got.Body)
			}
		}
		// The team sees it with its trigger.
		_, brief := sam.get(fmt.Sprint("/meetings/", oc.meeting.ID, "/brief"))
		if got := brief.Find(`[data-testid="brief-reserve"]`).Text(); !strings.Contains(got, "Free 90-day POC") || !strings.Contains(got, "push on price") {
			t.Fatalf("the team's brief lacks the reserve: %q", got)
		}
		_, page := oc.clients["mia"].get(fmt.Sprint("/deals/", oc.deal.ID))
		if !strings.Contains(page.Find(`[data-testid="offers-reserved"]`).Text(), "Free 90-day POC") {
			t.Fatal("a manager does not see the reserve")
		}
		// Released, it is an ordinary cleared offer for all; the trigger
		// stays private.
		location(t, mustResp(sam.submit(loc+"/release", nil)), http.StatusSeeOther)
		_, page = sue.get(loc)
		if !strings.Contains(page.Find(`[data-testid="offer-title"]`).Text(), "Free 90-day POC") || strings.Contains(page.Find("main").Text(), "push on price") {
			t.Fatalf("after release: %q", page.Find("main").Text())
		}
		if got := sueAPI.get(offerAPI).want(t, http.StatusOK); got.JSON["status"] != "cleared" || strings.Contains(string(got.Body), "push on price") {
			t.Fatalf("after release, through the API: %s", got.Body)
		}
	})
}

// Confirm both → in sync; a reserved offer released after the sync makes
// the meeting stale; re-confirm → in sync.
func TestAnOfferChangeMakesTheSyncStale(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		oc := newOfferCast(t, d)
		dev, sam := oc.clients["dev"], oc.clients["sam"]
		loc := location(t, mustResp(dev.submit(fmt.Sprint("/deals/", oc.deal.ID, "/offers"), url.Values{"title": {"Extra POC"}, "kind": {"poc"}, "submit": {"1"}})), http.StatusSeeOther)
		location(t, mustResp(sam.submit(loc+"/hold", url.Values{"trigger": {"on price"}})), http.StatusSeeOther)
		path := fmt.Sprint("/meetings/", oc.meeting.ID)
		location(t, mustResp(sam.submit(path+"/sync/confirm", nil)), http.StatusSeeOther)
		location(t, mustResp(dev.submit(path+"/sync/confirm", nil)), http.StatusSeeOther)
		state := func() string {
			_, page := sam.get(path)
			return page.Find(`[data-testid="sync-panel"]`).AttrOr("data-state", "")
		}
		if st := state(); st != "in_sync" {
			t.Fatalf("confirmed: %s", st)
		}
		location(t, mustResp(sam.submit(loc+"/release", nil)), http.StatusSeeOther)
		if st := state(); st != "stale" {
			t.Fatalf("after the release: %s", st)
		}
		location(t, mustResp(sam.submit(path+"/sync/confirm", nil)), http.StatusSeeOther)
		location(t, mustResp(dev.submit(path+"/sync/confirm", nil)), http.StatusSeeOther)
		if st := state(); st != "in_sync" {
			t.Fatalf("re-confirmed: %s", st)
		}
	})
}

func TestOfferInputsQuestionsAndPromises(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		oc := newOfferCast(t, d)
		dev, sam, out := oc.clients["dev"], oc.clients["sam"], oc.clients["out"]
		dealPath := fmt.Sprint("/deals/", oc.deal.ID)
		// Proposing: validation keeps the input; outsiders may not.
		resp, page := dev.submit(dealPath+"/offers", url.Values{"title": {""}, "kind": {"idea"}, "detail": {"Use the SDK"}})
		if resp.StatusCode != http.StatusUnprocessableEntity || fieldError(page, "title") == "" || !strings.Contains(value(page, "detail"), "Use the SDK") {
			t.Fatalf("empty idea: %d", resp.StatusCode)
		}
		if resp, _ := out.submit(dealPath+"/offers", url.Values{"title": {"x"}, "kind": {"idea"}}); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("outsider proposed: %d", resp.StatusCode)
		}
		loc := location(t, mustResp(dev.submit(dealPath+"/offers", url.Values{"title": {"Kafka connector"}, "kind": {"integration"}, "submit": {"1"}})), http.StatusSeeOther)
		// The review queue lists it for the owner, oldest first.
		_, queue := sam.get("/offers/review")
		if !strings.Contains(queue.Find(`[data-testid="review-item"]`).Text(), "Kafka connector") {
			t.Fatal("not in the owner's review queue")
		}
		if resp, page := sam.submit(loc+"/hold", url.Values{"trigger": {" "}}); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page.Text(), "Say when to raise it") {
			t.Fatalf("hold without trigger: %d", resp.StatusCode)
		}
		if resp, _ := sam.submit(loc+"/decline", url.Values{"reason": {""}}); resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("decline without reason: %d", resp.StatusCode)
		}
		location(t, mustResp(sam.submit(loc+"/clear", nil)), http.StatusSeeOther)
		_, inbox := dev.get("/notifications")
		if !strings.Contains(inbox.Text(), "cleared your offer") {
			t.Fatal("the proposer was not told of the decision")
		}
		other := oc.a.deal(oc.people["sam"], oc.deal.AccountID, "Other deal")
		foreign := oc.a.meeting(oc.people["sam"], other.ID, "Elsewhere", 10)
		if resp, _ := dev.submit(loc+"/share", url.Values{"meeting_id": {fmt.Sprint(foreign.ID)}}); resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("shared at another deal's meeting: %d", resp.StatusCode)
		}
		location(t, mustResp(dev.submit(loc+"/share", url.Values{"meeting_id": {fmt.Sprint(oc.meeting.ID)}})), http.StatusSeeOther)
		location(t, mustResp(sam.submit(loc+"/accept", nil)), http.StatusSeeOther)
		// The promise form comes prefilled from the offer and its deal, to
		// review; an empty text is refused with the rest kept.
		_, draft := sam.get(loc + "/promise")
		if value(draft, "text") == "" || value(draft, "kind") == "" || value(draft, "owner_id") != fmt.Sprint(oc.people["sam"].ID) ||
			value(draft, "meeting_id") != fmt.Sprint(oc.meeting.ID) {
			t.Fatalf("promise form not prefilled: text %q kind %q owner %q meeting %q", value(draft, "text"), value(draft, "kind"), value(draft, "owner_id"), value(draft, "meeting_id"))
		}
		form := url.Values{"text": {""}, "kind": {value(draft, "kind")}, "owner_id": {value(draft, "owner_id")}, "due_date": {"2027-03-31"}, "meeting_id": {value(draft, "meeting_id")}}
		if resp, page := sam.submit(loc+"/promise", form); resp.StatusCode != http.StatusUnprocessableEntity || value(page, "due_date") != "2027-03-31" {
			t.Fatalf("empty promise text: %d, due date kept %q", resp.StatusCode, value(page, "due_date"))
		}
		form.Set("text", "SSO with their Okta by March")
		promiseLoc := location(t, mustResp(sam.submit(loc+"/promise", form)), http.StatusSeeOther)
		if _, pr := sam.get(promiseLoc); !strings.Contains(pr.Text(), "SSO with their Okta by March") {
			t.Fatal("the reviewed wording was not saved")
		}
		if resp, _ := sam.submit(loc+"/promise", form); resp.StatusCode != http.StatusConflict {
			t.Fatalf("a second promise from one offer: %d", resp.StatusCode)
		}
		// Rating: risky needs a note; only the deal's DevRel rates.
		if resp, _ := out.submit(promiseLoc+"/review", url.Values{"feasibility": {"feasible"}}); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("outsider rated: %d", resp.StatusCode)
		}
		if resp, page := dev.submit(promiseLoc+"/review", url.Values{"feasibility": {"risky"}, "note": {""}}); resp.StatusCode != http.StatusUnprocessableEntity || fieldError(page, "note") == "" {
			t.Fatalf("risky without note: %d", resp.StatusCode)
		}
		location(t, mustResp(dev.submit(promiseLoc+"/review", url.Values{"feasibility": {"feasible"}, "note": {"Connector exists"}})), http.StatusSeeOther)
		_, pr := sam.get(promiseLoc)
		if pr.Find(`[data-testid="promise-feasibility"]`).AttrOr("data-feasibility", "") != "feasible" {
			t.Fatal("rating not shown")
		}
		location(t, mustResp(sam.submit(promiseLoc+"/status", url.Values{"status": {"kept"}})), http.StatusSeeOther)

		// A promise recorded by hand; unreviewed roadmap is flagged.
		resp, page = sam.submit(dealPath+"/promises", url.Values{"text": {""}, "kind": {"roadmap"}, "due_date": {"soon"}})
		if resp.StatusCode != http.StatusUnprocessableEntity || fieldError(page, "text") == "" || fieldError(page, "due_date") == "" {
			t.Fatalf("bad promise: %d", resp.StatusCode)
		}
		location(t, mustResp(sam.submit(dealPath+"/promises", url.Values{"text": {"HL7 v2 by Q2"}, "kind": {"roadmap"},
			"owner_id": {fmt.Sprint(oc.people["sam"].ID)}, "due_date": {time.Now().AddDate(0, 0, 10).Format(domain.DateLayout)}, "meeting_id": {fmt.Sprint(oc.meeting.ID)}})), http.StatusSeeOther)
		_, reg := sam.get("/promises?flagged=1")
		if n := reg.Find(`[data-testid="promise-row"]`).Length(); n != 1 || !strings.Contains(reg.Find(`[data-testid="promise-row"]`).Text(), "needs a feasibility review") {
			t.Fatalf("flagged register: %d", n)
		}
		_, reg = sam.get("/promises?feasibility=feasible")
		if n := reg.Find(`[data-testid="promise-row"]`).Length(); n != 1 {
			t.Fatalf("feasible filter: %d", n)
		}
		_, reg = sam.get(fmt.Sprint("/promises?due=soon&owner=", oc.people["sam"].ID))
		if n := reg.Find(`[data-testid="promise-row"]`).Length(); n != 1 {
			t.Fatalf("due soon for the owner: %d", n)
		}

		// Questions: raised at the meeting, answered by the deal's DevRel.
		location(t, mustResp(sam.submit(fmt.Sprint("/meetings/", oc.meeting.ID, "/questions"), url.Values{"category": {"security"}, "text": {"BYOK?"}})), http.StatusSeeOther)
		var q domain.Question
		oc.a.db.Read.Order("id DESC").First(&q)
		qPath := fmt.Sprint("/questions/", q.ID)
		_, devDesk := dev.get("/")
		if !strings.Contains(devDesk.Find(`[data-testid="desk-questions"]`).Text(), "BYOK?") {
			t.Fatal("open question not on the DevRel desk")
		}
		if resp, _ := sam.submit(qPath+"/answer", url.Values{"answer": {"Yes"}}); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("the salesperson answered: %d", resp.StatusCode)
		}
		if resp, _ := dev.submit(qPath+"/answer", url.Values{"answer": {" "}}); resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("empty answer: %d", resp.StatusCode)
		}
		location(t, mustResp(dev.submit(qPath+"/answer", url.Values{"answer": {"Yes, with AWS KMS."}})), http.StatusSeeOther)
		if resp, _ := dev.submit(qPath+"/answer", url.Values{"answer": {"again"}}); resp.StatusCode != http.StatusConflict {
			t.Fatalf("answering twice: %d", resp.StatusCode)
		}
		_, brief := sam.get(fmt.Sprint("/meetings/", oc.meeting.ID, "/brief"))
		if strings.Contains(brief.Find(`[data-testid="brief-questions"]`).Text(), "BYOK?") {
			t.Fatal("an answered question is still open in the brief")
		}
	})
}
