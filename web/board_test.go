package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/presale/presale/db"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/testenv"
	"github.com/presale/presale/web"
)

// The board has a column per open stage with its count; a card moves to
// another stage with the version it was drawn at; a stale board answers
// 409 and shows the deal as it is now; only who may edit the deal moves it.
func TestPipelineBoardMovesDeals(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		a := newApp(t, d, web.Config{})
		acc, _ := a.account("Northwind")
		sales := a.users[domain.RoleSales]
		fleet := a.deal(sales, acc.ID, "Fleet")
		a.deal(sales, acc.ID, "Depot", func(in *domain.DealInput) { in.Stage = "proposal" })
		c := a.signedIn(domain.RoleSales)

		_, board := c.get("/deals/board")
		if n := board.Find(`[data-testid="board-column"]`).Length(); n != 5 {
			t.Fatalf("%d columns, want the 5 open stages", n)
		}
		discovery := board.Find(`[data-testid="board-column"][data-stage="discovery"]`)
		if discovery.Find(".count").Text() != "1" || !strings.Contains(discovery.Find(`[data-testid="board-card"]`).Text(), "Fleet") {
			t.Fatalf("discovery column: %q", discovery.Text())
		}
		if !strings.Contains(discovery.Find(".column-total").Text(), "1,000 USD") {
			t.Fatalf("discovery total: %q", discovery.Find(".column-total").Text())
		}
		path := fmt.Sprint("/deals/", fleet.ID, "/stage")
		if resp, _ := a.signInAs(a.user("Other Sales", domain.RoleSales)).submit(path, url.Values{"stage": {"evaluation"}, "version": {"1"}}); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("another salesperson moved the deal: %d", resp.StatusCode)
		}
		location(t, mustResp(c.submit(path, url.Values{"stage": {"evaluation"}, "version": {"1"}})), http.StatusSeeOther)
		_, board = c.get("/deals/board")
		if board.Find(`[data-stage="evaluation"] [data-testid="board-card"]`).Length() != 1 || board.Find(`[data-stage="discovery"] [data-testid="board-card"]`).Length() != 0 {
			t.Fatal("the card did not move to evaluation")
		}
		// The same board, drawn at version 1, moves it again: refused.
		resp, page := c.submit(path, url.Values{"stage": {"proposal"}, "version": {"1"}})
		if resp.StatusCode != http.StatusConflict || page.Find(`[data-testid="board-notice"]`).Length() != 1 ||
			page.Find(`[data-stage="evaluation"] [data-testid="board-card"]`).Length() != 1 {
			t.Fatalf("a stale move: %d, notice %d", resp.StatusCode, page.Find(`[data-testid="board-notice"]`).Length())
		}
		_, deal := c.get(fmt.Sprint("/deals/", fleet.ID))
		if n := deal.Find(`[data-action="updated"] [data-field="stage"]`).Length(); n != 1 {
			t.Fatalf("%d stage changes on the timeline, want 1", n)
		}
	})
}
