package e2e

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/presale/presale/internal/domain"
)

// A next step is changed from its own form and comes back to the deal's
// next steps saved; deleted, it leaves them, and Undo puts it back. The
// form and the deal page fit the screen and pass axe. At 390, 1366 and 1920 px.
func TestANextStepIsEditedDeletedAndUndone(t *testing.T) {
	w := newActsWorld(t)
	b := browser(t)
	signIn(t, b, w.base, "sales@demo.test")
	dealPage := fmt.Sprint(w.base, "/deals/", w.deal.ID)
	for _, width := range widths {
		title := fmt.Sprint("Send the security questionnaire ", width)
		task, err := w.svc.Deals.AddTask(context.Background(), w.sales, w.deal.ID, domain.TaskInput{Title: title, DueOn: time.Now().AddDate(0, 0, 3).Format(time.DateOnly)})
		if err != nil {
			t.Fatal(err)
		}
		step := fmt.Sprintf(`[data-testid="task"]:has(a[href^="/tasks/%d/edit"])`, task.ID)
		do(t, b, chromedp.EmulateViewport(width, 900), chromedp.Navigate(dealPage), chromedp.WaitVisible(chromedp.CSS(step)))
		fits(t, b, "the deal's next steps", width)
		do(t, b, chromedp.Click(chromedp.CSS(step+` [data-testid="task-edit"]`)), chromedp.WaitVisible(chromedp.CSS(`[data-testid="task-edit-form"]`)))
		fits(t, b, "the next step's form", width)
		if vs := axeViolations(t, b); len(vs) > 0 {
			t.Errorf("at %d px the next step's form: %+v", width, vs)
		}
		screenshot(t, b, fmt.Sprint("task-edit-", width))
		edited := fmt.Sprint("Send the signed questionnaire ", width)
		do(t, b, chromedp.SetValue(chromedp.CSS(`#task-title`), edited),
			chromedp.Click(chromedp.CSS(`[data-testid="task-edit-form"] button[type="submit"]`)),
			hasText(`[data-testid="flash"]`, "“"+edited+"” saved."),
			hasText(step, edited))

		do(t, b, chromedp.Click(chromedp.CSS(step+` [data-testid="task-delete"]`)),
			hasText(`[data-testid="flash"]`, "“"+edited+"” deleted."),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid="undo"]`)))
		if n, _ := chromedp.Run(b, chromedp.Evaluate[int](fmt.Sprintf(`document.querySelectorAll('%s').length`, step))); n != 0 {
			t.Fatalf("at %d px the deleted step is still on the deal page", width)
		}
		fits(t, b, "the deal page after a delete", width)
		if vs := axeViolations(t, b); len(vs) > 0 {
			t.Errorf("at %d px the deal page with Undo: %+v", width, vs)
		}
		screenshot(t, b, fmt.Sprint("task-deleted-", width))
		do(t, b, chromedp.Click(chromedp.CSS(`[data-testid="undo"]`)), hasText(`[data-testid="flash"]`, "Undone"),
			hasText(step, edited))
		fits(t, b, "the deal page after an undo", width)
		screenshot(t, b, fmt.Sprint("task-restored-", width))
	}
}
