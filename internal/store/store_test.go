package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/presale/presale/db"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/store"
	"github.com/presale/presale/internal/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

func newStore(d *db.DB) *store.Store { return store.New(d.Write, d.Read) }

func user(email string) *domain.User {
	return &domain.User{Name: "Ada", Email: email, Role: domain.RoleDevRel, Active: true, Capacity: 5,
		TimeZone: "UTC", CalendarToken: email}
}

func TestEmailIsUniqueRegardlessOfCase(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := newStore(d)
		if err := s.People().CreateUser(ctx, user("ada@example.com")); err != nil {
			t.Fatal(err)
		}
		dup := user("ADA@example.com")
		dup.CalendarToken = "other"
		if err := s.People().CreateUser(ctx, dup); !errors.Is(err, store.ErrEmailTaken) {
			t.Fatalf("duplicate e-mail: err = %v", err)
		}
		got, err := s.People().UserByEmail(ctx, "Ada@Example.COM")
		if err != nil || got.Email != "ada@example.com" {
			t.Fatalf("lookup by mixed case: %+v, %v", got, err)
		}
		if _, err := s.People().UserByID(ctx, 9999); !errors.Is(err, domain.ErrNotFound) {
			t.Fatalf("missing user: err = %v", err)
		}
	})
}

func TestSessionsRoundTripAndExpire(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		ss := newStore(d).Sessions()
		if err := ss.CommitCtx(ctx, "tok", []byte("one"), time.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := ss.CommitCtx(ctx, "tok", []byte("two"), time.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		b, ok, err := ss.FindCtx(ctx, "tok")
		if err != nil || !ok || string(b) != "two" {
			t.Fatalf("find = %q %v %v", b, ok, err)
		}
		if err := ss.CommitCtx(ctx, "old", []byte("x"), time.Now().Add(-time.Minute)); err != nil {
			t.Fatal(err)
		}
		if _, ok, _ := ss.FindCtx(ctx, "old"); ok {
			t.Fatal("an expired session was found")
		}
		if n, err := ss.DeleteExpired(ctx); err != nil || n != 1 {
			t.Fatalf("DeleteExpired = %d, %v", n, err)
		}
		if err := ss.DeleteCtx(ctx, "tok"); err != nil {
			t.Fatal(err)
		}
		if _, ok, _ := ss.FindCtx(ctx, "tok"); ok {
			t.Fatal("a deleted session was found")
		}
	})
}

func TestTxRollsBackEverything(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := newStore(d)
		boom := errors.New("boom")
		err := s.Tx(ctx, func(tx *store.Store) error {
			u := user("gone@example.com")
			if err := tx.People().CreateUser(ctx, u); err != nil {
				return err
			}
			if err := tx.Events().AppendEvent(ctx, &domain.Event{Action: "created", Entity: "user", EntityID: u.ID, At: time.Now()}); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("err = %v", err)
		}
		if n, _ := s.People().CountUsers(ctx); n != 0 {
			t.Fatalf("%d users after rollback", n)
		}
		if es, _ := s.Events().EventsFor(ctx, "user", 1); len(es) != 0 {
			t.Fatalf("%d events after rollback", len(es))
		}
	})
}

func TestMigrationsAreAppliedOnceAndReady(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if err := d.Migrate(ctx); err != nil {
			t.Fatalf("second migrate: %v", err)
		}
		if err := d.Ready(ctx); err != nil {
			t.Fatalf("ready: %v", err)
		}
		for _, table := range []string{"users", "accounts", "contacts", "deals", "support_requests", "assignments", "meetings",
			"meeting_contacts", "meeting_attendees", "syncs", "offers", "questions", "promises", "events", "notifications", "sessions"} {
			if !d.Read.Migrator().HasTable(table) {
				t.Errorf("table %s missing", table)
			}
		}
	})
}

func TestSQLiteReadPoolIsReadOnly(t *testing.T) {
	d := testenv.Open(t, db.SQLite)
	err := d.Read.Exec("INSERT INTO accounts (name, created_at, updated_at) VALUES ('x', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)").Error
	if err == nil {
		t.Fatal("the read pool accepted a write")
	}
	var mode string
	if err := d.Write.Raw("PRAGMA journal_mode").Scan(&mode).Error; err != nil || mode != "wal" {
		t.Fatalf("journal_mode = %q, %v", mode, err)
	}
	var fk int
	if err := d.Read.Raw("PRAGMA foreign_keys").Scan(&fk).Error; err != nil || fk != 1 {
		t.Fatalf("foreign_keys = %d, %v", fk, err)
	}
}
