package domain_test

import (
	"slices"
	"testing"

	"github.com/presale/presale/internal/domain"
)

// HubSpot's and Salesforce's standard export columns are recognised;
// anything else is left for the person to map.
func TestExportColumnsAreRecognised(t *testing.T) {
	for _, tc := range []struct {
		kind    domain.ImportKind
		header  []string
		want    map[string]int
		unknown []string
	}{
		{domain.ImportDeals, []string{"Record ID", "Deal Name", "Deal Stage", "Amount", "Close Date", "Deal owner", "Pipeline", "Associated Company"},
			map[string]int{"external_id": 0, "title": 1, "stage": 2, "amount": 3, "expected_close_date": 4, "owner": 5, "account": 7}, []string{"Pipeline"}},
		{domain.ImportDeals, []string{"Opportunity ID", "Opportunity Name", "Stage", "Amount", "Close Date", "Account Name", "Opportunity Owner", "Opportunity Currency"},
			map[string]int{"external_id": 0, "title": 1, "stage": 2, "amount": 3, "expected_close_date": 4, "account": 5, "owner": 6, "currency": 7}, nil},
		{domain.ImportAccounts, []string{"Account ID", "Account Name", "Website", "Industry", "Billing City"},
			map[string]int{"external_id": 0, "name": 1, "domain": 2, "industry": 3}, []string{"Billing City"}},
		{domain.ImportContacts, []string{"Record ID", "First Name", "Last Name", "Email", "Phone Number", "Job Title", "Associated Company"},
			map[string]int{"external_id": 0, "first_name": 1, "last_name": 2, "email": 3, "phone": 4, "title": 5, "account": 6}, nil},
		{domain.ImportDeals, []string{"deal_name", "ACCOUNT NAME", "Gross margin"}, map[string]int{"title": 0, "account": 1}, []string{"Gross margin"}},
	} {
		got, unknown := domain.RecognizeColumns(tc.kind, tc.header)
		for f, i := range tc.want {
			if got[f] != i {
				t.Errorf("%s %v: %s at %d, want %d", tc.kind, tc.header, f, got[f], i)
			}
		}
		if len(got) != len(tc.want) || !slices.Equal(unknown, tc.unknown) {
			t.Errorf("%s %v: %v, unknown %q", tc.kind, tc.header, got, unknown)
		}
	}
}

func TestImportStages(t *testing.T) {
	for name, want := range map[string]domain.Stage{"Closed Won": domain.StageClosedWon, "closed_lost": domain.StageClosedLost,
		"Qualified To Buy": domain.StageDiscovery, "Proposal/Price Quote": domain.StageProposal, "Negotiation": domain.StageNegotiation,
		"contractsent": domain.StageNegotiation} {
		if got, ok := domain.ImportStage(name); !ok || got != want {
			t.Errorf("%q: %s %v", name, got, ok)
		}
	}
	if _, ok := domain.ImportStage("Our custom stage"); ok {
		t.Error("an unknown stage was guessed")
	}
}

// The mapping form is checked against the file: a required field needs a
// column, a column fills one field, stages and owners must be presale's,
// and a refused mapping leaves the plan as it was.
func TestImportMappingInputApply(t *testing.T) {
	header := []string{"Headline", "Company", "Phase", "Rep"}
	for _, c := range []struct {
		name  string
		in    domain.ImportMappingInput
		field string // the refused field; "" when the mapping is taken
	}{
		{"complete", domain.ImportMappingInput{Columns: map[string]string{"title": "0", "account": "1", "stage": "2", "owner": "3"},
			StageNames: []string{"Pilot", "Later"}, Stages: []string{"evaluation", ""}, OwnerNames: []string{"Jo"}, Owners: []string{"7"}, Currency: "eur",
			AccountNames: []string{"Northwind", "Brandneu GmbH", "Undecided"}, Accounts: []string{"12", domain.NewAccountChoice, ""}, Numbers: "1.234,56", Dates: "dmy"}, ""},
		{"no title", domain.ImportMappingInput{Columns: map[string]string{"account": "1"}, Currency: "EUR"}, "column_title"},
		{"one column twice", domain.ImportMappingInput{Columns: map[string]string{"title": "0", "account": "0"}, Currency: "EUR"}, "column_account"},
		{"a column the file lacks", domain.ImportMappingInput{Columns: map[string]string{"title": "9", "account": "1"}, Currency: "EUR"}, "column_title"},
		{"a stage presale lacks", domain.ImportMappingInput{Columns: map[string]string{"title": "0", "account": "1"}, StageNames: []string{"Pilot"}, Stages: []string{"pilot"}, Currency: "EUR"}, "stages"},
		{"an owner that is not an id", domain.ImportMappingInput{Columns: map[string]string{"title": "0", "account": "1"}, OwnerNames: []string{"Jo"}, Owners: []string{"Jo"}, Currency: "EUR"}, "owners"},
		{"no currency", domain.ImportMappingInput{Columns: map[string]string{"title": "0", "account": "1"}, Currency: "€"}, "currency"},
		{"a number style presale lacks", domain.ImportMappingInput{Columns: map[string]string{"title": "0", "account": "1"}, Currency: "EUR", Numbers: "1'234.56"}, "numbers"},
		{"a date style presale lacks", domain.ImportMappingInput{Columns: map[string]string{"title": "0", "account": "1"}, Currency: "EUR", Dates: "ydm"}, "dates"},
		{"an account that is not an id", domain.ImportMappingInput{Columns: map[string]string{"title": "0", "account": "1"}, Currency: "EUR",
			AccountNames: []string{"Northwind"}, Accounts: []string{"Northwind Logistics"}}, "accounts"},
	} {
		plan := domain.ImportPlan{Kind: domain.ImportDeals, Currency: "USD"}
		err := c.in.Apply(&plan, header)
		if c.field == "" {
			if err != nil || plan.Columns["owner"] != 3 || plan.Stages["Pilot"] != domain.StageEvaluation || len(plan.Stages) != 1 || plan.Owners["Jo"] != 7 || plan.Currency != "EUR" ||
				plan.Accounts["northwind"] != 12 || len(plan.Accounts) != 2 || plan.Accounts["brandneu"] != domain.NewAccount || plan.Numbers != domain.NumbersCommaDecimal || plan.Dates != domain.DatesDayFirst {
				t.Errorf("%s: %v %+v", c.name, err, plan)
			}
			continue
		}
		if v, ok := err.(domain.ValidationErrors); !ok || v[c.field] == "" || plan.Currency != "USD" || plan.Columns != nil {
			t.Errorf("%s: %v, plan %+v", c.name, err, plan)
		}
	}
}
