package jobs_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/presale/presale/db"
	"github.com/presale/presale/db/seed"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/service"
	"github.com/presale/presale/internal/testenv"
)

// The e-mail a demo day brings each role, with everyone choosing every
// kind and the digest: the demo organisation, its morning digests, then
// one pre-sale engagement's day through the service (a deal opened,
// support asked and claimed, a meeting, two ideas proposed and decided,
// the sync recorded and confirmed, a question and a promise answered).
// It prints the count per role, and fails when someone would get more
// than one e-mail an hour of the working day.
func TestTheEmailADemoDayBrings(t *testing.T) {
	ctx := context.Background()
	d := testenv.Open(t, db.SQLite)
	day := time.Date(2026, 11, 30, 7, 0, 0, 0, time.UTC) // a Monday, before 8:00 in the demo's zones
	_, err := seed.Demo(ctx, d.Write, service.HashPassword, day)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	now := day
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); now = now.Add(time.Millisecond); return now }
	at := func(h, m int) { mu.Lock(); defer mu.Unlock(); now = time.Date(2026, 11, 30, h, m, 0, 0, time.UTC) }
	b, url := smtpServer(t)
	w := testenv.NewWorld(t, d, clock)

	var everyone []domain.User
	if err := d.Read.Where("active").Order("id").Find(&everyone).Error; err != nil {
		t.Fatal(err)
	}
	kinds := make([]string, len(domain.NotificationKinds))
	for i, k := range domain.NotificationKinds {
		kinds[i] = k.Code
	}
	role := map[string]string{}
	for i, u := range everyone {
		if everyone[i], err = w.Svc.People.SetEmailPrefs(ctx, u, domain.EmailPrefs{Kinds: kinds, Digest: true}); err != nil {
			t.Fatal(err)
		}
		role[u.Email] = u.Role.Label()
	}
	// The queue starts once everyone has chosen: its first reminder sweep
	// (a request past its date, a meeting soon and not in sync) is mailed.
	svc := mailQueue(t, w, url, true)
	user := func(email string) domain.User {
		for _, u := range everyone {
			if u.Email == email {
				return u
			}
		}
		t.Fatalf("no demo user %s", email)
		return domain.User{}
	}
	sales, devrel := user("sales@demo.test"), user("devrel@demo.test")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}

	at(9, 0) // the digests: 9:00 UTC is morning in every demo zone
	digests, err := svc.Deliveries.QueueDigests(ctx)
	must(err)
	_, err = svc.Deliveries.SweepReminders(ctx) // as the 5-minute sweep would
	must(err)
	at(9, 30)
	var acc domain.Account
	must(d.Read.Where("name = ?", "Northwind Logistics").First(&acc).Error)
	deal, err := svc.Deals.CreateDeal(ctx, sales, domain.DealInput{Title: "Warehouse robotics", AccountID: fmt.Sprint(acc.ID), OwnerID: fmt.Sprint(sales.ID),
		Stage: string(domain.StageDiscovery), Currency: "USD", Amount: "48000"})
	must(err)
	r, err := svc.Support.RequestSupport(ctx, sales, deal.ID, domain.SupportInput{Kind: string(domain.SupportDemo), Details: "Live demo for the ops team"})
	must(err)
	at(10, 0)
	_, err = svc.Support.ClaimSupport(ctx, devrel, r.ID)
	must(err)
	at(10, 30)
	m := w.Meeting(sales, deal.ID, "Robotics demo", 4, sales, devrel)
	at(11, 0)
	cleared, err := svc.Offers.ProposeOffer(ctx, devrel, deal.ID, domain.OfferProposal{Title: "Pilot in one warehouse", Kind: string(domain.OfferPOC)}, true)
	must(err)
	held, err := svc.Offers.ProposeOffer(ctx, devrel, deal.ID, domain.OfferProposal{Title: "Second site at cost", Kind: "idea"}, true)
	must(err)
	at(11, 30)
	_, _, err = svc.Offers.MoveOffer(ctx, sales, cleared.ID, domain.OfferClear, domain.OfferInput{})
	must(err)
	_, _, err = svc.Offers.MoveOffer(ctx, sales, held.ID, domain.OfferHold, domain.OfferInput{Trigger: "If they ask for a second site"})
	must(err)
	at(12, 0)
	_, err = svc.Meetings.SaveSync(ctx, sales, m.ID, 0, domain.SyncInput{Notes: "Lead with the pilot", MayRaise: "Pilot in one warehouse", Avoid: "Pricing"})
	must(err)
	_, err = svc.Meetings.ConfirmSync(ctx, devrel, m.ID)
	must(err)
	at(15, 30)
	q, err := svc.Meetings.RaiseQuestion(ctx, sales, m.ID, domain.QuestionInput{Category: string(domain.QuestionSecurity), Text: "Do the robots need internet access?"})
	must(err)
	_, err = svc.Meetings.AnswerQuestion(ctx, devrel, q.ID, "No: they run on the site network.", nil)
	must(err)
	p, err := svc.Offers.RecordPromise(ctx, sales, deal.ID, domain.PromiseInput{Text: "Pilot report within two weeks", Kind: string(domain.PromiseServices)})
	must(err)
	at(16, 0)
	_, err = svc.Offers.ReviewPromise(ctx, devrel, p.ID, domain.FeasibilityFeasible, "We have done it before.", nil)
	must(err)

	// Let the queue send it all: no job left to run.
	until(t, "the queue to empty", func() bool {
		var left int64
		err := d.Read.Table("river_job").Where("state NOT IN ?", []string{"completed", "discarded", "cancelled"}).Count(&left).Error
		return err == nil && left == 0
	})

	type tally struct{ people, notices, digests, most int }
	byRole := map[string]*tally{}
	perPerson := map[string]int{}
	for _, msg := range b.all() {
		to := msg.Header.Get("To")
		email := to[strings.IndexByte(to, '<')+1 : strings.IndexByte(to, '>')]
		r := byRole[role[email]]
		if r == nil {
			r = &tally{}
			byRole[role[email]] = r
		}
		if strings.HasPrefix(msg.Header.Get("Subject"), "presale: your day") {
			r.digests++
		} else {
			r.notices++
		}
		perPerson[email]++
	}
	for _, u := range everyone {
		r := byRole[u.Role.Label()]
		if r == nil {
			r = &tally{}
			byRole[u.Role.Label()] = r
		}
		r.people++
		r.most = max(r.most, perPerson[u.Email])
	}
	roles := make([]string, 0, len(byRole))
	for r := range byRole {
		roles = append(roles, r)
	}
	sort.Strings(roles)
	t.Logf("%d digests queued at 9:00; %d e-mails in all", digests, len(b.all()))
	fmt.Printf("E-mail a demo day brings, everyone choosing every kind and the digest (%d e-mails):\n", len(b.all()))
	for _, r := range roles {
		x := byRole[r]
		fmt.Printf("  %-8s (%d): %2d digests, %2d notifications; at most %d for one person\n", r, x.people, x.digests, x.notices, x.most)
		if x.most > 9 { // 9:00 to 18:00: more than one an hour is noise
			t.Errorf("someone in %s gets %d e-mails in a day", r, x.most)
		}
	}
	for _, u := range everyone {
		fmt.Printf("    %-20s %-8s %d\n", u.Email, u.Role.Label(), perPerson[u.Email])
	}
	for _, who := range []string{sales.Email, devrel.Email} {
		if perPerson[who] < 2 {
			t.Errorf("%s gets %d e-mails on a day of their own engagement", who, perPerson[who])
		}
	}
}
