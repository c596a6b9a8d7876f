package domain

import (
	"fmt"
	"testing"
	"time"
)

func TestAccountsThatNameTheSameCompany(t *testing.T) {
	same := [][2]Account{
		{{Name: "Northwind Logistics"}, {Name: "northwind logistics, Ltd."}},
		{{Name: "Müller GmbH"}, {Name: "MÜLLER"}},
		{{Name: "Acme Inc"}, {Name: "ACME, Inc."}},
		{{Name: "First"}, {Name: "Second", Domain: "https://www.first.example/about"}},
	}
	same[3][0].Domain = "first.example"
	for _, p := range same {
		if !SameCompany(p[0], p[1]) {
			t.Errorf("%q (%s) and %q (%s) should look alike", p[0].Name, p[0].Domain, p[1].Name, p[1].Domain)
		}
	}
	differ := [][2]Account{
		{{Name: "Northwind Logistics"}, {Name: "Northwind Energy"}},
		{{Name: "Inc"}, {Name: "Ltd"}},
		{{Name: "A", Domain: "a.example"}, {Name: "B", Domain: "b.example"}},
	}
	for _, p := range differ {
		if SameCompany(p[0], p[1]) {
			t.Errorf("%q and %q should not look alike", p[0].Name, p[1].Name)
		}
	}
}

func TestMentionsNameWhoMayBeTold(t *testing.T) {
	users := []User{{ID: 1, Name: "Dana Devrel", Email: "dana@example.com"}, {ID: 2, Name: "Sam Sales", Email: "s.sales@example.com"},
		{ID: 3, Name: "Sam Other", Email: "other@example.com"}}
	ids := func(us []User) []int64 {
		var out []int64
		for _, u := range us {
			out = append(out, u.ID)
		}
		return out
	}
	cases := map[string][]int64{
		"@dana can you check?":           {1},
		"ask @Dana, and @s.sales.":       {1, 2},
		"@sam is two people":             nil,
		"mail dana@example.com, not her": nil,
		"@nobody @ and (@dana)":          {1},
	}
	for text, want := range cases {
		if got := ids(Mentioned(text, users)); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%q mentions %v, want %v", text, got, want)
		}
	}
}

func TestATaskIsForTheDealTeam(t *testing.T) {
	team := DealTeam{DealID: 1, OwnerID: 10, DevRelIDs: []int64{20}}
	var task Task
	if err := (TaskInput{Title: "Send the questionnaire", DueOn: "2026-12-01"}).Apply(&task, team, User{ID: 20}); err != nil || task.AssigneeID != 20 {
		t.Fatalf("a DevRel's own step: %v, assignee %d", err, task.AssigneeID)
	}
	if err := (TaskInput{Title: "x", DueOn: "2026-12-01"}).Apply(&task, team, User{ID: 99}); err != nil || task.AssigneeID != 10 {
		t.Fatalf("a manager's step goes to the owner: %v, assignee %d", err, task.AssigneeID)
	}
	errs := (TaskInput{Title: " ", DueOn: "1 Dec", AssigneeID: "30"}).Apply(&task, team, User{ID: 10}).(ValidationErrors)
	for _, f := range []string{"title", "due_on", "assignee_id"} {
		if errs[f] == "" {
			t.Errorf("no message for %s", f)
		}
	}
	today := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC) // a Friday
	if next := NextWorkingDay(today); next.Weekday() != time.Monday {
		t.Fatalf("the working day after Friday is %s", next.Weekday())
	}
	if !(Task{DueOn: today.AddDate(0, 0, -1)}).Overdue(today) || (Task{DueOn: today}).Overdue(today) {
		t.Fatal("overdue means due before today")
	}
}

func TestAStagesOrderIsItsPlaceInThePipeline(t *testing.T) {
	for i, st := range Stages {
		if st.Order() != i {
			t.Errorf("%s.Order() = %d, want %d", st, st.Order(), i)
		}
	}
	if Stage("nonsense").Order() != -1 {
		t.Error("an unknown stage has a place in the pipeline")
	}
}

// A one-line field keeps one line, whatever was typed or pasted into it.
func TestLineFieldsStayOnOneLine(t *testing.T) {
	for in, want := range map[string]string{
		"  Fleet telematics ":                "Fleet telematics",
		"Fleet\r\nX-Injected: yes":           "Fleet X-Injected: yes",
		"Fleet\n\n\ttelematics":              "Fleet telematics",
		"Fleet\u2028telematics\u2029":        "Fleet telematics",
		"Fleet\x00\x1b[31mred":               "Fleet[31mred",
		"Müller GmbH":                        "Müller GmbH",
		"=cmd|' /C calc'!A0 \r\n=HYPERLINK(": "=cmd|' /C calc'!A0 =HYPERLINK(",
	} {
		if got := Line(in); got != want {
			t.Errorf("Line(%q) = %q, want %q", in, got, want)
		}
	}
	var d Deal
	if err := (DealInput{Title: "Fleet\r\nsecond line", AccountID: "1", Stage: "discovery", Amount: "1", Currency: "USD"}).Apply(&d, time.Now()); err != nil || d.Title != "Fleet second line" {
		t.Errorf("a deal's title: %q %v", d.Title, err)
	}
	u, err := NewUser("Ada\nLovelace", "ada@example.com", RoleSales, false)
	if err != nil || u.Name != "Ada Lovelace" {
		t.Errorf("a person's name: %q %v", u.Name, err)
	}
}
