package testenv

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/presale/presale/db"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/service"
	"github.com/presale/presale/internal/store"
)

// Password is every test user's password.
const Password = "correct horse battery"

// World builds an organisation on a real database through the service,
// the same way in every package's tests: people, customers, deals, their
// DevRel and meetings. Svc and Store are over the world's database and
// clock, for arranging and for checking what was written.
type World struct {
	T     testing.TB
	DB    *db.DB
	Svc   *service.Service
	Store *store.Store
	Clock func() time.Time
}

// NewWorld is an empty organisation on d, with a clock that never repeats
// an instant, or the clock given (a test that tells a history sets it).
func NewWorld(t testing.TB, d *db.DB, clock ...func() time.Time) *World {
	w := &World{T: t, DB: d, Store: store.New(d.Write, d.Read), Clock: Clock()}
	if len(clock) > 0 {
		w.Clock = clock[0]
	}
	w.Svc = service.New(w.Store, service.WithClock(w.Clock))
	return w
}

// User adds a person; the e-mail is their name in lower case with dots,
// at example.com, unless email says otherwise.
func (w *World) User(name string, role domain.Role, opts ...func(*service.NewUser)) domain.User {
	w.T.Helper()
	in := service.NewUser{Name: name, Email: strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@example.com", Role: role, Password: Password}
	for _, o := range opts {
		o(&in)
	}
	u, err := w.Svc.People.CreateUser(context.Background(), nil, in)
	if err != nil {
		w.T.Fatal(err)
	}
	return u
}

// Email sets a new user's e-mail.
func Email(e string) func(*service.NewUser) { return func(u *service.NewUser) { u.Email = e } }

// Capacity sets a new DevRel's capacity.
func Capacity(n int) func(*service.NewUser) { return func(u *service.NewUser) { u.Capacity = n } }

// Admin makes a new user an administrator.
func Admin(u *service.NewUser) { u.Admin = true }

// Account adds a customer, created by by, with contacts of these names.
func (w *World) Account(by domain.User, name string, contacts ...string) (domain.Account, []domain.Contact) {
	w.T.Helper()
	ctx := context.Background()
	acc, err := w.Svc.Accounts.CreateAccount(ctx, by, domain.AccountInput{Name: name}, true)
	if err != nil {
		w.T.Fatal(err)
	}
	var cs []domain.Contact
	for _, n := range contacts {
		c, err := w.Svc.Accounts.CreateContact(ctx, by, acc.ID, domain.ContactInput{Name: n})
		if err != nil {
			w.T.Fatal(err)
		}
		cs = append(cs, c)
	}
	return acc, cs
}

// Deal opens a deal owned by owner, in discovery for 1,000 USD unless mods
// say otherwise.
func (w *World) Deal(owner domain.User, accountID int64, title string, mods ...func(*domain.DealInput)) domain.Deal {
	w.T.Helper()
	in := domain.DealInput{Title: title, AccountID: fmt.Sprint(accountID), Stage: "discovery", Amount: "1000", Currency: "USD"}
	for _, m := range mods {
		m(&in)
	}
	d, err := w.Svc.Deals.CreateDeal(context.Background(), owner, in)
	if err != nil {
		w.T.Fatal(err)
	}
	return d
}

// Assign puts a DevRel on a deal's team, as a claimed request would,
// without the request.
func (w *World) Assign(dealID int64, devrel domain.User) {
	w.T.Helper()
	a := domain.Assignment{DealID: dealID, UserID: devrel.ID, Role: domain.AssignmentLead, Active: true, ClaimedAt: w.Clock()}
	if err := w.DB.Write.Create(&a).Error; err != nil {
		w.T.Fatal(err)
	}
	// Written beside the service: its derived state too.
	if err := w.Store.Derived().KeepDerived(context.Background(), []int64{dealID}); err != nil {
		w.T.Fatal(err)
	}
}

// Meeting schedules a meeting inHours from now (a past one is logged as
// held) with these internal attendees.
func (w *World) Meeting(owner domain.User, dealID int64, title string, inHours int, attendees ...domain.User) domain.Meeting {
	w.T.Helper()
	start := w.Clock().Add(time.Duration(inHours) * time.Hour).Truncate(time.Minute)
	in := domain.MeetingInput{Title: title, Type: "demo", StartsAt: start.Format(domain.DateTimeLayout), EndsAt: start.Add(time.Hour).Format(domain.DateTimeLayout),
		AlreadyHeld: inHours < 0}
	for _, u := range attendees {
		in.InternalAttendeeIDs = append(in.InternalAttendeeIDs, fmt.Sprint(u.ID))
	}
	m, err := w.Svc.Meetings.ScheduleMeeting(context.Background(), owner, dealID, in, time.UTC)
	if err != nil {
		w.T.Fatal(err)
	}
	return m
}
