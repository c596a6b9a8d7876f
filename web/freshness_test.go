package web_test

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/presale/presale/db"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/service"
	"github.com/presale/presale/internal/store"
	"github.com/presale/presale/internal/testenv"
	"github.com/presale/presale/web"
)

// The freshness contract (docs/PRODUCT.md), on two instances sharing one
// database: a salesperson adds a deal on A; on B, their own pipeline
// shows it at once; a manager's may be the one B kept, saying "as of",
// and shows it once OrganisationLag has passed; the deal's own page is
// exact for everyone at once.
func TestFreshnessOnTwoInstances(t *testing.T) {
	testenv.ForEachEngineTwice(t, func(t *testing.T, d1, d2 *db.DB) {
		clk := &testenv.MovingClock{}
		// A kept read is kept within its minute too: start well inside
		// one, so the lag is the only thing that ends it (under a loaded
		// CI run the minute turned mid-test now and then).
		if left := time.Minute - clk.Now().Sub(clk.Now().Truncate(time.Minute)); left < 20*time.Second {
			clk.Add(left + time.Second)
		}
		a := newApp(t, d1, web.Config{}, clk.Now)
		st2 := store.New(d2.Write, d2.Read)
		b := httptest.NewServer(web.New(web.Config{}, service.New(st2, service.WithClock(clk.Now)), st2.Sessions(), d2.Ready, nil))
		t.Cleanup(b.Close)
		acc, _ := a.account("Northwind")
		seller, manager := a.signedIn(domain.RoleSales), a.signedIn(domain.RoleManager)
		seller.token()
		onB := func(c *client) *client { cc := *c; cc.base = b.URL; return &cc }
		const list = "/deals?sort=title"
		shows := func(c *client, path, what string) (bool, string) {
			t.Helper()
			_, page := onB(c).get(path)
			return strings.Contains(page.Find("main").Text(), what), strings.TrimSpace(page.Find(`[data-testid="as-of"]`).Text())
		}
		// Both read the list on B: B keeps it.
		for _, c := range []*client{seller, manager} {
			if ok, _ := shows(c, list, "Fleet streaming"); ok {
				t.Fatal("the deal is listed before it was added")
			}
		}
		clk.Add(service.OrganisationLag * 3 / 4)
		loc := location(t, mustResp(seller.submit("/deals", dealForm(acc.ID))), 303)

		// Another person's view may lag (B kept it), and says how old it is.
		if ok, asOf := shows(manager, list, "Fleet streaming"); ok || !strings.HasPrefix(asOf, "as of ") {
			t.Errorf("the manager's list on B: listed %v, %q; want the kept list, saying 'as of'", ok, asOf)
		}
		// My own change, at once, on the other instance.
		if ok, _ := shows(seller, list, "Fleet streaming"); !ok {
			t.Error("the seller's own new deal is missing from their list on B")
		}
		// A page about one thing is exact for everyone at once.
		if ok, _ := shows(manager, loc, "Fleet streaming"); !ok {
			t.Error("the deal's page on B does not show it")
		}
		// Within the lag, for everyone.
		clk.Add(service.OrganisationLag)
		if ok, asOf := shows(manager, list, "Fleet streaming"); !ok || asOf != "" {
			t.Errorf("after %s the manager's list on B still lags (listed %v, %q)", service.OrganisationLag, ok, asOf)
		}
	})
}
