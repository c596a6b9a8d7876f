package seed

import (
	"fmt"
	mrand "math/rand/v2"
	"time"

	"github.com/presale/presale/internal/domain"
)

// demoHistory is how many closed deals the demo's last year holds.
const demoHistory = 160

// history adds the organisation's last year of closed deals with the
// evidence's planted effects (evidence.go), so the evidence page has
// something to read: each deal opened, closed won or lost, and where
// DevRel was in the room, its held meeting, the sync before it and the
// reserve's moves.
func (d *demo) history() {
	rng := mrand.New(mrand.NewPCG(28, demoHistory))
	projects := []string{"Route planning API", "Event archive", "Partner portal", "SSO rollout", "Data residency add-on", "Usage analytics",
		"Webhook relay", "Edge agents", "Billing integration", "Audit trail", "Mobile SDK", "Search upgrade", "Disaster recovery",
		"Reporting API", "Sandbox environments", "Streaming connectors"}
	// The reasons a deal is lost, as the organisation's list has them at
	// first (migration 46); a missing capability often.
	reasons := domain.Choices{{Key: "price", Label: "Price"}, {Key: domain.LostMissingCapability, Label: "Missing capability"},
		{Key: "competitor", Label: "Competitor"}, {Key: "timing", Label: "Timing"}, {Key: "no_decision", Label: "No decision"}}
	var planted plantedRows
	for i := range demoHistory {
		acc := d.accounts[i%len(d.accounts)]
		owner := d.sales[i%len(d.sales)]
		created := d.ago(60+rng.IntN(330), 10)
		deal := domain.Deal{AccountID: acc.ID, Title: fmt.Sprintf("%s, phase %d", projects[i%len(projects)], 1+i/len(projects)), OwnerID: owner.ID,
			AmountMinor: int64(1+rng.IntN(499)) * 1000 * 100, ExpectedCloseDate: &created, TechnicalStatus: domain.TechWin,
			Description: "A past deal with " + acc.Name + ".", Version: 2, CreatedAt: created, UpdatedAt: created}
		plan := plantClose(rng, &deal, d.now)
		if deal.Stage == domain.StageClosedLost {
			deal.TechnicalStatus = domain.TechLoss
			deal.LostReason = reasons[[]int{0, 1, 1, 2, 3, 4}[rng.IntN(6)]].Key
		}
		deal.ExpectedCloseDate, deal.UpdatedAt = deal.ClosedAt, *deal.ClosedAt
		d.w.create(&deal)
		d.past = append(d.past, deal)
		opened := deal // as it was opened: in negotiation
		opened.Stage, opened.ClosedAt, opened.LostReason, opened.TechnicalStatus = domain.StageNegotiation, nil, "", domain.TechInProgress
		d.w.event(owner.ID, "created", domain.EntityDeal, deal.ID, &deal.ID, "", opened.Snapshot(acc.Name, owner.Name, reasons).Created(), deal.CreatedAt, false)
		closing := []domain.FieldChange{{Field: "stage", Old: string(domain.StageNegotiation), New: string(deal.Stage)}}
		if deal.LostReason != "" {
			closing = append(closing, domain.FieldChange{Field: "lost_reason", New: reasons.Label(deal.LostReason)})
		}
		before, after := domain.EncodeChanges(closing)
		d.w.event(owner.ID, "updated", domain.EntityDeal, deal.ID, &deal.ID, before, after, *deal.ClosedAt, false)
		if !plan.room {
			continue
		}
		dev := d.devrel[rng.IntN(len(d.devrel))]
		d.w.create(&domain.Assignment{DealID: deal.ID, UserID: dev.ID, Role: domain.AssignmentLead, Active: false, ClaimedAt: deal.CreatedAt, ReleasedAt: deal.ClosedAt})
		plantRoom(plan, deal, dev.ID, &planted)
	}
	if d.w.err == nil {
		d.w.err = planted.write(func(rows any) error { return d.w.tx.CreateInBatches(rows, 200).Error })
	}
}

// demoAreas are the demo's product areas, by key.
var demoAreas = []struct{ key, label string }{
	{"single_sign_on", "Single sign-on"}, {"audit_logs", "Audit logs"}, {"on_premises", "On-premises deployment"}, {"data_residency", "Data residency"},
}

// gaps gives the demo's product team a list to read: its product areas,
// open questions naming them on open deals, and on each deal of the past
// year lost to a missing capability, the question that named its area.
func (d *demo) gaps() {
	for i, a := range demoAreas {
		d.w.create(&domain.Choice{List: domain.ListProductAreas, Key: a.key, Label: a.label, Position: i + 1, CreatedAt: d.ago(100, 9), UpdatedAt: d.ago(100, 9)})
	}
	ask := func(deal domain.Deal, area int, text string, at time.Time, answered bool) {
		q := domain.Question{DealID: deal.ID, Category: domain.QuestionSecurity, Text: text, Status: domain.QuestionOpen, ProductArea: demoAreas[area].key,
			CreatedAt: at, UpdatedAt: at}
		if answered {
			q.Category = domain.QuestionRoadmap
			q.Status, q.Answer, q.AnsweredByID, q.AnsweredAt = domain.QuestionAnswered, "Not yet: it is on the roadmap.", &d.devrel[0].ID, &at
		}
		d.w.create(&q)
		d.w.event(deal.OwnerID, "raised", domain.EntityQuestion, q.ID, &deal.ID, "", text, at, false)
	}
	asked := []struct {
		deal, area int
		text       string
	}{
		{2, 3, "Can every byte stay in the EU, backups included?"},
		{3, 3, "Which regions can we pin our data to?"},
		{6, 0, "Do you support SAML single sign-on with our IdP?"},
		{12, 2, "Can it run with no outbound connection at all?"},
		{13, 1, "Can we export the audit log to our SIEM?"},
		{16, 1, "How long are audit events kept?"},
	}
	for _, a := range asked {
		ask(d.deals[a.deal], a.area, a.text, d.ago(6, 11), false)
	}
	for i, deal := range d.past {
		if deal.LostReason == domain.LostMissingCapability {
			ask(deal, i%len(demoAreas), "Is "+demoAreas[i%len(demoAreas)].label+" on the roadmap?", deal.CreatedAt.Add(48*time.Hour), true)
		}
	}
}
