package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// A manager brings deals in through the browser at a phone's width: picks
// the file, maps the stage presale does not know, reads the preview (the
// failing row says both its faults), leaves that row out and confirms;
// the deal is then in the pipeline. The pages fit the screen at 390 and 1366 px.
func TestManagerImportsDealsInTheBrowser(t *testing.T) {
	base := demoServer(t)
	ctx := browser(t)
	file := filepath.Join(t.TempDir(), "pipedrive-deals.csv")
	if err := os.WriteFile(file, []byte("Deal Name;Account Name;Stage;Amount;Close Date\n"+
		"Route optimiser;Northwind Logistics;Technical win;64000;2027-05-31\n"+
		"Drone survey;Kestrel Aerospace;Prospecting;12,5.0;31.06.2027\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	signIn(t, ctx, base, "manager@demo.test")
	for _, width := range []int64{390, 1366} {
		do(t, ctx, chromedp.EmulateViewport(width, 900), chromedp.Navigate(base+"/import"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="import-form"]`)))
		fits(t, ctx, "/import", width)
	}
	do(t, ctx,
		chromedp.Click(chromedp.CSS(`[data-testid="nav"] a[href="/import"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="import-form"]`)),
		chromedp.SetValue(chromedp.CSS(`#kind`), "deals"),
		chromedp.SetUploadFiles(chromedp.CSS(`#file`), []string{file}),
		chromedp.Click(chromedp.CSS(`[data-testid="import-form"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="stage-mapping"]`)),
	)
	if got := text(t, ctx, `[data-testid="stage-mapping"]`); !strings.Contains(got, "Technical win") {
		t.Fatalf("stage to map: %q", got)
	}
	do(t, ctx,
		chromedp.SetValue(chromedp.CSS(`#stage-0`), "evaluation"),
		chromedp.Click(chromedp.CSS(`[data-testid="mapping-form"] button[type="submit"]`)),
		hasText(`[data-testid="import-counts"]`, "1 new deal"),
	)
	if got := text(t, ctx, `[data-testid="failing-rows"]`); !strings.Contains(got, "3") || !strings.Contains(got, "not an amount") || !strings.Contains(got, "not a date") {
		t.Fatalf("failing rows: %q", got)
	}
	if got := text(t, ctx, `[data-testid="preview-rows"]`); !strings.Contains(got, "Route optimiser") || !strings.Contains(got, "Evaluation") {
		t.Fatalf("preview: %q", got)
	}
	for _, width := range []int64{390, 1366} {
		do(t, ctx, chromedp.EmulateViewport(width, 900))
		fits(t, ctx, "an upload's preview", width)
		screenshot(t, ctx, "import-preview-"+map[int64]string{390: "390", 1366: "1366"}[width])
	}
	for _, v := range axeViolations(t, ctx) {
		t.Errorf("preview: %s (%s) %s at %s", v.ID, v.Impact, v.Help, strings.Join(v.Targets, ", "))
	}
	do(t, ctx,
		chromedp.Click(chromedp.CSS(`[data-testid="confirm-form"] input[name="skip_failing"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid="confirm-form"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="import-done"]`)),
	)
	if got := text(t, ctx, `[data-testid="import-done"]`); !strings.Contains(got, "1 deal created") {
		t.Fatalf("done: %q", got)
	}
	do(t, ctx,
		chromedp.Navigate(base+"/deals?q=Route+optimiser"),
		hasText(`[data-testid="deals"]`, "Route optimiser"),
	)
}
