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
	"github.com/presale/presale/internal/service"
	"github.com/presale/presale/internal/testenv"
	"github.com/presale/presale/web"
	"gorm.io/gorm"
)

// countWrites counts the statements that change the database, whichever
// path they take through GORM.
func countWrites(t *testing.T, g *gorm.DB) *atomic.Int64 {
	t.Helper()
	return countStatements(t, g, func(sql string) bool {
		sql = strings.ToUpper(strings.TrimSpace(sql))
		for _, verb := range []string{"INSERT", "UPDATE", "DELETE", "REPLACE"} {
			if strings.HasPrefix(sql, verb) {
				return true
			}
		}
		return false
	}, "create", "update", "delete", "raw")
}

// countReads counts every statement GORM sends through g's queries.
func countReads(t *testing.T, g *gorm.DB) *atomic.Int64 {
	t.Helper()
	return countStatements(t, g, func(string) bool { return true }, "query", "row", "raw")
}

// countStatements counts the statements of the kinds of GORM callback
// given (create, query, update, delete, row, raw) that keep selects.
func countStatements(t *testing.T, g *gorm.DB, keep func(sql string) bool, kinds ...string) *atomic.Int64 {
	t.Helper()
	var n atomic.Int64
	count := func(tx *gorm.DB) {
		if keep(tx.Statement.SQL.String()) {
			n.Add(1)
		}
	}
	cb := g.Callback()
	for _, kind := range kinds {
		name, after := "test:count_"+kind, "gorm:"+kind
		var err error
		switch kind {
		case "create":
			err = cb.Create().After(after).Register(name, count)
		case "query":
			err = cb.Query().After(after).Register(name, count)
		case "update":
			err = cb.Update().After(after).Register(name, count)
		case "delete":
			err = cb.Delete().After(after).Register(name, count)
		case "row":
			err = cb.Row().After(after).Register(name, count)
		case "raw":
			err = cb.Raw().After(after).Register(name, count)
		}
		if err != nil {
			t.Fatal(kind, err)
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

// Each page reads the database a bounded number of times, whatever the
// data: a query per row (or a second load of what the page has) shows
// here before it shows under load. The budgets are today's counts.
func TestPagesKeepToTheirQueryBudgets(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		clk := &testenv.MovingClock{}
		a := newApp(t, d, web.Config{}, clk.Now)
		acc, _ := a.account("Northwind", "Ana Buyer")
		sales, devrel := a.users[domain.RoleSales], a.users[domain.RoleDevRel]
		deal := a.deal(sales, acc.ID, "Fleet")
		a.assign(deal.ID, devrel)
		m := a.meeting(sales, deal.ID, "Kick-off", 24, sales, devrel)
		for i := range 3 {
			a.meeting(sales, deal.ID, fmt.Sprint("Follow-up ", i), 48+24*i, sales, devrel)
		}
		other := a.deal(sales, acc.ID, "Depot")
		otherMeeting := a.meeting(sales, other.ID, "Depot kick-off", 24, sales, devrel)
		// The salesperson's own changes above are older than the clock
		// margin: the pages kept for them are theirs to use.
		clk.Add(service.ClockMargin)
		reads := countReads(t, d.Read)
		c := a.signedIn(domain.RoleSales)
		c.get("/") // the sign-in's flash is read once
		for _, page := range []struct {
			path   string
			budget int64
		}{
			{fmt.Sprint("/deals/", deal.ID), 19},          // its revision, then the page (with the lists its labels read)
			{fmt.Sprint("/meetings/", m.ID), 16},          // its deal's revision, then the page (with the product areas)
			{fmt.Sprint("/meetings/", m.ID, "/brief"), 8}, // the meeting's part as the meeting page kept it
			// Another deal and meeting: the lists and who may own deals are
			// kept at the directory's revision.
			{fmt.Sprint("/deals/", other.ID), 17},
			{fmt.Sprint("/meetings/", otherMeeting.ID), 15},
			{"/", 10},        // the desk
			{"/meetings", 5}, // the agenda
			{"/deals", 11},   // the pipeline
		} {
			path, budget := page.path, page.budget
			before := reads.Load()
			if resp, _ := c.get(path); resp.StatusCode != http.StatusOK {
				t.Fatalf("%s: %d", path, resp.StatusCode)
			}
			if n := reads.Load() - before; n > budget {
				t.Errorf("%s: %d queries, over its budget of %d", path, n, budget)
			}
		}
		// Unchanged since, each of these pages is the one kept: its deal's
		// revision is read (a read across the organisation is kept for its
		// two seconds), with the session, the person and their unread count
		// (and the pipeline's saved views).
		for path, want := range map[string]int64{fmt.Sprint("/deals/", deal.ID): 4, fmt.Sprint("/meetings/", m.ID): 4, fmt.Sprint("/meetings/", m.ID, "/brief"): 4,
			"/": 3, "/meetings": 3, "/deals": 4} {
			before := reads.Load()
			if resp, _ := c.get(path); resp.StatusCode != http.StatusOK {
				t.Fatalf("%s again: %d", path, resp.StatusCode)
			}
			if n := reads.Load() - before; n != want {
				t.Errorf("%s again, unchanged: %d queries, want %d", path, n, want)
			}
		}
	})
}
