package seed

import (
	"fmt"
	"strings"
	"time"

	"github.com/presale/presale/internal/domain"
)

// work lays the pre-sale activity over the deals: who supports what, the
// meetings, their syncs, and the ideas, questions and promises around them.
func (d *demo) work() {
	ada, tomas, hana := d.devrel[0], d.devrel[1], d.devrel[2]

	// Claimed support requests and the assignments they created. Hana
	// carries three deals: her capacity is full.
	claims := []struct {
		deal   int
		devrel domain.User
		role   domain.AssignmentRole
		kind   domain.SupportKind
		days   int
	}{
		{0, ada, domain.AssignmentLead, domain.SupportDemo, 40},
		{2, tomas, domain.AssignmentLead, domain.SupportDeepDive, 30},
		{3, hana, domain.AssignmentLead, domain.SupportSecurityReview, 25},
		{4, ada, domain.AssignmentLead, domain.SupportArchitecture, 35},
		{4, hana, domain.AssignmentSupporting, domain.SupportNegotiation, 10},
		{6, tomas, domain.AssignmentLead, domain.SupportSecurityReview, 20},
		{8, hana, domain.AssignmentLead, domain.SupportPOC, 28},
		{12, tomas, domain.AssignmentLead, domain.SupportPOC, 15},
		{13, ada, domain.AssignmentLead, domain.SupportDemo, 12},
		{16, ada, domain.AssignmentSupporting, domain.SupportDeepDive, 8},
	}
	for _, c := range claims {
		deal := d.deals[c.deal]
		asked, claimed := d.ago(c.days, 9), d.ago(c.days-1, 14)
		r := domain.SupportRequest{DealID: deal.ID, RequestedByID: deal.OwnerID, Kind: c.kind, NeededBy: day(d.now, -c.days+7),
			Details: "Need DevRel for a " + c.kind.Label() + " with " + d.accountOf(deal).Name + ".", Status: domain.SupportClaimed,
			ClaimedByID: &c.devrel.ID, ClaimedAt: &claimed, CreatedAt: asked, UpdatedAt: claimed}
		d.w.create(&r)
		d.w.event(deal.OwnerID, "created", domain.EntitySupportRequest, r.ID, &deal.ID, "", requested(r), asked, false)
		a := domain.Assignment{DealID: deal.ID, UserID: c.devrel.ID, Role: c.role, Active: true, ClaimedAt: claimed}
		d.w.create(&a)
		d.w.event(c.devrel.ID, "claimed", domain.EntitySupportRequest, r.ID, &deal.ID, "status: open\nclaimed_by: ", "status: claimed\nclaimed_by: "+c.devrel.Name, claimed, false)
	}

	// A finished engagement on a won deal, and one request called off.
	won := d.deals[7]
	asked, claimed, released := d.ago(70, 9), d.ago(69, 10), d.ago(12, 16)
	d.w.create(&domain.SupportRequest{DealID: won.ID, RequestedByID: won.OwnerID, Kind: domain.SupportDemo, NeededBy: day(d.now, -65),
		Details: "Scheduling API demo for the clinic group.", Status: domain.SupportFulfilled, ClaimedByID: &ada.ID, ClaimedAt: &claimed, CreatedAt: asked, UpdatedAt: released})
	d.w.create(&domain.Assignment{DealID: won.ID, UserID: ada.ID, Role: domain.AssignmentLead, Active: false, ClaimedAt: claimed, ReleasedAt: &released})
	d.w.create(&domain.SupportRequest{DealID: d.deals[14].ID, RequestedByID: d.deals[14].OwnerID, Kind: domain.SupportDemo, NeededBy: day(d.now, -20),
		Details: "Demo cancelled: the customer postponed.", Status: domain.SupportCancelled, CreatedAt: d.ago(30, 9), UpdatedAt: d.ago(25, 9)})

	// Open requests on the support board, one overdue.
	open := []struct {
		deal   int
		kind   domain.SupportKind
		in     int
		detail string
	}{
		{1, domain.SupportDemo, 4, "Depot managers want to see the analytics add-on on their own data."},
		{5, domain.SupportSecurityReview, -2, "Their security team sent a 180-question review; due already."},
		{10, domain.SupportDemo, 3, "District IT wants a short demo before the budget meeting."},
		{14, domain.SupportArchitecture, 9, "Architecture review of the video pipeline with their platform team."},
		{17, domain.SupportDeepDive, 12, "Deep dive on consent flows for open banking."},
	}
	for i, o := range open {
		deal := d.deals[o.deal]
		at := d.ago(6-i, 10)
		r := domain.SupportRequest{DealID: deal.ID, RequestedByID: deal.OwnerID, Kind: o.kind, NeededBy: day(d.now, o.in),
			Details: o.detail, Status: domain.SupportOpen, CreatedAt: at, UpdatedAt: at}
		d.w.create(&r)
		d.w.event(deal.OwnerID, "created", domain.EntitySupportRequest, r.ID, &deal.ID, "", requested(r), at, false)
	}

	// Meetings: past ones held with their outcome, coming ones scheduled.
	// In working hours on weekdays, in the demo people's zone: coming
	// meetings move later to the next working hour, past ones earlier.
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		london = time.UTC
	}
	hour := func(h int) time.Time {
		t := d.now.Add(time.Duration(h) * time.Hour)
		if h > 0 {
			return domain.NextWorkingHour(t, london).UTC()
		}
		return domain.PrevWorkingHour(t, london).UTC()
	}
	m0past := d.meeting(0, "Platform demo", domain.MeetingDemo, hour(-24*9), 60, domain.MeetingHeld, "Strong demo; they asked about replaying old events. Price will be the fight.", ada)
	m0 := d.meeting(0, "Commercial negotiation", domain.MeetingNegotiation, hour(50), 60, domain.MeetingScheduled, "", ada)
	d.meeting(1, "Discovery call", domain.MeetingDiscovery, hour(24*5+3), 45, domain.MeetingScheduled, "")
	m2past := d.meeting(2, "Technical kickoff", domain.MeetingDiscovery, hour(-24*12), 60, domain.MeetingHeld, "Telemetry volumes are 3x what sales was told.", tomas)
	m2 := d.meeting(2, "Ingestion deep dive", domain.MeetingDeepDive, hour(26), 90, domain.MeetingScheduled, "", tomas)
	m3 := d.meeting(3, "Residency proposal review", domain.MeetingExecutive, hour(24*3+2), 60, domain.MeetingScheduled, "", hana)
	m4past := d.meeting(4, "Architecture workshop", domain.MeetingDeepDive, hour(-24*6), 120, domain.MeetingHeld, "Cutover timing is their main worry.", ada, hana)
	m4 := d.meeting(4, "Final terms", domain.MeetingNegotiation, hour(20), 60, domain.MeetingScheduled, "", ada, hana)
	m6past := d.meeting(6, "Compliance review", domain.MeetingDeepDive, hour(-24*4), 60, domain.MeetingHeld, "Encryption-at-rest question left open.", tomas)
	m8past := d.meeting(8, "Load-test readout", domain.MeetingPOCReview, hour(-24*3), 60, domain.MeetingHeld, "POC passed at 4x last year's peak.", hana)
	d.meeting(10, "Budget discovery", domain.MeetingDiscovery, hour(24*6), 30, domain.MeetingScheduled, "")
	d.meeting(12, "POC review", domain.MeetingPOCReview, hour(24*9), 90, domain.MeetingScheduled, "", tomas)
	d.meeting(13, "Test-range walkthrough", domain.MeetingDemo, hour(24*12), 60, domain.MeetingScheduled, "", ada)
	d.meeting(14, "Pipeline demo", domain.MeetingDemo, hour(-24*20), 60, domain.MeetingCancelled, "")
	m9past := d.meeting(9, "Store pilot review", domain.MeetingPOCReview, hour(-24*25), 60, domain.MeetingHeld, "They chose the incumbent: offline mode was the deal-breaker.")

	// Offers in every lifecycle state.
	sofia, marcus := d.sales[0], d.sales[1]
	d.offer(0, ada, "Reuse the Kafka connector for depot feeds", domain.OfferIntegration, "2 days", d.ago(12, 10),
		step{domain.OfferSubmit, ada, "", d.ago(12, 11)}, step{domain.OfferClear, sofia, "", d.ago(11, 9)},
		step{domain.OfferShare, ada, ref(m0past), d.ago(9, 10)}, step{domain.OfferAccept, sofia, "", d.ago(8, 15)})
	d.offer(0, ada, "Extended 90-day POC at no cost", domain.OfferService, "3 weeks of DevRel time", d.ago(7, 10),
		step{domain.OfferSubmit, ada, "", d.ago(7, 11)}, step{domain.OfferHold, sofia, "If they push on price in the negotiation", d.ago(6, 9)})
	d.offer(0, ada, "Show event replay for late depot data", domain.OfferIdea, "none", d.ago(5, 10),
		step{domain.OfferSubmit, ada, "", d.ago(5, 11)}, step{domain.OfferClear, sofia, "", d.ago(4, 9)})
	d.offer(0, ada, "Custom dashboard for depot managers", domain.OfferCustomWork, "6 weeks", d.ago(5, 12),
		step{domain.OfferSubmit, ada, "", d.ago(5, 13)}, step{domain.OfferDecline, sofia, "Out of scope for this deal; revisit at renewal.", d.ago(4, 10)})
	d.offer(2, tomas, "Benchmark against their historian", domain.OfferPOC, "1 week", d.ago(3, 10))
	d.offer(2, tomas, "Edge buffering for flaky substations", domain.OfferWorkaround, "3 days", d.ago(1, 10),
		step{domain.OfferSubmit, tomas, "", d.ago(1, 11)})
	d.offer(4, ada, "Dedicated migration engineer for three months", domain.OfferService, "1 FTE for 3 months", d.ago(5, 10),
		step{domain.OfferSubmit, ada, "", d.ago(5, 11)}, step{domain.OfferHold, marcus, "Only if they raise cutover timing as a blocker", d.ago(4, 16)})
	d.offer(4, hana, "Native mainframe adapter (roadmap)", domain.OfferRoadmapItem, "next year", d.ago(9, 10),
		step{domain.OfferSubmit, hana, "", d.ago(9, 11)}, step{domain.OfferWithdraw, hana, "", d.ago(8, 9)})
	d.offer(4, hana, "Two-week dual run with the old bus", domain.OfferWorkaround, "2 weeks", d.ago(6, 10),
		step{domain.OfferSubmit, hana, "", d.ago(6, 11)})
	d.offer(6, tomas, "FHIR mapping templates", domain.OfferIntegration, "4 days", d.ago(3, 12),
		step{domain.OfferSubmit, tomas, "", d.ago(3, 13)})
	d.offer(8, hana, "Autoscaling profile tuned for peak", domain.OfferIdea, "2 days", d.ago(6, 10),
		step{domain.OfferSubmit, hana, "", d.ago(6, 11)}, step{domain.OfferClear, d.sales[2], "", d.ago(5, 9)},
		step{domain.OfferShare, hana, ref(m8past), d.ago(3, 10)})
	d.offer(8, hana, "Pre-warmed capacity for Black Friday", domain.OfferService, "1 day", d.ago(6, 12),
		step{domain.OfferSubmit, hana, "", d.ago(6, 13)}, step{domain.OfferClear, d.sales[2], "", d.ago(5, 10)},
		step{domain.OfferShare, hana, ref(m8past), d.ago(3, 10)}, step{domain.OfferAccept, d.sales[2], "", d.ago(2, 9)})
	d.offer(9, tomas, "On-prem inventory agent", domain.OfferCustomWork, "8 weeks", d.ago(30, 10),
		step{domain.OfferSubmit, tomas, "", d.ago(30, 11)}, step{domain.OfferClear, d.sales[0], "", d.ago(29, 9)},
		step{domain.OfferShare, d.sales[0], ref(m9past), d.ago(25, 10)}, step{domain.OfferReject, d.sales[0], "", d.ago(24, 9)})

	// Syncs: Fleet (in sync) and Final terms (in sync) after the latest
	// change; Ingestion confirmed before the edge-buffering offer (stale);
	// Residency confirmed by sales only (unsynced).
	d.sync(m0, "Lead with replay; keep the free POC in reserve.", "Event replay, Kafka connector", "Free POC unless price comes up", sofia.ID, d.ago(0, 8), ada.ID, ptr(d.ago(0, 9)))
	d.sync(m4, "Marcus drives; Ada answers architecture.", "Dual-run plan", "Mainframe adapter timelines", marcus.ID, d.ago(0, 8), ada.ID, ptr(d.ago(0, 8).Add(30*time.Minute)))
	d.sync(m2, "Volumes are bigger than sold; be honest.", "Benchmark plan", "Promising 10x compression", d.sales[2].ID, d.ago(2, 9), tomas.ID, ptr(d.ago(2, 10)))
	d.sync(m3, "Residency is the whole deal.", "EU-only processing", "Backup locations until checked", sofia.ID, d.ago(1, 9), 0, nil)

	// The customer's questions.
	d.question(0, m0past, 1, domain.QuestionIntegration, "Can we replay events older than seven days?", "Yes: retention is configurable up to 90 days on the standard tier.", &ada, d.ago(9, 11))
	d.question(2, m2past, 1, domain.QuestionPerformance, "What throughput does one ingestion node sustain?", "", nil, d.ago(12, 11))
	d.question(4, m4past, 0, domain.QuestionIntegration, "Do you handle SWIFT MT messages natively?", "Through the ISO 20022 bridge; MT is translated on ingest.", &ada, d.ago(6, 12))
	d.question(6, m6past, 0, domain.QuestionCompliance, "Is patient data encrypted at rest with keys we control?", "", nil, d.ago(4, 11))
	d.question(8, m8past, 1, domain.QuestionPricing, "Does pre-warmed capacity cost extra?", "", nil, d.ago(3, 11))

	// The promise register: every feasibility, every status.
	d.promise(0, &m0past, sofia, "The Kafka connector reads the depot feed format as is", domain.PromiseExistingFeature, domain.FeasibilityFeasible, "Tested on their sample feed.", &ada, 14, domain.PromiseOpen)
	d.promise(4, &m4past, marcus, "Cutover completed within six weeks of signature", domain.PromiseServices, domain.FeasibilityRisky, "Depends on their change freeze in December.", &ada, 40, domain.PromiseOpen)
	d.promise(3, nil, sofia, "No data, backups included, ever leaves the EU", domain.PromiseConfiguration, domain.FeasibilityInfeasible, "Backups replicate to the US today; EU-only backups are on next year's roadmap.", &hana, 30, domain.PromiseOpen)
	d.promise(6, &m6past, sofia, "HL7 v2 support by the second quarter", domain.PromiseRoadmap, domain.FeasibilityUnreviewed, "", nil, 60, domain.PromiseOpen)
	d.promise(8, &m8past, d.sales[2], "Pre-warmed capacity in place for Black Friday", domain.PromiseServices, domain.FeasibilityFeasible, "Standard runbook.", &hana, 5, domain.PromiseOpen)
	d.promise(7, nil, marcus, "SSO with their identity provider at go-live", domain.PromiseExistingFeature, domain.FeasibilityFeasible, "SAML and OIDC supported.", &ada, -15, domain.PromiseKept)
	d.promise(9, &m9past, sofia, "Offline mode for stores", domain.PromiseCustomWork, domain.FeasibilityInfeasible, "Not without a rewrite of the sync engine.", &tomas, -20, domain.PromiseDropped)
	d.promise(13, nil, marcus, "A custom decoder for their telemetry frames", domain.PromiseCustomWork, domain.FeasibilityUnreviewed, "", nil, 25, domain.PromiseOpen)
}

func (d *demo) accountOf(deal domain.Deal) domain.Account {
	for _, a := range d.accounts {
		if a.ID == deal.AccountID {
			return a
		}
	}
	return domain.Account{}
}

// meeting schedules a meeting on deal i with the owner, the given DevRel
// and the account's first two contacts.
func (d *demo) meeting(i int, title string, kind domain.MeetingType, start time.Time, minutes int, status domain.MeetingStatus, outcome string, devrel ...domain.User) domain.Meeting {
	deal := d.deals[i]
	created := start.Add(-10 * 24 * time.Hour)
	if created.After(d.now) {
		created = d.now.Add(-48 * time.Hour)
	}
	m := domain.Meeting{DealID: deal.ID, Title: title, Type: kind, StartsAt: start, EndsAt: start.Add(time.Duration(minutes) * time.Minute),
		Location: "https://meet.example/" + fmt.Sprint(deal.ID) + "-" + fmt.Sprint(start.Unix()%9973), Agenda: "1. Recap\n2. " + title + "\n3. Next steps",
		Goal: "Move " + deal.Title + " forward: " + domain.Article(domain.InSentence(kind.Label())) + " with a clear next step.", Status: status, OutcomeNotes: outcome,
		CreatedAt: created, UpdatedAt: created}
	d.w.create(&m)
	d.w.event(deal.OwnerID, "created", domain.EntityMeeting, m.ID, &deal.ID, "", m.Snapshot().Created(), created, false)
	if status != domain.MeetingScheduled {
		d.w.event(deal.OwnerID, string(status), "meeting", m.ID, &deal.ID, "status: scheduled", "status: "+string(status), m.EndsAt, false)
	}
	for j, c := range d.contacts[deal.AccountID] {
		if j < 2 {
			d.w.create(&domain.MeetingContact{MeetingID: m.ID, ContactID: c.ID})
		}
	}
	d.w.create(&domain.MeetingAttendee{MeetingID: m.ID, UserID: deal.OwnerID})
	for _, u := range devrel {
		d.w.create(&domain.MeetingAttendee{MeetingID: m.ID, UserID: u.ID})
	}
	return m
}

type step struct {
	action domain.OfferAction
	actor  domain.User
	input  string // trigger, reason or meeting id
	at     time.Time
}

func ref(m domain.Meeting) string { return fmt.Sprint(m.ID) }

// requested is a new support request's event summary, as the service
// writes it.
func requested(r domain.SupportRequest) string {
	needed := ""
	if r.NeededBy != nil {
		needed = r.NeededBy.Format(domain.DateLayout)
	}
	return domain.Snapshot{{Field: "kind", New: string(r.Kind)}, {Field: "needed_by", New: needed}, {Field: "details", New: r.Details}, {Field: "status", New: string(domain.SupportOpen)}}.Created()
}

// offer proposes an offer on deal i and moves it through its steps with
// the domain's own lifecycle, so the demo holds only reachable states.
func (d *demo) offer(i int, by domain.User, title string, kind domain.OfferKind, effort string, created time.Time, steps ...step) {
	deal := d.deals[i]
	o := domain.Offer{DealID: deal.ID, ProposedByID: by.ID, Title: title, Kind: kind, EstimatedEffort: effort, Status: domain.OfferDraft,
		Detail: title + ". Proposed by " + by.Name + " after talking to the customer's engineers.", Version: 1, CreatedAt: created, UpdatedAt: created}
	d.w.create(&o)
	d.w.event(by.ID, "created", domain.EntityOffer, o.ID, &deal.ID, "", domain.Snapshot{{Field: "title", New: o.Title}, {Field: "kind", New: string(o.Kind)},
		{Field: "estimated_effort", New: o.EstimatedEffort}, {Field: "status", New: string(o.Status)}}.Created(), created, false)
	team := domain.DealTeam{DealID: deal.ID, OwnerID: deal.OwnerID, DevRelIDs: []int64{d.devrel[0].ID, d.devrel[1].ID, d.devrel[2].ID}}
	for _, s := range steps {
		in := domain.OfferInput{Trigger: s.input, Reason: s.input}
		if s.action == domain.OfferShare {
			var id int64
			fmt.Sscan(s.input, &id)
			in.MeetingID = &id
		}
		next, err := domain.OfferMove{Offer: o, Action: s.action, Actor: s.actor, Team: team, Input: in}.Decide(s.at)
		if err != nil {
			d.w.err = fmt.Errorf("demo offer %q %s: %w", title, s.action, err)
			return
		}
		teamOnly := o.Status == domain.OfferReserved || next.Status == domain.OfferReserved
		d.w.event(s.actor.ID, string(s.action), "offer", o.ID, &deal.ID, "status: "+string(o.Status), "status: "+string(next.Status), s.at, teamOnly)
		o = next
		o.Version++
		o.UpdatedAt = s.at
	}
	d.w.save(&o)
}

func (d *demo) sync(m domain.Meeting, notes, mayRaise, avoid string, salesID int64, salesAt time.Time, devrelID int64, devrelAt *time.Time) {
	s := domain.Sync{MeetingID: m.ID, Notes: notes, MayRaise: mayRaise, Avoid: avoid, SalesConfirmedAt: &salesAt, SalesConfirmedBy: &salesID,
		CreatedAt: salesAt.Add(-time.Hour), UpdatedAt: salesAt}
	if devrelAt != nil {
		s.DevRelConfirmedAt, s.DevRelConfirmedBy = devrelAt, &devrelID
		s.UpdatedAt = *devrelAt
	}
	d.w.create(&s)
	// As the service writes a confirmation: the meeting and who confirmed.
	confirmed := func(by int64) string {
		name := ""
		for _, u := range append(append([]domain.User{d.manager}, d.sales...), d.devrel...) {
			if u.ID == by {
				name = u.Name
			}
		}
		return domain.Snapshot{{Field: "meeting", New: m.Title}, {Field: "confirmed_by", New: name}}.Created()
	}
	d.w.event(salesID, "confirmed", domain.EntitySync, s.ID, &m.DealID, "", confirmed(salesID), salesAt, false)
	if devrelAt != nil {
		d.w.event(devrelID, "confirmed", domain.EntitySync, s.ID, &m.DealID, "", confirmed(devrelID), *devrelAt, false)
	}
}

func (d *demo) question(i int, m domain.Meeting, contact int, cat domain.QuestionCategory, text, answer string, by *domain.User, at time.Time) {
	deal := d.deals[i]
	q := domain.Question{DealID: deal.ID, MeetingID: &m.ID, Category: cat, Text: text, Status: domain.QuestionOpen, CreatedAt: at, UpdatedAt: at}
	if cs := d.contacts[deal.AccountID]; contact < len(cs) {
		q.RaisedByID = &cs[contact].ID
	}
	if answer != "" {
		answered := at.Add(26 * time.Hour)
		q.Status, q.Answer, q.AnsweredByID, q.AnsweredAt, q.UpdatedAt = domain.QuestionAnswered, answer, &by.ID, &answered, answered
	}
	d.w.create(&q)
	d.w.event(deal.OwnerID, "raised", domain.EntityQuestion, q.ID, &deal.ID, "", text, at, false)
	if answer != "" {
		d.w.event(by.ID, "answered", domain.EntityQuestion, q.ID, &deal.ID, "status: open", "status: answered", *q.AnsweredAt, false)
	}
}

func (d *demo) promise(i int, m *domain.Meeting, by domain.User, text string, kind domain.PromiseKind, f domain.Feasibility, note string, reviewer *domain.User, due int, status domain.PromiseStatus) {
	deal := d.deals[i]
	at := d.ago(3+i%5, 15)
	p := domain.Promise{DealID: deal.ID, MadeByID: by.ID, OwnerID: deal.OwnerID, Text: text, Kind: kind, Feasibility: f, FeasibilityNote: note,
		DueDate: day(d.now, due), Status: status, CreatedAt: at, UpdatedAt: at}
	if m != nil {
		p.MeetingID = &m.ID
	}
	if reviewer != nil {
		reviewed := at.Add(5 * time.Hour)
		p.ReviewedByID, p.ReviewedAt, p.UpdatedAt = &reviewer.ID, &reviewed, reviewed
	}
	d.w.create(&p)
	d.w.event(by.ID, "recorded", domain.EntityPromise, p.ID, &deal.ID, "", text, at, false)
	if reviewer != nil {
		d.w.event(reviewer.ID, "reviewed", domain.EntityPromise, p.ID, &deal.ID, "feasibility: unreviewed", "feasibility: "+string(f), *p.ReviewedAt, false)
	}
}

// nextSteps gives most open deals a next step: some overdue, some due
// today, most ahead, a few done; three deals are left without one, as a
// real pipeline has.
func (d *demo) nextSteps() {
	titles := []string{"Send the security questionnaire", "Book the architecture review", "Share the pricing proposal",
		"Confirm the POC success criteria", "Introduce the customer's platform lead", "Follow up on the demo"}
	without := 0
	for i, deal := range d.deals {
		if deal.Stage.Closed() {
			continue
		}
		if i%5 == 4 && without < 3 {
			without++
			continue
		}
		due := []int{-2, 0, 1, 3, 6, 9}[i%6]
		t := domain.Task{DealID: deal.ID, Title: titles[(i+i/6)%len(titles)], DueOn: *day(d.now, due), AssigneeID: deal.OwnerID,
			CreatedByID: deal.OwnerID, Version: 1, CreatedAt: d.ago(3, 10), UpdatedAt: d.ago(3, 10)}
		d.w.create(&t)
		d.w.event(deal.OwnerID, "created", domain.EntityTask, t.ID, &deal.ID, "", "title: "+t.Title, t.CreatedAt, false)
		if i%4 == 0 {
			done := d.ago(6, 16)
			old := domain.Task{DealID: deal.ID, Title: "Send the meeting recap", DueOn: *day(d.now, -7), AssigneeID: deal.OwnerID,
				CreatedByID: deal.OwnerID, DoneAt: &done, Version: 2, CreatedAt: d.ago(9, 10), UpdatedAt: done}
			d.w.create(&old)
		}
	}
}

// pendingImport leaves a HubSpot deals export uploaded and waiting on the
// import page: a stage and an owner to map, rows presale has already and
// rows that fail, as a team's first import looks.
func (d *demo) pendingImport() {
	content := "Record ID,Deal Name,Associated Company,Deal owner,Deal Stage,Amount,Close Date,Pipeline\n" +
		"9001,Warehouse robotics pilot,Northwind Logistics,Sofia Reyes,appointmentscheduled,48000,2027-04-30,Sales Pipeline\n" +
		"9002,Smart meter analytics,Helios Energy,Marcus Chen,presentationscheduled,125000.50,2027-05-15,Sales Pipeline\n" +
		"9003,Fraud scoring renewal,Bluefin Bank,Priya Nair,Verbal yes,86000,2027-03-31,Renewals\n" +
		"9004,Clinic scheduling,Quanta Health,Jordan Lee,contractsent,31000,2027-06-30,Sales Pipeline\n" +
		"9005,Loyalty app rollout,Orbital Retail,Sofia Reyes,qualifiedtobuy,\"$22,000\",2027-05-01,Sales Pipeline\n" +
		"9006,Fleet expansion,Nimbus Freight,Sofia Reyes,appointmentscheduled,54000,2027-07-31,Sales Pipeline\n" +
		"9007,Store sensors,Orbital Retail,Sofia Reyes,decisionmakerboughtin,39000,31/12/2027,Sales Pipeline\n"
	header := strings.Split(content[:strings.IndexByte(content, '\n')], ",")
	cols, _ := domain.RecognizeColumns(domain.ImportDeals, header)
	// A stage mapped on an earlier file and kept: this one has it too.
	d.w.create(&domain.ImportMapping{Kind: domain.ImportDeals, What: domain.MapStage, Name: "Verbal yes", Value: string(domain.StageNegotiation), UpdatedAt: d.now.Add(-72 * time.Hour)})
	d.w.create(&domain.Import{Kind: domain.ImportDeals, FileName: "hubspot-deals-export.csv", Content: []byte(content),
		Plan: domain.ImportPlan{Kind: domain.ImportDeals, Columns: cols, Stages: map[string]domain.Stage{"Verbal yes": domain.StageNegotiation},
			Owners: map[string]int64{}, Currency: "USD"},
		Status: domain.ImportPending, Version: 1, CreatedBy: d.manager.ID, CreatedAt: d.now.Add(-2 * time.Hour)})
}
