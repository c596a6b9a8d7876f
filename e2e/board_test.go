package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// dragPlan is a card in the first column that has one and a point in the
// next column: where a drag starts and ends.
type dragPlan struct {
	Deal, Title, Stage, To string
	X, Y, TX, TY           float64
}

func planDrag(t *testing.T, ctx context.Context) dragPlan {
	t.Helper()
	p, err := chromedp.Run(ctx, chromedp.Evaluate[dragPlan](`(() => {
		const cols = [...document.querySelectorAll('[data-testid="board-column"]')];
		const i = cols.findIndex(c => c.querySelector('[data-testid="board-card"]'));
		const from = cols[i], to = cols[i + 1];
		const card = from.querySelector('[data-testid="board-card"]');
		const grip = card.querySelector('p.muted').getBoundingClientRect();
		const list = to.querySelector('.cards').getBoundingClientRect();
		return {Deal: card.dataset.deal, Title: card.querySelector('strong').textContent, Stage: from.dataset.stage, To: to.dataset.stage,
			X: grip.left + 10, Y: grip.top + grip.height / 2, TX: list.left + list.width / 2, TY: list.top + 20};
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// A card dragged to the next column moves the deal there: the drop sends
// the card's own stage form with its version.
func TestDragACardToAnotherStage(t *testing.T) {
	base := demoServer(t)
	ctx := browser(t)
	signIn(t, ctx, base, "sales@demo.test")
	do(t, ctx, chromedp.EmulateViewport(1366, 900), chromedp.Navigate(base+"/deals/board"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="board-card"]`)))
	p := planDrag(t, ctx)
	steps := []chromedp.Action[chromedp.Void]{chromedp.MouseEvent(input.DispatchMouseEventTypeMousePressed, p.X, p.Y, chromedp.ButtonLeft)}
	for i := 1; i <= 12; i++ {
		f := float64(i) / 12
		// A hand's pace: on a loaded machine, moves sent back to back can
		// reach SortableJS before it has taken the drag up (CI saw it once).
		steps = append(steps, chromedp.Sleep(25*time.Millisecond),
			chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, p.X+(p.TX-p.X)*f, p.Y+(p.TY-p.Y)*f, chromedp.ButtonLeft))
	}
	steps = append(steps, chromedp.Sleep(50*time.Millisecond))
	steps = append(steps, chromedp.MouseEvent(input.DispatchMouseEventTypeMouseReleased, p.TX, p.TY, chromedp.ButtonLeft))
	do(t, ctx, steps...)
	do(t, ctx, hasText(`#flash-region`, "moved to"))
	got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('[data-testid="board-card"][data-deal="`+p.Deal+`"]').closest('[data-stage]').dataset.stage`))
	if err != nil || got != p.To {
		t.Fatalf("%q dragged from %s to %s is in %q (%v)", p.Title, p.Stage, p.To, got, err)
	}
	screenshot(t, ctx, "board-after-drag")
}

// The same move from the keyboard: Tab to the card's "Move to…", open it,
// and choose the stage.
func TestMoveACardByKeyboard(t *testing.T) {
	base := demoServer(t)
	ctx := browser(t)
	signIn(t, ctx, base, "sales@demo.test")
	do(t, ctx, chromedp.Navigate(base+"/deals/board"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="board-card"]`)))
	p := planDrag(t, ctx)
	card := `[data-testid="board-card"][data-deal="` + p.Deal + `"]`
	do(t, ctx,
		chromedp.Focus(chromedp.CSS(card+` a`)),
		chromedp.KeyEvent(kb.Tab), // to "Move to…"
	)
	focused, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement.textContent.trim()`))
	if focused != "Move to…" {
		t.Fatalf("Tab from the card's link reaches %q, want Move to…", focused)
	}
	do(t, ctx, chromedp.KeyEvent(kb.Enter), chromedp.KeyEvent(kb.Tab))
	label, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement.value`))
	if label == "" {
		t.Fatal("the Move to… menu does not open from the keyboard")
	}
	do(t, ctx, chromedp.KeyEvent(kb.Enter), hasText(`#flash-region`, "moved to"))
	got, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('`+card+`').closest('[data-stage]').dataset.stage`))
	if got != label {
		t.Fatalf("moved by keyboard to %q, the card is in %q", label, got)
	}
}

// "/" goes to the search box; typing lists results by kind as you type.
func TestSearchFromTheHeader(t *testing.T) {
	base := demoServer(t)
	ctx := browser(t)
	signIn(t, ctx, base, "sales@demo.test")
	do(t, ctx, chromedp.KeyEvent("/"))
	if id, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement.id`)); id != "site-search" {
		t.Fatalf("/ focuses %q", id)
	}
	do(t, ctx, chromedp.KeyEvent("north"), chromedp.WaitVisible(chromedp.CSS(`#quick-results [data-testid="search-hit"]`)))
	groups := text(t, ctx, `#quick-results`)
	if !strings.Contains(strings.ToLower(groups), "accounts") || !strings.Contains(groups, "Northwind Logistics · northwind.example") {
		t.Fatalf("results for north: %q", groups)
	}
	screenshot(t, ctx, "search-drop-down")
}
