package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/presale/presale/db"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/testenv"
	"github.com/presale/presale/web"
	"gorm.io/gorm"
)

// countWrites counts the statements that change the database, whichever
// path they take through GORM.
func countWrites(t *testing.T, g *gorm.DB) *atomic.Int64 {
	t.Helper()
	var n atomic.Int64
	count := func(tx *gorm.DB) {
		sql := strings.ToUpper(strings.TrimSpace(tx.Statement.SQL.String()))
		for _, verb := range []string{"INSERT", "UPDATE", "DELETE", "REPLACE"} {
			if strings.HasPrefix(sql, verb) {
				n.Add(1)
			}
		}
	}
	cb := g.Callback()
	for name, err := range map[string]error{
		"create": cb.Create().After("gorm:create").Register("test:count_create", count),
		"update": cb.Update().After("gorm:update").Register("test:count_update", count),
		"delete": cb.Delete().After("gorm:delete").Register("test:count_delete", count),
		"raw":    cb.Raw().After("gorm:raw").Register("test:count_raw", count),
	} {
		if err != nil {
			t.Fatal(name, err)
		}
	}
	return &n
}

// A signed-in GET writes nothing: not the session (its idle expiry is
// refreshed every few minutes at most), not anything else. The session
// still ends after hours of idleness.
func TestSignedInGetsWriteNothing(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		clock := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
		now := func() time.Time { return clock }
		a := newApp(t, d, web.Config{}, now)
		acc, _ := a.account("Northwind", "Ana Buyer")
		sales := a.users[domain.RoleSales]
		deal := a.deal(sales, acc.ID, "Fleet")
		m := a.meeting(sales, deal.ID, "Kick-off", 24)
		writes := countWrites(t, d.Write)
		for _, role := range []domain.Role{domain.RoleSales, domain.RoleDevRel, domain.RoleManager} {
			c := a.signedIn(role)
			c.get("/") // the sign-in's flash, if any, is read once
			before := writes.Load()
			for _, p := range []string{"/", "/deals", "/deals/board", fmt.Sprint("/deals/", deal.ID), fmt.Sprint("/meetings/", m.ID),
				fmt.Sprint("/meetings/", m.ID, "/brief"), "/meetings", "/support", "/promises", "/search?q=north", "/coverage", "/notifications"} {
				resp, _ := c.get(p)
				if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusForbidden {
					t.Fatalf("%s as %s: %d", p, role, resp.StatusCode)
				}
			}
			if n := writes.Load() - before; n != 0 {
				t.Errorf("%s: %d writes for 12 page views", role, n)
			}
			// Minutes later, one write records that the session is in use.
			clock = clock.Add(6 * time.Minute)
			before = writes.Load()
			c.get("/")
			c.get("/deals")
			if n := writes.Load() - before; n != 1 {
				t.Errorf("%s: %d writes after six idle minutes, want 1", role, n)
			}
			// Hours idle: signed out.
			clock = clock.Add(5 * time.Hour)
			if resp, _ := c.get("/deals"); resp.StatusCode != http.StatusSeeOther {
				t.Errorf("%s: a session idle for five hours still serves (%d)", role, resp.StatusCode)
			}
		}
	})
}
