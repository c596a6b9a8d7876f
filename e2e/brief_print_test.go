package e2e

import (
	"bytes"
	"compress/zlib"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
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

// printAsPrinter prints on the printer's paper, letting the stylesheet
// choose a size if it insists on one.
func printAsPrinter(width, height float64) chromedp.Action[[]byte] {
	return func(ctx context.Context, t *chromedp.Target) ([]byte, error) {
		css := true
		res, err := cdp.Call(ctx, t, page.PrintToPDF, page.PrintToPDFParams{PaperWidth: width, PaperHeight: height, PreferCSSPageSize: &css})
		return res.Data, err
	}
}

var mediaBox = regexp.MustCompile(`/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]`)

// A brief whose agenda runs longer than a page starts on the first page
// (nothing keeps a long block whole, which would leave page one nearly
// empty), and it prints on Letter when the printer holds Letter.
func TestALongBriefFillsItsFirstPage(t *testing.T) {
	ctx := longBrief(t)
	c, cancel := within(ctx)
	defer cancel()
	pdf, err := chromedp.Run(c, printAsPrinter(8.5, 11))
	if err != nil {
		t.Fatal(err)
	}
	if dir := os.Getenv("PRESALE_E2E_SCREENSHOTS"); dir != "" {
		_ = os.WriteFile(filepath.Join(dir, "brief-long-Letter.pdf"), pdf, 0o644)
	}
	if m := mediaBox.FindSubmatch(pdf); m == nil || string(m[1]) != "612" || string(m[2]) != "792" {
		t.Fatalf("printed on %q, not the printer's Letter paper", m)
	}
	// Text drawn per page: a first page holding only the header would
	// have a small share of the text of a full one.
	perPage := pdfTextRuns(t, pdf)
	t.Logf("long brief on Letter: text runs per page %v", perPage)
	if len(perPage) < 2 {
		t.Fatalf("a page and a half of agenda printed on %d page(s)", len(perPage))
	}
	if full := slices.Max(perPage); perPage[0] < full/2 {
		t.Errorf("the first page is nearly empty: %d text runs against %d on a full page", perPage[0], full)
	}
}

// longBrief opens, as the salesperson, the brief of meeting 2 with its
// agenda grown to about a page and a half.
func longBrief(t *testing.T) context.Context {
	t.Helper()
	base, d := demoServerDB(t)
	var agenda strings.Builder
	for i := range 70 {
		fmt.Fprintf(&agenda, "%02d. Walk through the rollout step %d with their platform team and note every question.\n", i+1, i+1)
	}
	if err := d.Write.Exec("UPDATE meetings SET agenda = ? WHERE id = 2", agenda.String()).Error; err != nil {
		t.Fatal(err)
	}
	ctx := browser(t)
	signIn(t, ctx, base, "sales@demo.test")
	do(t, ctx, chromedp.Navigate(base+"/meetings/2/brief"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="brief-reserve"]`)))
	return ctx
}

// pdfTextRuns counts the text-showing operators (Tj, TJ) in each page's
// content stream, in page order. Chromium writes one compressed content
// stream per page, in order.
func pdfTextRuns(t *testing.T, pdf []byte) []int {
	t.Helper()
	streams := regexp.MustCompile(`(?s)<<([^>]*?/FlateDecode[^>]*?)>>\s*stream\r?\n`).FindAllSubmatchIndex(pdf, -1)
	var runs []int
	for _, m := range streams {
		dict := string(pdf[m[2]:m[3]])
		if strings.Contains(dict, "/Subtype") || strings.Contains(dict, "/Length1") || strings.Contains(dict, "/Type") {
			continue // an image, a font or an object stream, not page content
		}
		end := bytes.Index(pdf[m[1]:], []byte("endstream"))
		r, err := zlib.NewReader(bytes.NewReader(pdf[m[1] : m[1]+end]))
		if err != nil {
			continue
		}
		body, _ := io.ReadAll(r)
		if n := len(regexp.MustCompile(`(?m)(Tj|TJ)\s*$`).FindAll(body, -1)); n > 0 {
			runs = append(runs, n)
		}
	}
	return runs
}

// pdfPageTexts reads the text drawn on each page of a PDF printed by
// Chromium: each page's content stream (in page order) has its glyphs
// shown as hex codes, which the fonts' ToUnicode maps turn back into
// letters. A page's glyphs are read through every font's map, so the
// words of each font come out whole in one of the readings; spaces are
// dropped (a space may be a move rather than a glyph).
func pdfPageTexts(t *testing.T, pdf []byte) [][]string {
	t.Helper()
	var cmaps []map[string]string
	var pages [][]string
	hex := regexp.MustCompile(`<([0-9A-Fa-f]+)>`)
	for _, m := range regexp.MustCompile(`stream\r?\n`).FindAllIndex(pdf, -1) {
		end := bytes.Index(pdf[m[1]:], []byte("endstream"))
		if end < 0 {
			continue
		}
		r, err := zlib.NewReader(bytes.NewReader(pdf[m[1] : m[1]+end]))
		if err != nil {
			continue
		}
		body, _ := io.ReadAll(r)
		switch {
		case bytes.Contains(body, []byte("begincmap")):
			cmaps = append(cmaps, toUnicode(body))
		case regexp.MustCompile(`(?m)(Tj|TJ)\s*$`).Match(body):
			var glyphs []string
			for _, h := range hex.FindAllSubmatch(body, -1) {
				for i := 0; i+4 <= len(h[1]); i += 4 {
					glyphs = append(glyphs, strings.ToUpper(string(h[1][i:i+4])))
				}
			}
			pages = append(pages, glyphs)
		}
	}
	out := make([][]string, len(pages))
	for i, glyphs := range pages {
		for _, cm := range cmaps {
			var b strings.Builder
			for _, g := range glyphs {
				b.WriteString(cm[g])
			}
			out[i] = append(out[i], strings.Join(strings.Fields(b.String()), ""))
		}
	}
	return out
}

// toUnicode reads a ToUnicode CMap's bfchar and bfrange entries.
func toUnicode(cmap []byte) map[string]string {
	out := map[string]string{}
	utf16 := func(h string) string {
		var rs []rune
		for i := 0; i+4 <= len(h); i += 4 {
			var v int
			fmt.Sscanf(h[i:i+4], "%04x", &v)
			rs = append(rs, rune(v))
		}
		return string(rs)
	}
	for _, block := range regexp.MustCompile(`(?s)beginbfchar(.*?)endbfchar`).FindAllSubmatch(cmap, -1) {
		for _, e := range regexp.MustCompile(`<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>`).FindAllSubmatch(block[1], -1) {
			out[strings.ToUpper(string(e[1]))] = utf16(string(e[2]))
		}
	}
	for _, block := range regexp.MustCompile(`(?s)beginbfrange(.*?)endbfrange`).FindAllSubmatch(cmap, -1) {
		for _, e := range regexp.MustCompile(`<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>`).FindAllSubmatch(block[1], -1) {
			var lo, hi, to int
			fmt.Sscanf(string(e[1]), "%x", &lo)
			fmt.Sscanf(string(e[2]), "%x", &hi)
			fmt.Sscanf(string(e[3]), "%x", &to)
			for g := lo; g <= hi; g++ {
				out[fmt.Sprintf("%04X", g)] = string(rune(to + g - lo))
			}
		}
	}
	return out
}

// Every printed page of a brief, two pages long here, says in its margin
// that it is internal: the brief lists the reserve, what to avoid and the
// declined ideas. On A4 and Letter.
func TestEveryPrintedPageOfTheBriefSaysItIsInternal(t *testing.T) {
	ctx := longBrief(t)
	if got := text(t, ctx, `[data-testid="brief-internal"]`); got != "Internal — not for the customer" {
		t.Errorf("on screen the brief is marked %q", got)
	}
	const mark = "Internal—notforthecustomer"
	for _, paper := range []struct {
		name          string
		width, height float64
	}{{"A4", 8.27, 11.69}, {"Letter", 8.5, 11}} {
		c, cancel := within(ctx)
		pdf, err := chromedp.Run(c, printAsPrinter(paper.width, paper.height))
		cancel()
		if err != nil {
			t.Fatal(err)
		}
		if dir := os.Getenv("PRESALE_E2E_SCREENSHOTS"); dir != "" {
			_ = os.WriteFile(filepath.Join(dir, "brief-marked-"+paper.name+".pdf"), pdf, 0o644)
		}
		pages := pdfPageTexts(t, pdf)
		if len(pages) < 2 {
			t.Fatalf("%s: the long brief printed on %d page(s), want 2 or more", paper.name, len(pages))
		}
		for i, readings := range pages {
			marked, agendaSeen := 0, false
			for _, r := range readings {
				marked = max(marked, strings.Count(r, mark))
				agendaSeen = agendaSeen || strings.Contains(r, "Walkthroughtherolloutstep")
			}
			if i == 0 && !agendaSeen {
				t.Fatalf("%s: the first page's agenda could not be read (%d fonts): the check would read nothing", paper.name, len(readings))
			}
			if marked != 1 {
				t.Errorf("%s page %d says %q %d times, want once", paper.name, i+1, "Internal — not for the customer", marked)
			}
		}
	}
}
