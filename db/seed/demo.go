package seed

import (
	"cmp"
	"context"
	"crypto/rand"
	"fmt"
	"time"

	"github.com/presale/presale/db"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/store"
	"gorm.io/gorm"
)

// Demo fills an empty database with a believable organisation: three of
// each front-line role and a manager, eight customers, twenty deals in
// every stage, meetings past and coming, support requests, offers in every
// lifecycle state, questions and promises, and a year of closed deals for
// the evidence. It returns the sign-ins.
func Demo(ctx context.Context, g *gorm.DB, hash Hasher, now time.Time) ([]Login, error) {
	pw, err := hash(DemoPassword)
	if err != nil {
		return nil, err
	}
	now = now.UTC().Truncate(time.Minute)
	var logins []Login
	err = g.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// Under the lock, so two instances started with --demo on one
		// empty database add the organisation once.
		if err := db.Lock(tx); err != nil {
			return err
		}
		if ok, err := empty(ctx, tx); err != nil || !ok {
			return cmp.Or(err, ErrNotEmpty)
		}
		w := &writer{tx: tx}
		d := demo{w: w, now: now, pw: pw}
		d.people()
		money(w, d.manager.ID, now)
		d.customers()
		d.pipeline()
		d.work()
		d.nextSteps()
		d.history() // last: the demo's own meetings and offers keep their ids
		d.gaps()
		d.pendingImport()
		logins = d.logins
		if w.err != nil {
			return w.err
		}
		if err := fillLastActivity(tx); err != nil {
			return err
		}
		// The rows went in without the service: their derived state is
		// worked out from them, as `presale rebuild` does.
		return store.New(tx, tx).Derived().Rebuild(ctx)
	})
	return logins, err
}

type demo struct {
	w      *writer
	now    time.Time
	pw     string
	logins []Login

	sales, devrel []domain.User
	manager       domain.User
	accounts      []domain.Account
	contacts      map[int64][]domain.Contact // by account
	deals         []domain.Deal
	past          []domain.Deal // the closed deals of the last year (history)
}

func (d *demo) ago(days int, hour int) time.Time {
	y, m, dd := d.now.Date()
	return time.Date(y, m, dd-days, hour, 0, 0, 0, time.UTC)
}

func (d *demo) user(name, email string, role domain.Role, admin bool, capacity int) domain.User {
	u := domain.User{Name: name, Email: email, Role: role, Admin: admin, Active: true, PasswordHash: d.pw,
		Capacity: capacity, TimeZone: "Europe/London", CalendarToken: rand.Text(), CreatedAt: d.ago(120, 9), UpdatedAt: d.ago(120, 9)}
	d.w.create(&u)
	d.logins = append(d.logins, Login{Email: email, Role: role, Name: name})
	return u
}

func (d *demo) people() {
	d.sales = []domain.User{
		d.user("Sofia Reyes", "sales@demo.test", domain.RoleSales, false, 0),
		d.user("Marcus Chen", "sales2@demo.test", domain.RoleSales, false, 0),
		d.user("Priya Nair", "sales3@demo.test", domain.RoleSales, false, 0),
	}
	d.devrel = []domain.User{
		d.user("Ada Kowalski", "devrel@demo.test", domain.RoleDevRel, false, 5),
		d.user("Tomás Silva", "devrel2@demo.test", domain.RoleDevRel, false, 4),
		d.user("Hana Sato", "devrel3@demo.test", domain.RoleDevRel, false, 3),
	}
	d.manager = d.user("Morgan Blake", "manager@demo.test", domain.RoleManager, true, 0)
}

func (d *demo) customers() {
	type person struct{ name, title string }
	rows := []struct {
		name, domain, industry, notes string
		people                        []person
	}{
		{"Northwind Logistics", "northwind.example", "Logistics", "Runs 40 depots; wants real-time fleet events.", []person{{"Elena Marsh", "CTO"}, {"Raj Patel", "Head of Platform"}, {"Lisa Grant", "Procurement"}}},
		{"Helios Energy", "helios-energy.example", "Energy", "Grid operator; strict on data residency.", []person{{"Jonas Weber", "VP Engineering"}, {"Maja Lind", "Security Lead"}}},
		{"Bluefin Bank", "bluefin.example", "Financial services", "Replacing an in-house integration bus.", []person{{"Oliver Hart", "Chief Architect"}, {"Nadia Rahman", "CISO"}, {"Tom Becker", "Vendor Management"}}},
		{"Quanta Health", "quanta-health.example", "Healthcare", "HIPAA; evaluating three vendors.", []person{{"Grace Liu", "Director of IT"}, {"Samuel Ortiz", "Integration Engineer"}}},
		{"Orbital Retail", "orbital.example", "Retail", "Black Friday load is the acid test.", []person{{"Chloe Martin", "Head of E-commerce"}, {"Ben Adeyemi", "SRE Manager"}}},
		{"Cedar Public Schools", "cedar-schools.example", "Education", "Budget cycle closes in June.", []person{{"Karen Doyle", "IT Coordinator"}, {"Luis Romero", "Network Admin"}}},
		{"Kestrel Aerospace", "kestrel.example", "Aerospace", "Air-gapped deployment required.", []person{{"Ingrid Sørensen", "Systems Engineering Lead"}, {"Akira Tanaka", "Security Officer"}}},
		{"Lumen Media", "lumen.example", "Media", "Video pipeline; cost-sensitive.", []person{{"Zoe Fischer", "VP Product"}, {"Marco Bianchi", "Platform Architect"}}},
	}
	d.contacts = map[int64][]domain.Contact{}
	for i, r := range rows {
		at := d.ago(100-i*5, 10)
		a := domain.Account{Name: r.name, Domain: r.domain, Industry: r.industry, Notes: r.notes, CreatedAt: at, UpdatedAt: at}
		d.w.create(&a)
		d.w.event(d.sales[i%3].ID, "created", domain.EntityAccount, a.ID, nil, "", a.Name, at, false)
		d.accounts = append(d.accounts, a)
		for _, p := range r.people {
			c := domain.Contact{AccountID: a.ID, Name: p.name, Title: p.title, Phone: fmt.Sprintf("+44 20 7946 0%03d", a.ID*10+int64(len(d.contacts[a.ID]))),
				Email: fmt.Sprintf("%s@%s", firstName(p.name), r.domain), CreatedAt: at, UpdatedAt: at}
			d.w.create(&c)
			d.contacts[a.ID] = append(d.contacts[a.ID], c)
		}
	}
}

func (d *demo) pipeline() {
	rows := []struct {
		account  int
		title    string
		stage    domain.Stage
		amount   int64 // major units
		currency string
		closeIn  int
		tech     domain.TechnicalStatus
	}{
		{0, "Fleet event streaming platform", domain.StageNegotiation, 240000, "USD", 21, domain.TechWin},
		{0, "Depot analytics add-on", domain.StageDiscovery, 45000, "USD", 75, domain.TechNotStarted},
		{1, "Grid telemetry ingestion", domain.StageEvaluation, 380000, "EUR", 60, domain.TechInProgress},
		{1, "EU data residency expansion", domain.StageProposal, 120000, "EUR", 35, domain.TechAtRisk},
		{2, "Integration bus replacement", domain.StageNegotiation, 1250000, "GBP", 14, domain.TechInProgress},
		{2, "Fraud signals pilot", domain.StageProspecting, 60000, "GBP", 120, domain.TechNotStarted},
		{3, "Patient data exchange", domain.StageEvaluation, 310000, "USD", 50, domain.TechAtRisk},
		{3, "Clinic scheduling API", domain.StageClosedWon, 85000, "USD", -10, domain.TechWin},
		{4, "Peak-season scaling", domain.StageProposal, 150000, "CAD", 30, domain.TechInProgress},
		{4, "Store inventory sync", domain.StageClosedLost, 70000, "CAD", -20, domain.TechLoss},
		{5, "District-wide licence", domain.StageDiscovery, 48000, "USD", 90, domain.TechNotStarted},
		{5, "Student data portal", domain.StageProspecting, 22000, "USD", 150, domain.TechNotStarted},
		{6, "Air-gapped deployment", domain.StageEvaluation, 9000000, "JPY", 80, domain.TechInProgress},
		{6, "Flight test telemetry", domain.StageNegotiation, 540000, "CHF", 10, domain.TechWin},
		{7, "Video pipeline modernisation", domain.StageProposal, 210000, "AUD", 40, domain.TechInProgress},
		{7, "Archive migration", domain.StageClosedWon, 95000, "AUD", -30, domain.TechWin},
		{0, "Customs document automation", domain.StageEvaluation, 130000, "USD", 55, domain.TechInProgress},
		{2, "Open banking gateway", domain.StageDiscovery, 400000, "GBP", 100, domain.TechNotStarted},
		{4, "Loyalty events API", domain.StageClosedLost, 55000, "CAD", -45, domain.TechLoss},
		{1, "Substation edge agents", domain.StageProspecting, 75000, "SEK", 130, domain.TechNotStarted},
	}
	for i, r := range rows {
		owner := d.sales[i%3]
		created := d.ago(90-i*3, 11)
		deal := domain.Deal{AccountID: d.accounts[r.account].ID, Title: r.title, OwnerID: owner.ID, Stage: domain.StageProspecting,
			AmountMinor: r.amount * 100, Currency: r.currency, ExpectedCloseDate: day(d.now, r.closeIn), TechnicalStatus: r.tech,
			Description: "Demo deal: " + r.title + " for " + d.accounts[r.account].Name + ".", Version: 1, CreatedAt: created, UpdatedAt: created}
		d.w.create(&deal)
		d.w.event(owner.ID, "created", domain.EntityDeal, deal.ID, &deal.ID, "", deal.Snapshot(d.accounts[r.account].Name, owner.Name, nil).Created(), created, false)
		// Walk the deal to its stage so its timeline shows every change.
		path := stagePath(r.stage)
		step := d.now.Sub(created) / time.Duration(len(path)+1)
		for j, s := range path {
			at := created.Add(time.Duration(j+1) * step).Truncate(time.Minute)
			d.w.event(owner.ID, "updated", domain.EntityDeal, deal.ID, &deal.ID, "stage: "+string(deal.Stage), "stage: "+string(s), at, false)
			deal.SetStage(s, at)
			deal.Version++
			deal.UpdatedAt = at
		}
		d.w.save(&deal)
		d.deals = append(d.deals, deal)
	}
}

// stagePath lists the stages a deal passed through after prospecting to
// reach target; closed deals went through negotiation first.
func stagePath(target domain.Stage) []domain.Stage {
	open := domain.Stages[1:5] // discovery … negotiation
	if target.Closed() {
		return append(append([]domain.Stage{}, open...), target)
	}
	for i, s := range open {
		if s == target {
			return open[:i+1]
		}
	}
	return nil
}

func firstName(full string) string {
	for i, r := range full {
		if r == ' ' {
			return lower(full[:i])
		}
	}
	return lower(full)
}

func lower(s string) string {
	b := []rune(s)
	for i, r := range b {
		if r >= 'A' && r <= 'Z' {
			b[i] = r + 32
		}
	}
	return string(b)
}
