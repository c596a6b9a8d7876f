package web_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/presale/presale/db"
	"github.com/presale/presale/db/seed"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/service"
	"github.com/presale/presale/internal/testenv"
)

// The CSV holds the page's figures: parsed back, its rows add up to the
// page's table by salesperson, currency by currency.
func TestCoverageCSVMatchesThePage(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		if _, err := seed.Demo(t.Context(), d.Write, service.HashPassword, time.Now()); err != nil {
			t.Fatal(err)
		}
		a := demoApp(t, d)
		m := a.signInAs(a.byEmail("manager@demo.test"))
		resp, page := m.get("/coverage")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("coverage: %d", resp.StatusCode)
		}
		pageDeals, pageCovered := map[string]int{}, map[string]int{}
		page.Find(`[data-testid="coverage-by-salesperson"] [data-testid="coverage-row"]`).Each(func(_ int, s *goquery.Selection) {
			name := s.AttrOr("data-key", "")
			pageDeals[name], _ = strconv.Atoi(s.Find(`[data-testid="deals"]`).Text())
			pageCovered[name], _ = strconv.Atoi(s.Find(`[data-testid="covered"]`).Text())
		})
		if len(pageDeals) != 3 {
			t.Fatalf("salespeople on the page: %v", pageDeals)
		}

		resp, err := m.c.Get(a.http.URL + "/coverage.csv")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if ct := resp.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" || !strings.Contains(resp.Header.Get("Content-Disposition"), "attachment") {
			t.Fatalf("headers: %s / %s", ct, resp.Header.Get("Content-Disposition"))
		}
		if !bytes.HasPrefix(body, []byte("\uFEFF")) || !bytes.Contains(body, []byte("\r\n")) {
			t.Fatal("not UTF-8 with a BOM and CRLF lines")
		}
		records, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\uFEFF")))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		header := records[0]
		if strings.Join(header[:5], ",") != "salesperson,stage,open_deals,deals_with_devrel,share_with_devrel" {
			t.Fatalf("header %v", header)
		}
		csvDeals, csvCovered := map[string]int{}, map[string]int{}
		seen := map[string]bool{}
		for _, r := range records[1:] {
			key := r[0] + "/" + r[1]
			if seen[key] {
				t.Fatalf("two rows for %s", key)
			}
			seen[key] = true
			n, _ := strconv.Atoi(r[2])
			c, _ := strconv.Atoi(r[3])
			csvDeals[r[0]] += n
			csvCovered[r[0]] += c
			if !slices.ContainsFunc(domain.Stages, func(st domain.Stage) bool { return !st.Closed() && st.Label() == r[1] }) {
				t.Fatalf("row for stage %q, want an open stage's label", r[1])
			}
		}
		if fmt.Sprint(csvDeals) != fmt.Sprint(pageDeals) || fmt.Sprint(csvCovered) != fmt.Sprint(pageCovered) {
			t.Fatalf("CSV %v/%v, page %v/%v", csvDeals, csvCovered, pageDeals, pageCovered)
		}
		// Values as priced (a GBP column) and converted: the converted
		// column adds up to the page's open value in USD, to the cent
		// give or take one per row for rounding.
		column := func(name string) int {
			for i, h := range header {
				if h == name {
					return i
				}
			}
			t.Fatalf("no %s column in %v", name, header)
			return -1
		}
		column("open_value_GBP")
		usd := column("open_value_in_USD")
		var total float64
		for _, r := range records[1:] {
			v, _ := strconv.ParseFloat(r[usd], 64)
			total += v
		}
		// The page writes the figure at a glance (4.4 M USD), the exact
		// amount in its data value and title.
		money := page.Find(`[data-testid="coverage-value"] .money`).Last()
		figure, _ := money.Attr("value")
		onPage, err := domain.ParseAmount(figure)
		if err != nil || math.Abs(float64(onPage)-total*100) > float64(len(records)) {
			t.Fatalf("converted CSV total %.2f, page says %q", total, figure)
		}
		if title, _ := money.Attr("title"); title != domain.FormatAmount(onPage, "USD") || !strings.HasSuffix(money.Text(), " M USD") {
			t.Errorf("the figure reads %q with the title %q, want millions at a glance and %s exact", money.Text(), title, domain.FormatAmount(onPage, "USD"))
		}
		if caveat := page.Find(`[data-testid="coverage-summary"] [data-testid="rate-caveat"]`).Text(); caveat != "" {
			t.Fatalf("the demo has a rate for every currency, yet the page says %q", caveat)
		}

		// Only managers.
		for _, email := range []string{"sales@demo.test", "devrel@demo.test"} {
			c := a.signInAs(a.byEmail(email))
			for _, path := range []string{"/coverage", "/coverage.csv"} {
				if resp, _ := c.get(path); resp.StatusCode != http.StatusForbidden {
					t.Fatalf("%s reads %s: %d", email, path, resp.StatusCode)
				}
			}
		}
	})
}

func TestCoverageFiltersToOneSalesperson(t *testing.T) {
	d := testenv.Open(t, db.SQLite)
	if _, err := seed.Demo(t.Context(), d.Write, service.HashPassword, time.Now()); err != nil {
		t.Fatal(err)
	}
	a := demoApp(t, d)
	m := a.signInAs(a.byEmail("manager@demo.test"))
	sofia := a.byEmail("sales@demo.test")
	_, page := m.get(fmt.Sprint("/coverage?owner=", sofia.ID))
	rows := page.Find(`[data-testid="coverage-by-salesperson"] [data-testid="coverage-row"]`)
	if rows.Length() != 1 || rows.AttrOr("data-key", "") != "Sofia Reyes" {
		t.Fatalf("filtered rows: %d %q", rows.Length(), rows.AttrOr("data-key", ""))
	}
	if page.Find(`[data-testid="trend-row"]`).Length() != 12 {
		t.Fatal("the trend does not have 12 weeks")
	}
	if page.Find(`[data-testid="stage-chart"] desc`).Text() == "" || page.Find(`[data-testid="trend-chart"] title`).Text() == "" {
		t.Fatal("charts lack their text alternatives")
	}
	if resp, _ := m.get("/coverage?from=2026-13-01"); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad date: %d", resp.StatusCode)
	}
}

// Every figure of the coverage review is a link to the list behind it:
// followed, the list holds as many things as the figure says.
func TestCoverageFiguresLeadToTheirLists(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) { coverageFiguresLead(t, d) })
}

func coverageFiguresLead(t *testing.T, d *db.DB) {
	if _, err := seed.Demo(t.Context(), d.Write, service.HashPassword, time.Now()); err != nil {
		t.Fatal(err)
	}
	a := demoApp(t, d)
	m := a.signInAs(a.byEmail("manager@demo.test"))
	// How many things a list holds: the deals list says its count; the
	// board and the review queue are counted by their items.
	listed := func(href string) int {
		_, list := m.get(href)
		switch {
		case strings.HasPrefix(href, "/deals"):
			if list.Find(`[data-testid="empty"]`).Length() == 1 {
				return 0
			}
			n, _ := strconv.Atoi(strings.Fields(list.Find(`[data-testid="deal-totals"] strong`).Text())[0])
			return n
		case strings.HasPrefix(href, "/support"):
			return list.Find(`[data-testid="support-request"]`).Length()
		case strings.HasPrefix(href, "/offers"):
			return list.Find(`[data-testid="review-item"]`).Length()
		case strings.HasPrefix(href, "/meetings"):
			return list.Find(`[data-testid="agenda-meeting"]`).Length()
		case strings.HasPrefix(href, "/promises"):
			return list.Find(`[data-testid="promise-row"]`).Length()
		}
		t.Fatalf("no list counted for %s", href)
		return -1
	}
	// The whole review, then narrowed to one salesperson and to one DevRel:
	// the lists are narrowed alike.
	for _, review := range []string{"/coverage", fmt.Sprint("/coverage?owner=", a.byEmail("sales@demo.test").ID), fmt.Sprint("/coverage?devrel=", a.byEmail("devrel@demo.test").ID)} {
		_, page := m.get(review)
		followFigures(t, m, page, review, listed)
	}
}

// followFigures checks every figure of a coverage page that links to a
// list against what the list holds.
func followFigures(t *testing.T, m *client, page *goquery.Document, review string, listed func(string) int) {
	checked := 0
	// "4 / 5" of the DevRel load: the figure is the load, the list its deals.
	page.Find(`main a[href^="/deals?"], main a[href^="/support?"], main a[href^="/offers/review?"], main a[href^="/meetings?"], main a[href^="/promises?"]`).Each(func(_ int, link *goquery.Selection) {
		figure, err := strconv.Atoi(strings.Fields(link.Text())[0])
		if err != nil {
			return // a name, not a figure
		}
		href, _ := link.Attr("href")
		if strings.Contains(href, "deal_owner=") || strings.Contains(href, "devrel_on=") {
			if _, list := m.get(href); !strings.Contains(list.Find(`[data-testid="narrowed"]`).Text(), "deals") {
				t.Errorf("%s: %s does not say whose deals it lists", review, href)
			}
		}
		if got := listed(href); got != figure {
			t.Errorf("%s: %q links to %s, which lists %d", review, link.Text(), href, got)
		}
		checked++
	})
	if checked < 25 {
		t.Fatalf("%s: only %d figures were links to lists", review, checked)
	}
	t.Logf("%s: %d figures followed to their lists", review, checked)
}
