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

// The preview's mapping step, as a salesperson brings a HubSpot deals
// export in at a phone's width and a desktop's: the file's amounts read
// two ways, so the preview asks how it writes numbers and offers no
// import; "Northwind" looks like the demo's Northwind Logistics, so it
// is chosen, not guessed; Brandneu GmbH is to be created. Choosing both
// lets the two deals import in one pass. The step fits 390 and 1366 px
// and axe finds nothing.
func TestThePreviewAsksForAccountsAndNumberStyleInTheBrowser(t *testing.T) {
	base := demoServer(t)
	ctx := browser(t)
	file := filepath.Join(t.TempDir(), "hubspot-deals.csv")
	if err := os.WriteFile(file, []byte("\uFEFFRecord ID,Deal Name,Associated Company,Deal owner,Deal Stage,Amount,Close Date\r\n"+
		"e2e-1,Fleet telemetry,Northwind,Sofia Reyes,Appointment Scheduled,\"120,000\",15/04/2027\r\n"+
		"e2e-2,Depot sensors,Brandneu GmbH,Sofia Reyes,Contract Sent,\"7,500\",01/05/2027\r\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	signIn(t, ctx, base, "sales@demo.test")
	do(t, ctx,
		chromedp.EmulateViewport(390, 900),
		chromedp.Navigate(base+"/import"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="import-form"]`)),
		chromedp.SetUploadFiles(chromedp.CSS(`#file`), []string{file}),
		chromedp.Click(chromedp.CSS(`[data-testid="import-form"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="account-mapping"]`)),
	)
	if got := text(t, ctx, `[data-testid="style-asks"]`); !strings.Contains(got, "“120,000”") || !strings.Contains(got, "Nothing is imported until then") {
		t.Fatalf("the number style asked: %q", got)
	}
	if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('[data-testid="confirm-form"]').length`)); n != 0 {
		t.Fatal("an import offered before the number style is chosen")
	}
	if got := text(t, ctx, `[data-testid="account-mapping"]`); !strings.Contains(got, "Northwind Logistics (looks alike)") || !strings.Contains(got, "a new account “Brandneu GmbH”") {
		t.Fatalf("accounts to map: %q", got)
	}
	for _, width := range []int64{390, 1366} {
		do(t, ctx, chromedp.EmulateViewport(width, 900), chromedp.ScrollIntoView(chromedp.CSS(`[data-testid="style-mapping"]`)))
		fits(t, ctx, "the preview's mapping step", width)
		screenshot(t, ctx, "import-mapping-"+map[int64]string{390: "390", 1366: "1366"}[width])
	}
	for _, v := range axeViolations(t, ctx) {
		t.Errorf("mapping step: %s (%s) %s at %s", v.ID, v.Impact, v.Help, strings.Join(v.Targets, ", "))
	}
	northwind, err := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelector('#account-0').options].find(o => o.text.startsWith('Northwind Logistics')).value`))
	if err != nil || northwind == "" {
		t.Fatalf("Northwind Logistics among the choices: %q %v", northwind, err)
	}
	do(t, ctx,
		chromedp.EmulateViewport(390, 900),
		chromedp.SetValue(chromedp.CSS(`#numbers`), "1,234.56"),
		chromedp.SetValue(chromedp.CSS(`#account-0`), northwind),
		chromedp.Click(chromedp.CSS(`[data-testid="mapping-form"] button[type="submit"]`)),
		hasText(`[data-testid="import-counts"]`, "2 new deals"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="confirm-form"]`)),
	)
	if got := text(t, ctx, `[data-testid="preview-rows"]`); !strings.Contains(got, "120,000") || !strings.Contains(got, "Brandneu GmbH (new)") || !strings.Contains(got, "2027-04-15") {
		t.Fatalf("the rows as they will be saved: %q", got)
	}
	fits(t, ctx, "the preview once mapped", 390)
	do(t, ctx,
		chromedp.Click(chromedp.CSS(`[data-testid="confirm-form"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="import-done"]`)),
	)
	if got := text(t, ctx, `[data-testid="import-done"]`); !strings.Contains(got, "2 deals created") {
		t.Fatalf("done: %q", got)
	}
}
