package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/text/encoding/charmap"

	"github.com/presale/presale/db"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/testenv"
	"github.com/presale/presale/web"
)

// The exports, as HubSpot and Salesforce write them: a byte-order
// mark or Windows-1252 bytes, CRLF line ends, a quoted field across
// lines, "120,000" and "15/04/2027", owners named as people, companies
// presale does not have yet.
var (
	hubspotExport = "\uFEFF" + strings.ReplaceAll(`Record ID,Deal Name,Deal Stage,Amount,Close Date,Deal owner,Associated Company,Deal Description,Pipeline
hs-101,Fleet telemetry,Appointment Scheduled,"120,000",15/04/2027,John Smith,Northwind,,Sales Pipeline
hs-102,Depot sensors,Contract Sent,"125,000.00",01/05/2027,John Smith,Brandneu GmbH,"Two depots first,
then the fleet",Sales Pipeline
hs-103,Cold chain,Closed Won,"$9,500",30/06/2027,Jane Roe,Café Müller,,Sales Pipeline
hs-104,Espresso fleet,Qualified To Buy,"EUR 1,200.50",2027-07-31,"Smith, John",Café Müller,,Sales Pipeline
`, "\n", "\r\n")
	salesforceExport = strings.ReplaceAll(`Opportunity Owner,Account Name,Opportunity Name,Stage,Amount,Opportunity Currency,Probability (%),Close Date,Next Step
John Smith,Müller Maschinenbau AG,Pressen-Linie,Prospecting,"120,000",EUR,10,15/04/2027,"Call Jürgen
about the budget"
John Smith,Northwind Logistics,Route planning,Proposal/Price Quote,"7,500",EUR,60,03/05/2027,
Jürgen Weiß,Müller Maschinenbau AG,Wartung,Negotiation/Review,"48,000",EUR,80,30/06/2027,
`, "\n", "\r\n")
)

func windows1252(t *testing.T, s string) []byte {
	t.Helper()
	b, err := charmap.Windows1252.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// setMapping sets, in a mapping form, what the file's name becomes: the
// value beside that name (names and values are repeated fields).
func setMapping(t *testing.T, form url.Values, names, values, name, value string) {
	t.Helper()
	for i, n := range form[names] {
		if n == name && i < len(form[values]) {
			form[values][i] = value
			return
		}
	}
	t.Fatalf("%q is not among the %s of the form: %q", name, names, form[names])
}

// selected is the value a select of the mapping form holds, by its id.
func selected(page *goquery.Document, id string) string {
	return page.Find("#"+id+" option[selected]").AttrOr("value", "")
}

// mappingSelect is the id of the select beside a name in the mapping form.
func mappingSelect(page *goquery.Document, hidden, name string) string {
	id := ""
	page.Find(`[data-testid="mapping-form"] input[name="` + hidden + `"]`).EachWithBreak(func(_ int, s *goquery.Selection) bool {
		if s.AttrOr("value", "") == name {
			id = s.Next().Find("select").AttrOr("id", "")
			return false
		}
		return true
	})
	return id
}

// dealsByTitle reads the imported deals as saved.
func dealsByTitle(t *testing.T, d *db.DB) map[string]domain.Deal {
	t.Helper()
	var ds []domain.Deal
	if err := d.Read.Find(&ds).Error; err != nil {
		t.Fatal(err)
	}
	out := map[string]domain.Deal{}
	for _, deal := range ds {
		out[deal.Title] = deal
	}
	return out
}

// A HubSpot and a Salesforce deals export each import every row in one
// pass through the pages, once the preview's mappings are chosen: the
// preview lists the companies presale lacks (a look-alike of one it has
// is chosen, not guessed), the owner it does not know, and how the file
// writes numbers and dates (guessed from the file, or asked when the file
// reads two ways: then nothing imports until chosen); nothing is written
// before the confirm; the confirm creates the accounts and the deals with
// their amounts, currencies and dates right; the same files again create
// nothing.
func TestADealsExportImportsInOnePass(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		a := newApp(t, d, web.Config{})
		manager := a.users[domain.RoleManager]
		m := a.signInAs(manager)
		john := a.user("John Smith", domain.RoleSales)
		jurgen := a.user("Jürgen Weiß", domain.RoleSales)
		northwind, _ := a.account("Northwind Logistics") // as an accounts import brought it

		// HubSpot: UTF-8 with a byte-order mark.
		resp, _ := m.upload("deals", "hubspot-deals.csv", []byte(hubspotExport))
		link := location(t, resp, http.StatusSeeOther)
		_, page := m.get(link)
		accounts := page.Find(`[data-testid="account-mapping"]`)
		for _, name := range []string{"Northwind", "Brandneu GmbH", "Café Müller"} {
			if mappingSelect(page, "account_name", name) == "" {
				t.Errorf("the unknown account %q is not offered for mapping: %q", name, accounts.Text())
			}
		}
		nw := mappingSelect(page, "account_name", "Northwind")
		if selected(page, nw) != "" || !strings.Contains(page.Find("#"+nw).Text(), "Northwind Logistics (looks alike)") ||
			selected(page, mappingSelect(page, "account_name", "Brandneu GmbH")) != domain.NewAccountChoice {
			t.Fatalf("a look-alike is chosen, not guessed; a new name is created: %q %q", selected(page, nw), page.Find("#"+nw).Text())
		}
		if owners := mappingForm(page, nil)["owner_name"]; len(owners) != 1 || owners[0] != "Jane Roe" {
			t.Errorf("owners to map: %q (John Smith is matched by name, also as “Smith, John”)", owners)
		}
		styles := page.Find(`[data-testid="style-mapping"]`)
		if value(page, "numbers") != string(domain.NumbersDotDecimal) || value(page, "dates") != string(domain.DatesDayFirst) ||
			!strings.Contains(styles.Text(), "“125,000.00”") || !strings.Contains(styles.Text(), "“15/04/2027”") || page.Find(`[data-testid="style-asks"]`).Length() != 0 {
			t.Fatalf("styles guessed from the file, and said from what: numbers %q dates %q %q", value(page, "numbers"), value(page, "dates"), styles.Text())
		}
		if count(t, d, "deals") != 0 || count(t, d, "accounts") != 1 {
			t.Fatalf("before the confirm: %d deals, %d accounts", count(t, d, "deals"), count(t, d, "accounts"))
		}
		form := mappingForm(page, url.Values{"currency": {"EUR"}})
		setMapping(t, form, "account_name", "account", "Northwind", strconv.FormatInt(northwind.ID, 10))
		setMapping(t, form, "owner_name", "owner", "Jane Roe", strconv.FormatInt(manager.ID, 10))
		if resp, page = m.submit(link, form); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("mapping: %d %q", resp.StatusCode, page.Find(".field-error, .errors").Text())
		}
		_, page = m.get(link)
		if failing := page.Find(`[data-testid="failing-row"]`); failing.Length() != 0 {
			t.Fatalf("failing rows once mapped: %q", failing.Text())
		}
		if got := page.Find(`[data-testid="confirm-form"] button`).Text(); !strings.Contains(got, "Import 4 deals") || !strings.Contains(got, "create 2 accounts") {
			t.Fatalf("the confirm says %q", got)
		}
		version := page.Find(`[data-testid="confirm-form"] input[name="version"]`).AttrOr("value", "")
		resp, _ = m.submit(link+"/confirm", url.Values{"version": {version}})
		location(t, resp, http.StatusSeeOther)
		deals := dealsByTitle(t, d)
		var brandneu, cafe domain.Account
		d.Read.Where("name = ?", "Brandneu GmbH").First(&brandneu)
		d.Read.Where("name = ?", "Café Müller").First(&cafe)
		for title, want := range map[string]struct {
			account, owner int64
			minor          int64
			currency, date string
			stage          domain.Stage
		}{
			"Fleet telemetry": {northwind.ID, john.ID, 12000000, "EUR", "2027-04-15", domain.StageDiscovery},
			"Depot sensors":   {brandneu.ID, john.ID, 12500000, "EUR", "2027-05-01", domain.StageNegotiation},
			"Cold chain":      {cafe.ID, manager.ID, 950000, "USD", "2027-06-30", domain.StageClosedWon},
			"Espresso fleet":  {cafe.ID, john.ID, 120050, "EUR", "2027-07-31", domain.StageDiscovery},
		} {
			got := deals[title]
			if got.ID == 0 || got.AccountID != want.account || got.OwnerID != want.owner || got.AmountMinor != want.minor || got.Currency != want.currency ||
				got.ExpectedCloseDate == nil || got.ExpectedCloseDate.Format(domain.DateLayout) != want.date || got.Stage != want.stage {
				t.Errorf("%s as saved: %+v, want %+v", title, got, want)
			}
		}
		if brandneu.ID == 0 || cafe.ID == 0 || count(t, d, "accounts") != 3 || !strings.Contains(deals["Depot sensors"].Description, "first,\nthen") {
			t.Fatalf("accounts created once each: %d accounts; description %q", count(t, d, "accounts"), deals["Depot sensors"].Description)
		}

		// Salesforce: Windows-1252; its amounts read two ways.
		resp, _ = m.upload("deals", "salesforce-opportunities.csv", windows1252(t, salesforceExport))
		link = location(t, resp, http.StatusSeeOther)
		_, page = m.get(link)
		if page.Find(`[data-testid="style-asks"]`).Length() != 1 || value(page, "numbers") != "" || page.Find(`[data-testid="confirm-form"]`).Length() != 0 ||
			!strings.Contains(page.Find(`[data-testid="confirm-asks"]`).Text(), "nothing is imported") {
			t.Fatalf("an amount that reads two ways is asked, and nothing imports: numbers %q %q", value(page, "numbers"), page.Find(`[data-testid="import-confirm"]`).Text())
		}
		if why := page.Find(`[data-testid="failing-rows"]`).Text(); !strings.Contains(why, "“120,000” reads as 120000 written as 1,234.56") {
			t.Errorf("the row says how it reads: %q", why)
		}
		if got := value(page, "dates"); got != string(domain.DatesDayFirst) || mappingSelect(page, "account_name", "Müller Maschinenbau AG") == "" ||
			page.Find(`[data-testid="owner-mapping"]`).Length() != 0 {
			t.Fatalf("dates %q; Müller Maschinenbau to create; Jürgen Weiß known: %q", got, page.Find(`[data-testid="mapping-form"]`).Text())
		}
		version = page.Find(`[data-testid="mapping-form"] input[name="version"]`).AttrOr("value", "")
		if resp, _ := m.submit(link+"/confirm", url.Values{"version": {version}, "skip_failing": {"1"}}); resp.StatusCode != http.StatusConflict || count(t, d, "deals") != 4 {
			t.Fatalf("a confirm before the style is chosen: %d, %d deals", resp.StatusCode, count(t, d, "deals"))
		}
		if resp, page = m.submit(link, mappingForm(page, url.Values{"numbers": {string(domain.NumbersDotDecimal)}})); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("mapping: %d %q", resp.StatusCode, page.Find(".field-error, .errors").Text())
		}
		_, page = m.get(link)
		if failing := page.Find(`[data-testid="failing-row"]`); failing.Length() != 0 || !strings.Contains(page.Find(`[data-testid="style-mapping"]`).Text(), "As you chose") {
			t.Fatalf("failing rows once chosen: %q", failing.Text())
		}
		version = page.Find(`[data-testid="confirm-form"] input[name="version"]`).AttrOr("value", "")
		resp, _ = m.submit(link+"/confirm", url.Values{"version": {version}})
		location(t, resp, http.StatusSeeOther)
		deals = dealsByTitle(t, d)
		var muller domain.Account
		d.Read.Where("name = ?", "Müller Maschinenbau AG").First(&muller)
		for title, want := range map[string][3]int64{
			"Pressen-Linie":  {muller.ID, john.ID, 12000000},
			"Route planning": {northwind.ID, john.ID, 750000},
			"Wartung":        {muller.ID, jurgen.ID, 4800000},
		} {
			if got := deals[title]; got.AccountID != want[0] || got.OwnerID != want[1] || got.AmountMinor != want[2] || got.Currency != "EUR" {
				t.Errorf("%s as saved: %+v, want %v", title, got, want)
			}
		}
		if muller.ID == 0 || count(t, d, "deals") != 7 || count(t, d, "accounts") != 4 {
			t.Fatalf("after both: %d deals, %d accounts", count(t, d, "deals"), count(t, d, "accounts"))
		}

		// Both files again: every row is in presale already, nothing asked.
		for name, content := range map[string][]byte{"hubspot-deals.csv": []byte(hubspotExport), "salesforce-opportunities.csv": windows1252(t, salesforceExport)} {
			resp, _ = m.upload("deals", name, content)
			_, page = m.get(location(t, resp, http.StatusSeeOther))
			if page.Find(`[data-testid="confirm-form"]`).Length() != 0 || page.Find(`[data-testid="account-mapping"], [data-testid="style-asks"]`).Length() != 0 ||
				!strings.Contains(page.Find(`[data-testid="import-counts"]`).Text(), "in presale already") {
				t.Errorf("%s again: %q", name, page.Find(`[data-testid="import-preview"]`).Text())
			}
		}
		if count(t, d, "deals") != 7 || count(t, d, "accounts") != 4 {
			t.Fatalf("after importing again: %d deals, %d accounts", count(t, d, "deals"), count(t, d, "accounts"))
		}
	})
}

// A salesperson imports their own deals: the page offers deals only, and
// keeps no mapping for everyone; rows naming another owner are refused
// with the policy's reason, unless the salesperson maps that name to
// themselves (the only owner offered); mapping it to someone else is
// refused; their upload is not found by another salesperson.
func TestASalespersonImportsTheirOwnDeals(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		a := newApp(t, d, web.Config{})
		john := a.user("John Smith", domain.RoleSales)
		other, manager := a.users[domain.RoleSales], a.users[domain.RoleManager]
		s := a.signInAs(john)
		_, page := s.get("/import")
		var kinds []string
		page.Find("#kind option").Each(func(_ int, o *goquery.Selection) { kinds = append(kinds, o.AttrOr("value", "")) })
		if strings.Join(kinds, ",") != "deals" || page.Find(`[data-testid="nav"] a[href="/import"]`).Length() != 1 {
			t.Fatalf("a salesperson's import page offers %q", kinds)
		}
		if resp, page := s.upload("accounts", "a.csv", []byte("Account Name\nX\n")); resp.StatusCode != http.StatusForbidden ||
			!strings.Contains(page.Text(), "Salespeople import their own deals") {
			t.Fatalf("a salesperson uploads accounts: %d", resp.StatusCode)
		}
		file := "Deal Name,Associated Company,Deal owner,Amount,Close Date\r\n" +
			"Fleet,Brandneu GmbH,John Smith,\"120,000.00\",15/04/2027\r\n" +
			"Depot,Brandneu GmbH," + other.Name + ",5000,2027-05-01\r\n" +
			"Kiosk,Contoso," + manager.Name + ",7000,2027-05-01\r\n"
		resp, _ := s.upload("deals", "mine.csv", []byte(file))
		link := location(t, resp, http.StatusSeeOther)
		_, page = s.get(link)
		if got := page.Find(`[data-testid="failing-row"]`); got.Length() != 2 || !strings.Contains(got.Text(), "You import your own deals only") {
			t.Fatalf("rows of other owners: %q", got.Text())
		}
		form := mappingForm(page, nil)
		if names := form["owner_name"]; len(names) != 2 || names[0] != other.Name || names[1] != manager.Name {
			t.Fatalf("owners to map: %q", names)
		}
		var offered []string
		page.Find(`#owner-0 option`).Each(func(_ int, o *goquery.Selection) { offered = append(offered, o.AttrOr("value", "")) })
		if strings.Join(offered, ",") != ","+strconv.FormatInt(john.ID, 10) || page.Find(`input[name="remember"]`).Length() != 0 {
			t.Fatalf("a salesperson may map owners only to themselves: %q; remember offered %d", offered, page.Find(`input[name="remember"]`).Length())
		}
		for _, c := range []*client{a.signInAs(other), a.signedIn(domain.RoleDevRel)} {
			if resp, _ := c.get(link); resp.StatusCode != http.StatusNotFound && resp.StatusCode != http.StatusForbidden {
				t.Errorf("another person opens a salesperson's upload: %d", resp.StatusCode)
			}
		}
		if resp, _ := a.signInAs(manager).get(link); resp.StatusCode != http.StatusOK {
			t.Errorf("a manager opens a salesperson's upload: %d", resp.StatusCode)
		}
		setMapping(t, form, "owner_name", "owner", other.Name, strconv.FormatInt(other.ID, 10))
		if resp, page := s.submit(link, form); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(fieldError(page, "owners"), "your own deals only") {
			t.Fatalf("mapping an owner to someone else: %d %q", resp.StatusCode, fieldError(page, "owners"))
		}
		form.Set("remember", "1")
		if resp, _ := s.submit(link, form); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("keeping the mapping for everyone: %d", resp.StatusCode)
		}
		form.Del("remember")
		setMapping(t, form, "owner_name", "owner", other.Name, strconv.FormatInt(john.ID, 10))
		if resp, page = s.submit(link, form); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("mapping to themselves: %d %q", resp.StatusCode, page.Find(".field-error, .errors").Text())
		}
		_, page = s.get(link)
		version := page.Find(`[data-testid="confirm-form"] input[name="version"]`).AttrOr("value", "")
		resp, _ = s.submit(link+"/confirm", url.Values{"version": {version}, "skip_failing": {"1"}})
		location(t, resp, http.StatusSeeOther)
		deals := dealsByTitle(t, d)
		if len(deals) != 2 || deals["Fleet"].OwnerID != john.ID || deals["Depot"].OwnerID != john.ID || deals["Fleet"].AmountMinor != 12000000 || count(t, d, "accounts") != 1 {
			t.Fatalf("a salesperson's import: %d deals %+v, %d accounts", len(deals), deals, count(t, d, "accounts"))
		}
		_, page = a.signInAs(other).get("/import")
		if page.Find(`[data-testid="import-row"]`).Length() != 0 {
			t.Error("another salesperson sees John's upload listed")
		}
	})
}
