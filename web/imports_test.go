package web_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/presale/presale/db"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/testenv"
	"github.com/presale/presale/web"
)

// upload posts a file as the import form does.
func (c *client) upload(kind, name string, content []byte) (*http.Response, *goquery.Document) {
	c.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	_ = w.WriteField("_csrf", c.token())
	_ = w.WriteField("kind", kind)
	part, _ := w.CreateFormFile("file", name)
	_, _ = part.Write(content)
	_ = w.Close()
	resp, err := c.c.Post(c.base+"/import", w.FormDataContentType(), &body)
	if err != nil {
		c.t.Fatal(err)
	}
	return resp, doc(c.t, resp)
}

// count is how many rows a table holds.
func count(t *testing.T, d *db.DB, table string) int64 {
	t.Helper()
	var n int64
	if err := d.Read.Table(table).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// mappingForm is the mapping form as the page draws it, with changes.
func mappingForm(page *goquery.Document, set url.Values) url.Values {
	form := url.Values{}
	page.Find(`[data-testid="mapping-form"] select, [data-testid="mapping-form"] input[type="hidden"]`).Each(func(_ int, s *goquery.Selection) {
		name := s.AttrOr("name", "")
		if name == "_csrf" {
			return
		}
		v := s.AttrOr("value", "")
		if goquery.NodeName(s) == "select" {
			v = s.Find("option[selected]").AttrOr("value", "")
		}
		form.Add(name, v)
	})
	for k, vs := range set {
		form[k] = vs
	}
	return form
}

// A manager imports a HubSpot-shaped deals file through the page: the
// columns it does not know are mapped in the form (kept for the next
// file), the stage and owner it does not know too; the preview lists
// the first rows as they will be saved and every failing row with its
// line and why; nothing is written until the confirm, which leaves the
// failing rows out only when asked; the same file again creates nothing.
func TestImportThroughThePage(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		a := newApp(t, d, web.Config{})
		m := a.signInAs(a.users[domain.RoleManager])
		_, page := m.get("/import")
		if page.Find(`[data-testid="no-imports"]`).Length() != 1 || page.Find(`[data-testid="nav"] a[href="/import"]`).Length() != 1 {
			t.Fatal("the import page: empty state and a place in the manager's navigation")
		}
		for r, opens := range map[domain.Role]int{domain.RoleSales: http.StatusOK, domain.RoleDevRel: http.StatusForbidden} {
			c := a.signedIn(r)
			if resp, _ := c.get("/import"); resp.StatusCode != opens {
				t.Errorf("%s opens /import: %d", r, resp.StatusCode)
			}
			if resp, _ := c.upload("accounts", "a.csv", []byte("Account Name\nX\n")); resp.StatusCode != http.StatusForbidden {
				t.Errorf("%s uploads accounts: %d", r, resp.StatusCode)
			}
		}

		// Files that cannot be read: the form again, with why and the kind kept.
		for what, content := range map[string]string{"a workbook": "PK\x03\x04\x00\x00binary", "no rows": "Account Name\n"} {
			if resp, page := m.upload("accounts", "x.csv", []byte(content)); resp.StatusCode != http.StatusUnprocessableEntity || fieldError(page, "file") == "" {
				t.Errorf("%s: %d %q", what, resp.StatusCode, fieldError(page, "file"))
			}
		}
		resp, page := m.upload("deals", "broken.csv", []byte("Deal Name,Amount\n\"Fleet,12\n"))
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(fieldError(page, "file"), "line") || value(page, "kind") != "deals" {
			t.Fatalf("broken file: %d %q kind %q", resp.StatusCode, fieldError(page, "file"), value(page, "kind"))
		}

		// Accounts first (Salesforce's columns, a byte-order mark).
		resp, _ = m.upload("accounts", "accounts.csv", []byte("\uFEFFAccount ID,Account Name,Website,Industry\n001A,Northwind Logistics,northwind.example,Logistics\n001B,Helios Energy,helios.example,Energy\n"))
		link := location(t, resp, http.StatusSeeOther)
		_, page = m.get(link)
		if got := page.Find(`[data-testid="preview-row"]`).Length(); got != 2 || count(t, d, "accounts") != 0 {
			t.Fatalf("accounts preview: %d rows, %d accounts written", got, count(t, d, "accounts"))
		}
		version := page.Find(`[data-testid="confirm-form"] input[name="version"]`).AttrOr("value", "")
		resp, _ = m.submit(link+"/confirm", url.Values{"version": {version}})
		if location(t, resp, http.StatusSeeOther) != link || count(t, d, "accounts") != 2 {
			t.Fatalf("accounts import: %d accounts", count(t, d, "accounts"))
		}

		// Deals: "Headline" is the title, in a column presale does not know.
		owner := a.users[domain.RoleSales]
		file := "Record ID,Headline,Associated Company,Deal owner,Deal Stage,Amount,Close Date,Region\n" +
			"hs-1,Fleet telemetry,Northwind Logistics," + owner.Name + ",appointmentscheduled,12000,2027-03-31,EMEA\n" +
			"hs-2,Grid analytics,Helios Energy,Jane Elsewhere,Won (verbal),5000,2027-04-30,NA\n" +
			"hs-3,Risk engine,Helios Energy," + owner.Name + ",contractsent,\"9.000,5.0\",2027-05-01,EMEA\n" +
			"hs-4,\"=HYPERLINK(\"\"http://evil.example\"\")\",Nobody Inc," + owner.Name + ",closedwon,100,2027-02-30,APAC\n" +
			"hs-5,Store sensors,Northwind Logistics," + owner.Name + ",Pilot,300,31/02/2027,NA\n"
		resp, _ = m.upload("deals", "hubspot-deals.csv", []byte(file))
		link = location(t, resp, http.StatusSeeOther)
		_, page = m.get(link)
		if value(page, "column_title") != "" || value(page, "column_account") != "2" || !strings.Contains(page.Find(`[data-testid="unused-columns"]`).Text(), "Headline") {
			t.Fatalf("recognised columns: title %q account %q unused %q", value(page, "column_title"), value(page, "column_account"), page.Find(`[data-testid="unused-columns"]`).Text())
		}
		for _, want := range []string{"Won (verbal)", "Pilot"} {
			if !strings.Contains(page.Find(`[data-testid="stage-mapping"]`).Text(), want) {
				t.Errorf("stage %q not offered for mapping", want)
			}
		}
		if !strings.Contains(page.Find(`[data-testid="owner-mapping"]`).Text(), "Jane Elsewhere") {
			t.Error("unknown owner not offered for mapping")
		}
		// Without the title the mapping is refused, with the choices kept.
		resp, page = m.submit(link, mappingForm(page, url.Values{"currency": {"EUR"}, "owner": {"99999"}}))
		if resp.StatusCode != http.StatusUnprocessableEntity || fieldError(page, "column_title") == "" || fieldError(page, "owners") == "" || value(page, "currency") != "EUR" {
			t.Fatalf("mapping without a title, to nobody: %d %q %q currency %q", resp.StatusCode, fieldError(page, "column_title"), fieldError(page, "owners"), value(page, "currency"))
		}
		form := mappingForm(page, url.Values{"column_title": {"1"}, "currency": {"EUR"}, "remember": {"1"},
			"stage": {"closed_won", "evaluation"}, "owner": {strconv.FormatInt(a.users[domain.RoleManager].ID, 10)}})
		if got := form["stage_name"]; len(got) != 2 || got[0] != "Won (verbal)" || got[1] != "Pilot" {
			t.Fatalf("stage names in the form: %q", got)
		}
		if resp, page = m.submit(link, form); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("mapping: %d %q", resp.StatusCode, page.Find(".field-error, .errors").Text())
		}
		_, page = m.get(link)
		rows := page.Find(`[data-testid="preview-row"]`)
		if rows.Length() != 2 || !strings.Contains(rows.Eq(1).Text(), "Closed won") || !strings.Contains(rows.Eq(1).Text(), a.users[domain.RoleManager].Name) ||
			!strings.Contains(rows.Eq(0).Text(), "EUR") {
			t.Fatalf("preview rows: %q", rows.Text())
		}
		failing := map[string]string{}
		page.Find(`[data-testid="failing-row"]`).Each(func(_ int, s *goquery.Selection) {
			failing[strings.TrimSpace(s.Find("td").First().Text())] = s.Find("td").Last().Text()
		})
		for line, why := range map[string]string{"4": "not an amount", "5": "not a date", "6": "not a date"} {
			if !strings.Contains(failing[line], why) {
				t.Errorf("failing line %s: %q, want %q", line, failing[line], why)
			}
		}
		if len(failing) != 3 || count(t, d, "deals") != 0 {
			t.Fatalf("failing rows %v; %d deals written before the confirm", failing, count(t, d, "deals"))
		}
		// The failing rows as a file to fix, safe to open in a spreadsheet.
		resp, err := m.c.Get(m.base + link + "/failing.csv")
		if err != nil {
			t.Fatal(err)
		}
		var csvBody bytes.Buffer
		_, _ = csvBody.ReadFrom(resp.Body)
		resp.Body.Close()
		if !strings.Contains(csvBody.String(), "presale line,presale problem,Record ID,Headline") || !strings.Contains(csvBody.String(), `"'=HYPERLINK(`) ||
			strings.Count(csvBody.String(), "\r\n") != 4 {
			t.Fatalf("failing rows file:\n%s", csvBody.String())
		}

		version = page.Find(`[data-testid="confirm-form"] input[name="version"]`).AttrOr("value", "")
		resp, page = m.submit(link+"/confirm", url.Values{"version": {version}})
		if resp.StatusCode != http.StatusConflict || page.Find(`[data-testid="confirm-problem"]`).Length() != 1 || count(t, d, "deals") != 0 {
			t.Fatalf("confirm with failing rows: %d, %d deals", resp.StatusCode, count(t, d, "deals"))
		}
		resp, _ = m.submit(link+"/confirm", url.Values{"version": {version}, "skip_failing": {"1"}})
		location(t, resp, http.StatusSeeOther)
		_, page = m.get(link)
		if count(t, d, "deals") != 2 || !strings.Contains(page.Find(`[data-testid="import-done"]`).Text(), "2 deals created") ||
			!strings.Contains(page.Find(`[role="status"]`).Text(), "3 failing rows were left out") {
			t.Fatalf("after the confirm: %d deals; %q", count(t, d, "deals"), page.Find("main").Text())
		}
		if resp, _ := m.submit(link+"/confirm", url.Values{"version": {version}, "skip_failing": {"1"}}); resp.StatusCode != http.StatusConflict || count(t, d, "deals") != 2 {
			t.Fatalf("a second confirm: %d, %d deals", resp.StatusCode, count(t, d, "deals"))
		}
		var events int64
		d.Read.Table("events").Where("entity = ? AND action = ? AND after_summary LIKE ?", domain.EntityDeal, "created", "%CSV import%").Count(&events)
		if events != 2 {
			t.Errorf("%d created events saying CSV import, want 2", events)
		}

		// The same file again: the kept mapping is chosen, nothing is new.
		resp, _ = m.upload("deals", "hubspot-deals.csv", []byte(file))
		again := location(t, resp, http.StatusSeeOther)
		_, page = m.get(again)
		if value(page, "column_title") != "1" || value(page, "currency") != "EUR" || page.Find(`[data-testid="confirm-form"]`).Length() != 0 ||
			!strings.Contains(page.Find(`[data-testid="import-counts"]`).Text(), "2 in presale already") {
			t.Fatalf("again: title %q currency %q counts %q", value(page, "column_title"), value(page, "currency"), page.Find(`[data-testid="import-counts"]`).Text())
		}
		resp, _ = m.submit(again+"/discard", nil)
		location(t, resp, http.StatusSeeOther)
		if resp, _ := m.get(again); resp.StatusCode != http.StatusNotFound {
			t.Fatalf("a discarded upload: %d", resp.StatusCode)
		}
		_, page = m.get("/import")
		if got := page.Find(`[data-testid="import-row"]`).Length(); got != 2 {
			t.Fatalf("%d imports listed, want 2", got)
		}
		// The kept mappings are listed as people read them, and forgotten.
		kept := page.Find(`[data-testid="kept-row"]`).Text()
		for _, want := range []string{"“Headline”", "Title", "“Won (verbal)”", "Closed won", "“Jane Elsewhere”", a.users[domain.RoleManager].Name, "EUR"} {
			if !strings.Contains(kept, want) {
				t.Errorf("kept mappings lack %q: %q", want, kept)
			}
		}
		resp, _ = m.submit("/import/mappings/deals/forget", nil)
		location(t, resp, http.StatusSeeOther)
		if _, page = m.get("/import"); page.Find(`[data-testid="kept-mappings"]`).Length() != 0 ||
			!strings.Contains(page.Find(`[role="status"]`).Text(), "Forgot 5 kept deal mappings") {
			t.Fatalf("after forgetting: %q", page.Find("main").Text())
		}
		if resp, _ := m.submit("/import/mappings/nonsense/forget", nil); resp.StatusCode != http.StatusNotFound {
			t.Errorf("forgetting an unknown kind: %d", resp.StatusCode)
		}
	})
}

// A file over 20 MB is refused with words, not a 500, and a body over
// the form's limit before it is read.
func TestImportRefusesLargeFiles(t *testing.T) {
	a := newApp(t, testenv.Open(t, db.SQLite), web.Config{})
	m := a.signInAs(a.users[domain.RoleManager])
	big := append([]byte("Account Name\n"), bytes.Repeat([]byte("Northwind Logistics\n"), (20<<20)/20+10)...)
	resp, page := m.upload("accounts", "big.csv", big)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(fieldError(page, "file"), "20 MB") {
		t.Fatalf("a 20 MB file: %d %q", resp.StatusCode, fieldError(page, "file"))
	}
	resp, _ = m.upload("accounts", "bigger.csv", bytes.Repeat([]byte("x"), 22<<20))
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("a 22 MB body: %d", resp.StatusCode)
	}
	if resp, _ := m.submit("/deals", url.Values{"title": {strings.Repeat("x", 3<<20)}}); resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("a 3 MB form elsewhere: %d", resp.StatusCode)
	}
}

// Two instances sharing one database confirm the same upload at once:
// one imports, the other is told it was confirmed already, and every
// deal exists once.
func TestImportConfirmedTwiceAtOnce(t *testing.T) {
	testenv.ForEachEngineTwice(t, func(t *testing.T, d1, d2 *db.DB) {
		a, b := newApp(t, d1, web.Config{}), demoApp(t, d2)
		b.password = password
		m := a.signInAs(a.users[domain.RoleManager])
		n := b.signInAs(a.users[domain.RoleManager])
		a.account("Northwind Logistics")
		var file strings.Builder
		file.WriteString("Deal Name,Account Name,Amount\n")
		for i := range 200 {
			file.WriteString("Deal " + strconv.Itoa(i) + ",Northwind Logistics," + strconv.Itoa(1000+i) + "\n")
		}
		resp, _ := m.upload("deals", "deals.csv", []byte(file.String()))
		link := location(t, resp, http.StatusSeeOther)
		_, page := n.get(link)
		version := page.Find(`[data-testid="confirm-form"] input[name="version"]`).AttrOr("value", "")
		if failing := page.Find(`[data-testid="failing-row"]`); failing.Length() > 0 {
			t.Fatalf("failing rows: %s", failing.Text())
		}
		codes := make([]int, 2)
		var wg sync.WaitGroup
		for i, c := range []*client{m, n} {
			wg.Go(func() {
				resp, _ := c.submit(link+"/confirm", url.Values{"version": {version}})
				codes[i] = resp.StatusCode
			})
		}
		wg.Wait()
		ok := (codes[0] == http.StatusSeeOther) != (codes[1] == http.StatusSeeOther)
		if !ok || codes[0]+codes[1] != http.StatusSeeOther+http.StatusConflict || count(t, d1, "deals") != 200 {
			t.Fatalf("two confirms: %v, %d deals", codes, count(t, d1, "deals"))
		}
	})
}

// A file's name as a browser may send it (a folder, a byte that is not
// UTF-8) is kept as a name PostgreSQL takes and a page can show.
func TestImportKeepsAnyFileName(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		a := newApp(t, d, web.Config{})
		m := a.signInAs(a.users[domain.RoleManager])
		resp, _ := m.upload("accounts", "C:\\exports\\caf\xe9 list.csv", []byte("Account Name\nNorthwind\n"))
		link := location(t, resp, http.StatusSeeOther)
		_, page := m.get(link)
		if got := page.Find("h1").Text(); got != "caf\uFFFD list.csv" {
			t.Fatalf("the name kept: %q", got)
		}
	})
}
