package service_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/presale/presale/db"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
	"github.com/presale/presale/internal/service"
	"github.com/presale/presale/internal/store"
	"github.com/presale/presale/internal/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

func newService(d *db.DB) *service.Service { return service.New(store.New(d.Write, d.Read)) }

func TestCreateUserWritesItsEventInTheSameTransaction(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		svc := newService(d)
		u, err := svc.People.CreateUser(ctx, nil, service.NewUser{Name: "Ada Lovelace", Email: " Ada@Example.com ", Role: domain.RoleDevRel, Password: "correct horse battery"})
		if err != nil {
			t.Fatal(err)
		}
		if u.Email != "ada@example.com" || u.Capacity != domain.DefaultCapacity || u.CalendarToken == "" {
			t.Fatalf("user = %+v", u)
		}
		if !strings.HasPrefix(u.PasswordHash, "$argon2id$v=19$m=19456,t=2,p=1$") {
			t.Fatalf("hash = %q", u.PasswordHash)
		}
		events, err := store.New(d.Write, d.Read).Events().EventsFor(ctx, "user", u.ID)
		if err != nil || len(events) != 1 || events[0].Action != "created" {
			t.Fatalf("events = %+v, %v", events, err)
		}
		// A refused duplicate writes neither the user nor an event.
		_, err = svc.People.CreateUser(ctx, nil, service.NewUser{Name: "Other", Email: "ADA@example.com", Role: domain.RoleSales, Password: "correct horse battery"})
		var v domain.ValidationErrors
		if !errors.As(err, &v) || v["email"] == "" {
			t.Fatalf("duplicate: err = %v", err)
		}
		if n, _ := store.New(d.Write, d.Read).People().CountUsers(ctx); n != 1 {
			t.Fatalf("%d users", n)
		}
	})
}

func TestCreateUserValidates(t *testing.T) {
	d := testenv.Open(t, db.SQLite)
	_, err := newService(d).People.CreateUser(context.Background(), nil, service.NewUser{Name: " ", Email: "nope", Role: "boss", Password: "short"})
	var v domain.ValidationErrors
	if !errors.As(err, &v) {
		t.Fatalf("err = %v", err)
	}
	for _, f := range []string{"name", "email", "role", "password"} {
		if v[f] == "" {
			t.Errorf("no message for %s", f)
		}
	}
}

func TestOnlyAdminsCreateUsersInTheApp(t *testing.T) {
	d := testenv.Open(t, db.SQLite)
	sales := domain.User{ID: 1, Role: domain.RoleManager, Active: true}
	_, err := newService(d).People.CreateUser(context.Background(), &sales, service.NewUser{Name: "X", Email: "x@example.com", Role: domain.RoleSales, Password: "correct horse battery"})
	if !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("err = %v", err)
	}
}

func TestAuthenticate(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		svc := newService(d)
		if _, err := svc.People.CreateUser(ctx, nil, service.NewUser{Name: "Sam", Email: "sam@example.com", Role: domain.RoleSales, Password: "correct horse battery"}); err != nil {
			t.Fatal(err)
		}
		if u, err := svc.People.Authenticate(ctx, "SAM@example.com", "correct horse battery"); err != nil || u.Name != "Sam" {
			t.Fatalf("good sign-in: %+v, %v", u, err)
		}
		for _, c := range []struct{ email, pw string }{
			{"sam@example.com", "wrong horse battery"},
			{"nobody@example.com", "correct horse battery"},
			{"", ""},
		} {
			if _, err := svc.People.Authenticate(ctx, c.email, c.pw); !errors.Is(err, domain.ErrUnauthorized) {
				t.Errorf("%q/%q: err = %v", c.email, c.pw, err)
			}
		}
	})
}

func TestPasswordHashRoundTrip(t *testing.T) {
	h, err := service.HashPassword("s3cret-passphrase")
	if err != nil {
		t.Fatal(err)
	}
	h2, _ := service.HashPassword("s3cret-passphrase")
	if h == h2 {
		t.Fatal("two hashes of one password are equal: the salt is not random")
	}
	if ok, err := service.VerifyPassword(h, "s3cret-passphrase"); !ok || err != nil {
		t.Fatalf("verify good: %v %v", ok, err)
	}
	if ok, _ := service.VerifyPassword(h, "s3cret-passphrasE"); ok {
		t.Fatal("a wrong password verified")
	}
	if _, err := service.VerifyPassword("$2a$10$bcrypt", "x"); err == nil {
		t.Fatal("a non-argon2id hash was accepted")
	}
}

func storePage() read.Page { return read.Page{Number: 1, Size: 50} }
