package e2e

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// printPDF prints the page as the browser would, on paper of the given
// size in inches, honouring the stylesheet's @page rule.
func printPDF(width, height float64) chromedp.Action[[]byte] {
	return func(ctx context.Context, t *chromedp.Target) ([]byte, error) {
		css := false
		res, err := cdp.Call(ctx, t, page.PrintToPDF, page.PrintToPDFParams{PaperWidth: width, PaperHeight: height, PreferCSSPageSize: &css})
		return res.Data, err
	}
}

// pdfPages reads the page count of the document's page tree.
var pdfPages = regexp.MustCompile(`/Count (\d+)`)

// The brief of a typical deal prints on one sheet of A4 and of Letter.
func TestTheBriefPrintsOnOnePage(t *testing.T) {
	base := demoServer(t)
	ctx := browser(t)
	signIn(t, ctx, base, "sales@demo.test")
	// Commercial negotiation on the Fleet deal: offers in every section,
	// promises, a held meeting before it.
	do(t, ctx, chromedp.Navigate(base+"/meetings/2/brief"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="brief-reserve"]`)))
	for _, paper := range []struct {
		name          string
		width, height float64
	}{{"A4", 8.27, 11.69}, {"Letter", 8.5, 11}} {
		c, cancel := within(ctx)
		pdf, err := chromedp.Run(c, printPDF(paper.width, paper.height))
		cancel()
		if err != nil {
			t.Fatal(err)
		}
		if dir := os.Getenv("PRESALE_E2E_SCREENSHOTS"); dir != "" {
			_ = os.WriteFile(filepath.Join(dir, "brief-"+paper.name+".pdf"), pdf, 0o644)
		}
		if !bytes.HasPrefix(pdf, []byte("%PDF")) {
			t.Fatalf("%s: not a PDF", paper.name)
		}
		if m := pdfPages.FindSubmatch(pdf); m == nil || string(m[1]) != "1" {
			t.Errorf("the brief prints on %q %s pages, want 1", m, paper.name)
		}
	}
}
