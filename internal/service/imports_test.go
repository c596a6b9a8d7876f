package service_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"github.com/presale/presale/db"
	"github.com/presale/presale/internal/csvfile"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
	"github.com/presale/presale/internal/service"
	"github.com/presale/presale/internal/testenv"
)

// Files written from HubSpot's and Salesforce's documented export columns.
const (
	salesforceAccounts = "Account ID;Account Name;Website;Industry;Billing City\n" +
		"001A;Northwind Logistics GmbH;https://northwind.example;Logistics;Hamburg\n" +
		"001B;Café Müller;cafe-mueller.example;Food;Wien\n" +
		"001C;Contoso;contoso.example;Retail;Paris\n" +
		"001D;Northwind Logistics;;Logistics;Bremen\n" // the same company as line 2
	hubspotContacts = "Record ID,First Name,Last Name,Email,Phone Number,Job Title,Associated Company\n" +
		"501,Ana,Buyer,ana@northwind.example,+49 40 1234,CTO,Northwind Logistics\n" +
		"502,Jörg,Kühn,joerg@cafe-mueller.example,,Inhaber,Café Müller\n" +
		"503,Nobody,Known,nobody@nowhere.example,,,Unknown Corp\n"
	hubspotDeals = "Record ID,Deal Name,Deal Stage,Amount,Close Date,Deal owner,Associated Company,Pipeline\n" +
		"9001,Fleet telematics,Qualified To Buy,125000.50,2027-03-31 00:00,Sam Sales,Northwind Logistics,Sales Pipeline\n" +
		"9002,Espresso machines,Closed Won,9000,2026-12-01,sam.sales@example.com,Café Müller,Sales Pipeline\n" +
		"9003,\"Loyalty app, phase 1\",Contract Sent,$12000,2027-01-15,Sam Sales,Contoso,Sales Pipeline\n" +
		"9004,Store rollout,Our Custom Stage,5000,2027-02-01,Sam Sales,Contoso,Sales Pipeline\n" +
		"9005,Kiosk pilot,Appointment Scheduled,7000,31/02/2027,Sam Sales,Contoso,Sales Pipeline\n" +
		"9006,Data lake,Appointment Scheduled,7000,2027-02-01,Zoe Unknown,Contoso,Sales Pipeline\n"
)

func encoded(t *testing.T, s, enc string) []byte {
	t.Helper()
	var err error
	b := []byte(s)
	switch enc {
	case "utf-8 with BOM":
		b = append([]byte{0xEF, 0xBB, 0xBF}, b...)
	case "utf-16":
		b, err = unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes(b)
	case "windows-1252":
		b, err = charmap.Windows1252.NewEncoder().Bytes(b)
	}
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Accounts, contacts and deals come in from real-shaped exports in three
// encodings: the preview writes nothing and names each failing row's line
// and reason; importing writes the good rows (skipping the failing ones
// only when asked) with an event saying where they came from; importing
// the same files again duplicates nothing.
func TestImportFromHubSpotAndSalesforce(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		for _, enc := range []string{"utf-8 with BOM", "utf-16", "windows-1252"} {
			t.Run(enc, func(t *testing.T) {
				ctx := context.Background()
				w := testenv.NewWorld(t, testenv.Open(t, d.Dialect))
				manager := w.User("Mia Manager", domain.RoleManager)
				w.User("Sam Sales", domain.RoleSales)
				svc := w.Svc
				run := func(kind domain.ImportKind, text string, commit, skip bool) (read.ImportReport, error) {
					f, err := csvfile.Read(bytes.NewReader(encoded(t, text, enc)))
					if err != nil {
						t.Fatal(err)
					}
					plan, _ := service.PlanImport(kind, f)
					return svc.Imports.Import(ctx, manager, f, plan, commit, skip)
				}
				count := func(table string) (n int64) {
					w.DB.Read.Table(table).Count(&n)
					return n
				}

				// Accounts: the fourth is the first again (Ltd/GmbH aside).
				r, err := run(domain.ImportAccounts, salesforceAccounts, false, false)
				if err != nil || r.New != 3 || r.Failing != 1 || r.Lines[3].Line != 5 || !strings.Contains(r.Lines[3].Problem, "line 2") || count("accounts") != 0 {
					t.Fatalf("accounts preview: %+v %v, %d written", r, err, count("accounts"))
				}
				if _, err := run(domain.ImportAccounts, salesforceAccounts, true, false); !errors.Is(err, service.ErrImportFails) || count("accounts") != 0 {
					t.Fatalf("failing rows, not skipped: %v, %d written", err, count("accounts"))
				}
				if r, err = run(domain.ImportAccounts, salesforceAccounts, true, true); err != nil || !r.Written || count("accounts") != 3 {
					t.Fatalf("accounts: %+v %v", r, err)
				}
				if r.Lines[1].Values["name"] != "Café Müller" {
					t.Errorf("the name as saved: %q", r.Lines[1].Values["name"])
				}

				// Contacts: one names an account presale does not have.
				if r, err = run(domain.ImportContacts, hubspotContacts, true, true); err != nil || r.New != 2 || r.Failing != 1 || !strings.Contains(r.Lines[2].Problem, "Unknown Corp") {
					t.Fatalf("contacts: %+v %v", r, err)
				}

				// Deals: an unknown stage, a bad date, an unknown owner, each
				// with its line; a currency sign is read as the deal's currency.
				r, err = run(domain.ImportDeals, hubspotDeals, false, false)
				if err != nil || r.New != 3 || r.Failing != 3 || r.Lines[2].Values["currency"] != "USD" || r.Lines[2].Values["amount"] != "12,000" {
					t.Fatalf("deals preview: %+v %v", r, err)
				}
				for line, says := range map[int]string{5: "Our Custom Stage", 6: "not a date", 7: "Zoe Unknown"} {
					if l := r.Lines[line-2]; l.Line != line || l.Outcome != read.ImportFailing || !strings.Contains(l.Problem, says) {
						t.Errorf("line %d: %+v", line, l)
					}
				}
				// A row wrong in four ways says all four, so one fix mends it.
				header, _, _ := strings.Cut(hubspotDeals, "\n")
				faults, err := run(domain.ImportDeals, header+"\n9010,Kiosk,Verbal yes,\"5,000 XYZ\",2027-13-01,Nobody Here,Contoso,Sales Pipeline\n", false, false)
				if err != nil || faults.Failing != 1 {
					t.Fatalf("a row with four faults: %+v %v", faults, err)
				}
				for _, says := range []string{"Verbal yes", "Nobody Here", "which currency", "not a date"} {
					if !strings.Contains(faults.Lines[0].Problem, says) {
						t.Errorf("a row with four faults says %q, not %q", faults.Lines[0].Problem, says)
					}
				}
				if strings.Join(r.UnknownStages, ",") != "Our Custom Stage" || strings.Join(r.UnknownOwners, ",") != "Zoe Unknown" {
					t.Errorf("to map: %q %q", r.UnknownStages, r.UnknownOwners)
				}
				f, _ := csvfile.Read(bytes.NewReader(encoded(t, hubspotDeals, enc)))
				plan, unknown := service.PlanImport(domain.ImportDeals, f)
				if strings.Join(unknown, ",") != "Pipeline" {
					t.Errorf("unknown columns: %q", unknown)
				}
				plan.Stages = map[string]domain.Stage{"Our Custom Stage": domain.StageEvaluation}
				plan.Owners = map[string]int64{"Zoe Unknown": manager.ID}
				if r, err = svc.Imports.Import(ctx, manager, f, plan, true, true); err != nil || r.New != 5 || count("deals") != 5 {
					t.Fatalf("deals with the stage and owner mapped: %+v %v, %d deals", r, err, count("deals"))
				}
				var fleet domain.Deal
				w.DB.Read.Where("external_id = ?", "9001").First(&fleet)
				if fleet.AmountMinor != 12500050 || fleet.Stage != domain.StageDiscovery || fleet.ExpectedCloseDate == nil || fleet.ExpectedCloseDate.Format("2006-01-02") != "2027-03-31" {
					t.Errorf("a deal as saved: %+v", fleet)
				}
				if drift, err := w.Store.Derived().Drift(ctx); err != nil || len(drift) > 0 {
					t.Errorf("rollups after the import: %v %v", drift, err)
				}
				var imported int64
				w.DB.Read.Table("events").Where("action = 'created' AND after_summary LIKE ?", "%CSV import%").Count(&imported)
				if imported != 3+2+5 {
					t.Errorf("%d created events say they came from an import, want 10", imported)
				}

				// The same files again: nothing new.
				for kind, text := range map[domain.ImportKind]string{domain.ImportAccounts: salesforceAccounts, domain.ImportContacts: hubspotContacts, domain.ImportDeals: hubspotDeals} {
					if r, err := run(kind, text, true, true); err != nil || r.New != 0 {
						t.Errorf("%s again: %d new, %v", kind, r.New, err)
					}
				}
				if count("accounts") != 3 || count("contacts") != 2 || count("deals") != 5 {
					t.Errorf("after importing again: %d accounts, %d contacts, %d deals", count("accounts"), count("contacts"), count("deals"))
				}
			})
		}
	})
}

// Importing 10,000 deals (the size), for `go test -bench`: the
// rows are checked, then written in batches in one transaction.
func BenchmarkImport10000Deals(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("Record ID,Deal Name,Deal Stage,Amount,Close Date,Deal owner,Associated Company\n")
	for i := range 10000 {
		fmt.Fprintf(&sb, "%d,\"Deal %d, phase 1\",Qualified To Buy,%d.50,2027-01-%02d,Sam Sales,Northwind\n", i, i, i*10, i%28+1)
	}
	f, err := csvfile.Read(strings.NewReader(sb.String()))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		b.StopTimer()
		w := testenv.NewWorld(b, testenv.Open(b, db.SQLite))
		manager := w.User("Mia Manager", domain.RoleManager)
		w.User("Sam Sales", domain.RoleSales)
		w.Account(manager, "Northwind")
		plan, _ := service.PlanImport(domain.ImportDeals, f)
		b.StartTimer()
		if r, err := w.Svc.Imports.Import(context.Background(), manager, f, plan, true, false); err != nil || r.New != 10000 {
			b.Fatal(r.New, err)
		}
	}
}

// Only managers and administrators import accounts (and contacts).
func TestOnlyManagersImportAccounts(t *testing.T) {
	w := testenv.NewWorld(t, testenv.Open(t, db.SQLite))
	f, _ := csvfile.Read(strings.NewReader(salesforceAccounts))
	plan, _ := service.PlanImport(domain.ImportAccounts, f)
	if _, err := w.Svc.Imports.Import(context.Background(), w.User("Sam Sales", domain.RoleSales), f, plan, false, false); !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("a salesperson: %v", err)
	}
}

// Rows without the other system's id, a domain or an e-mail are not the
// same row for lacking them: a spreadsheet of names imports whole.
func TestImportRowsWithoutIDsAreNotDuplicates(t *testing.T) {
	ctx := context.Background()
	w := testenv.NewWorld(t, testenv.Open(t, db.SQLite))
	manager := w.User("Mia Manager", domain.RoleManager)
	w.Account(manager, "Northwind")
	for kind, text := range map[domain.ImportKind]string{
		domain.ImportAccounts: "Name\nHelios\nBluefin\nQuanta\n",
		domain.ImportContacts: "Name,Account\nAna Ruiz,Northwind\nBo Chen,Northwind\nCy Diaz,Northwind\n",
		domain.ImportDeals:    "Title,Account\nFleet,Northwind\nDepot,Northwind\nRoutes,Northwind\n",
	} {
		f, err := csvfile.Read(strings.NewReader(text))
		if err != nil {
			t.Fatal(err)
		}
		plan, _ := service.PlanImport(kind, f)
		if r, err := w.Svc.Imports.Import(ctx, manager, f, plan, false, false); err != nil || r.New != 3 || r.Failing != 0 {
			t.Errorf("%s: %d new, %d failing (%v) %v", kind, r.New, r.Failing, r.Lines, err)
		}
	}
}
