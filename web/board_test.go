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

// A stage move, from the board or the deal page, comes back where it was
// made, at the card moved, with an Undo that puts the deal back in its
// stage; a move that closes the deal (freeing its DevRel) has none.
func TestAStageMoveCanBeUndone(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		a := newApp(t, d, web.Config{})
		acc, _ := a.account("Northwind")
		sales := a.users[domain.RoleSales]
		fleet := a.deal(sales, acc.ID, "Fleet")
		c := a.signedIn(domain.RoleSales)
		path := fmt.Sprint("/deals/", fleet.ID, "/stage")
		stage := func() string {
			_, page := c.get(fmt.Sprint("/deals/", fleet.ID))
			return strings.TrimSpace(page.Find(`[data-testid="deal-stage"]`).Text())
		}

		_, board := c.get("/deals/board?devrel=without")
		if next, _ := board.Find(`[data-deal="` + fmt.Sprint(fleet.ID) + `"] input[name="next"]`).Attr("value"); next != "/deals/board?devrel=without" {
			t.Fatalf("the card's move returns to %q", next)
		}
		loc := location(t, mustResp(c.submit(path, url.Values{"stage": {"negotiation"}, "version": {"1"}, "next": {"/deals/board?devrel=without"}})), http.StatusSeeOther)
		if loc != fmt.Sprint("/deals/board?devrel=without#card-", fleet.ID) {
			t.Fatalf("a move from the board returns to %q", loc)
		}
		_, board = c.get("/deals/board?devrel=without")
		if !strings.Contains(board.Find(`[data-testid="flash"]`).Text(), "moved to Negotiation") || board.Find(`[data-testid="undo"]`).Length() != 1 ||
			board.Find(fmt.Sprint("#card-", fleet.ID)).Length() != 1 {
			t.Fatalf("after a move the board says %q", board.Find(`[data-testid="flash"]`).Text())
		}
		location(t, mustResp(c.submit("/undo", url.Values{"next": {"/deals/board"}})), http.StatusSeeOther)
		if got := stage(); got != "Discovery" {
			t.Fatalf("after undoing the move the deal is in %q", got)
		}

		// From the deal page, back to it.
		_, page := c.get(fmt.Sprint("/deals/", fleet.ID))
		version, _ := page.Find(`[data-testid="move-to"] input[name="version"]`).Attr("value")
		loc = location(t, mustResp(c.submit(path, url.Values{"stage": {"proposal"}, "version": {version}, "next": {fmt.Sprint("/deals/", fleet.ID)}})), http.StatusSeeOther)
		if !strings.HasPrefix(loc, fmt.Sprint("/deals/", fleet.ID, "#")) {
			t.Fatalf("a move from the deal page returns to %q", loc)
		}
		if _, page = c.get(fmt.Sprint("/deals/", fleet.ID)); page.Find(`[data-testid="undo"]`).Length() != 1 {
			t.Fatal("no Undo after a move on the deal page")
		}
		location(t, mustResp(c.submit("/undo", nil)), http.StatusSeeOther)
		if got := stage(); got != "Discovery" {
			t.Fatalf("after undoing the move from the deal page the deal is in %q", got)
		}

		_, page = c.get(fmt.Sprint("/deals/", fleet.ID))
		version, _ = page.Find(`[data-testid="move-to"] input[name="version"]`).Attr("value")
		location(t, mustResp(c.submit(path, url.Values{"stage": {"closed_won"}, "version": {version}})), http.StatusSeeOther)
		if _, board = c.get("/deals/board"); board.Find(`[data-testid="undo"]`).Length() != 0 {
			t.Fatal("closing a deal offers an Undo that would not give its DevRel back")
		}
	})
}
