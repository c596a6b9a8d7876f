package e2e

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// A salesperson changes the words of their reply to a deal note: Edit
// beside it, the form with what they wrote, Save; back at the notes the
// reply reads the new words, marked edited. At 390, 1366 and 1920 px.
func TestTheAuthorEditsTheirReplyToANote(t *testing.T) {
	w := newActsWorld(t)
	ctx := context.Background()
	if err := w.svc.Deals.AddNote(ctx, w.sales, w.deal.ID, "Their CFO signs above 40k."); err != nil {
		t.Fatal(err)
	}
	var note int64
	w.db.Read.Table("deal_notes").Select("MAX(id)").Scan(&note)
	if _, err := w.svc.Deals.CommentOnNote(ctx, w.sales, note, "Pilot first, then the CFO."); err != nil {
		t.Fatal(err)
	}
	b := browser(t)
	signIn(t, b, w.base, "sales@demo.test")
	reply := `[data-testid="deal-notes"] [data-testid="comment"]`
	for _, width := range widths {
		words := fmt.Sprintf("Pilot first (%d px), then the CFO in January.", width)
		do(t, b, chromedp.EmulateViewport(width, 900), chromedp.Navigate(fmt.Sprint(w.base, "/deals/", w.deal.ID)),
			chromedp.WaitVisible(chromedp.CSS(reply+` [data-testid="edit-comment"]`)),
			chromedp.Click(chromedp.CSS(reply+` [data-testid="edit-comment"]`)),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid="comment-edit-form"] textarea`)))
		fits(t, b, "the comment's edit form", width)
		for _, v := range axeViolations(t, b) {
			t.Errorf("the edit form at %d px: %s (%s) %s at %s", width, v.ID, v.Impact, v.Help, strings.Join(v.Targets, ", "))
		}
		screenshot(t, b, fmt.Sprint("comment-edit-", width))
		do(t, b, chromedp.SetValue(chromedp.CSS(`[data-testid="comment-edit-form"] textarea`), words),
			chromedp.Click(chromedp.CSS(`[data-testid="save-comment"]`)),
			hasText(`[data-testid="flash"]`, "Comment saved."),
			hasText(reply, words))
		if got := text(t, b, reply+` [data-testid="comment-edited"]`); got != "edited" {
			t.Fatalf("at %d px the reply is marked %q", width, got)
		}
		fits(t, b, "the notes after an edit", width)
		if os.Getenv("PRESALE_E2E_SCREENSHOTS") != "" {
			png, err := chromedp.Run(b, chromedp.Screenshot(chromedp.CSS(`[data-testid="deal-notes"]`)))
			if err != nil {
				t.Fatal(err)
			}
			keep(t, fmt.Sprint("comment-edited-", width), png)
		}
	}
}
