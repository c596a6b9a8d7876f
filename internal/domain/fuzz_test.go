package domain

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// The fuzz targets below cover every form decoder and the parsing of
// money, dates and times. Their seed corpora run as ordinary tests; run
// one for longer with, for example,
//
//	go test -run '^$' -fuzz FuzzDealInput -fuzztime 1m ./internal/domain

var fuzzNow = time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)

// fits checks a decoded value: trimmed, valid UTF-8 if the input was, and
// within its limit.
func fits(t *testing.T, field, v string, max int) {
	t.Helper()
	if v != strings.TrimSpace(v) {
		t.Fatalf("%s kept surrounding space: %q", field, v)
	}
	if utf8.RuneCountInString(v) > max {
		t.Fatalf("%s took %d characters, over %d", field, utf8.RuneCountInString(v), max)
	}
}

func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{"125000.50", "1,000", "0", "", "0.5", "-1", "+1", "1.234", "1e9", "9999999999999999", " 12 ", "12.", ".5", "١٢", "1\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		minor, err := ParseAmount(s)
		if err != nil {
			return
		}
		if minor < 0 {
			t.Fatalf("ParseAmount(%q) = %d", s, minor)
		}
		if back, err := ParseAmount(DecimalAmount(minor)); err != nil || back != minor {
			t.Fatalf("%q → %d → %q → %d, %v", s, minor, DecimalAmount(minor), back, err)
		}
	})
}

func FuzzParseID(f *testing.F) {
	for _, s := range []string{"1", "0", "-1", "007", "999999999999999999", "9999999999999999999", " 3 ", "3a", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, ok := ParseID(s)
		if ok && n <= 0 {
			t.Fatalf("ParseID(%q) = %d", s, n)
		}
	})
}

func FuzzDealInput(f *testing.F) {
	f.Add("Fleet telemetry", "closed_won", "125000.50", "usd", "2026-12-31", "in_progress", "A deal")
	f.Add(" ", "nope", "-5", "EURO", "2026-02-30", "", strings.Repeat("x", 20000))
	f.Add("\u200b", "discovery", "1,000.5", "JPY", "31/12/2026", "at_risk", "")
	f.Fuzz(func(t *testing.T, title, stage, amount, currency, closeDate, tech, desc string) {
		d := Deal{Stage: StageProspecting}
		err := DealInput{Title: title, AccountID: "1", Stage: stage, Amount: amount, Currency: currency,
			ExpectedCloseDate: closeDate, TechnicalStatus: tech, Description: desc}.Apply(&d, fuzzNow)
		if err != nil {
			if _, ok := err.(ValidationErrors); !ok {
				t.Fatalf("not a validation error: %T %v", err, err)
			}
			return
		}
		if d.Title == "" || !d.Stage.Valid() || !d.TechnicalStatus.Valid() || d.AmountMinor < 0 || d.Stage.Closed() != (d.ClosedAt != nil) {
			t.Fatalf("accepted an invalid deal: %+v", d)
		}
		fits(t, "title", d.Title, MaxLine)
		fits(t, "description", d.Description, MaxBody)
	})
}

func FuzzMeetingInput(f *testing.F) {
	f.Add("Demo", "demo", "2026-12-01T10:00", "2026-12-01T11:00", "Europe/Berlin", false)
	f.Add("Past", "poc_review", "2026-03-29T02:30", "2026-03-29T03:30", "Europe/Berlin", true) // a DST gap
	f.Add("", "party", "tomorrow", "2026-12-01T09:00", "Mars/Olympus", false)
	f.Fuzz(func(t *testing.T, title, kind, starts, ends, zone string, held bool) {
		// The viewer's zone, from a few with odd offsets and DST gaps.
		loc, _ := time.LoadLocation([]string{"UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Pacific/Chatham"}[len(zone)%5])
		plan, err := MeetingInput{Title: title, Type: kind, StartsAt: starts, EndsAt: ends, AlreadyHeld: held,
			Agenda: title, InternalAttendeeIDs: []string{starts, "3"}}.Plan(Meeting{}, loc, fuzzNow)
		if err != nil {
			return
		}
		m := plan.Meeting
		if m.Title == "" || !m.Type.Valid() || !m.EndsAt.After(m.StartsAt) || m.StartsAt.Location() != time.UTC {
			t.Fatalf("accepted an invalid meeting: %+v", m)
		}
		if held != (m.Status == MeetingHeld) || held && m.StartsAt.After(fuzzNow) {
			t.Fatalf("status %s for held=%v starting %v", m.Status, held, m.StartsAt)
		}
		for _, id := range plan.AttendeeIDs {
			if id <= 0 {
				t.Fatalf("attendee id %d", id)
			}
		}
		fits(t, "title", m.Title, MaxLine)
	})
}

func FuzzCustomerInputs(f *testing.F) {
	f.Add("Northwind, Inc.", "northwind.example", "Freight", "Notes", "ines@northwind.example", "+49 30 1234")
	f.Add(" ", "http://x y", "", "", "not an address", strings.Repeat("9", 80))
	f.Fuzz(func(t *testing.T, name, domain, industry, notes, email, phone string) {
		var a Account
		if (AccountInput{Name: name, Domain: domain, Industry: industry, Notes: notes}).Apply(&a) == nil {
			if a.Name == "" {
				t.Fatal("accepted a nameless account")
			}
			fits(t, "name", a.Name, MaxLine)
			fits(t, "notes", a.Notes, MaxBody)
		}
		var c Contact
		if (ContactInput{Name: name, Title: industry, Email: email, Phone: phone}).Apply(&c) == nil {
			if c.Name == "" || c.Email != "" && !strings.Contains(c.Email, "@") {
				t.Fatalf("accepted %+v", c)
			}
			fits(t, "phone", c.Phone, 50)
		}
	})
}

func FuzzDealWorkInputs(f *testing.F) {
	f.Add("Webhook bridge", "integration", "3 days", "Detail", "security", "2026-12-24", "roadmap", "if they push on price")
	f.Add("", "nope", "", "", "pricing", "2026-13-01", "", "")
	f.Fuzz(func(t *testing.T, title, kind, effort, text, category, date, promiseKind, trigger string) {
		var o Offer
		if (OfferProposal{Title: title, Kind: kind, EstimatedEffort: effort, Detail: text}).Apply(&o) == nil {
			if o.Title == "" || !o.Kind.Valid() {
				t.Fatalf("accepted offer %+v", o)
			}
			fits(t, "title", o.Title, MaxLine)
			fits(t, "detail", o.Detail, MaxBody)
		}
		var q Question
		if (QuestionInput{Category: category, Text: text, RaisedByID: kind}).Apply(&q) == nil {
			if q.Text == "" || !q.Category.Valid() || q.Status != QuestionOpen {
				t.Fatalf("accepted question %+v", q)
			}
			fits(t, "text", q.Text, MaxBody)
		}
		var p Promise
		if (PromiseInput{Text: text, Kind: promiseKind, DueDate: date, OwnerID: effort, MeetingID: kind}).Apply(&p) == nil {
			if p.Text == "" || !p.Kind.Valid() || p.Feasibility != FeasibilityUnreviewed {
				t.Fatalf("accepted promise %+v", p)
			}
		}
		var r SupportRequest
		if (SupportInput{Kind: kind, NeededBy: date, Details: text}).Apply(&r, fuzzNow) == nil {
			if r.Details == "" || !r.Kind.Valid() || r.NeededBy != nil && r.NeededBy.Before(fuzzNow.Truncate(24*time.Hour)) {
				t.Fatalf("accepted request %+v", r)
			}
		}
		s := Sync{Notes: "x"}
		if changed, err := (SyncInput{Notes: text, MayRaise: title, Avoid: trigger}).Apply(&s); err == nil && changed {
			if s.SalesConfirmedAt != nil || s.DevRelConfirmedAt != nil {
				t.Fatal("a changed sync kept a confirmation")
			}
			fits(t, "notes", s.Notes, MaxBody)
		}
		held := Offer{Status: OfferProposed, ProposedByID: 2, DealID: 1}
		next, err := OfferMove{Offer: held, Action: OfferHold, Actor: User{ID: 1, Role: RoleSales, Active: true}, Team: DealTeam{DealID: 1, OwnerID: 1},
			Input: OfferInput{Trigger: trigger}}.Decide(fuzzNow)
		if err == nil && (next.Status != OfferReserved || next.HoldTrigger == "") {
			t.Fatalf("hold with trigger %q: %+v", trigger, next)
		}
	})
}

func FuzzUserInputs(f *testing.F) {
	f.Add("Ada Lovelace", "Ada@Example.com", "devrel", "5", "correct horse battery")
	f.Add("", "@", "boss", "0", "short")
	f.Fuzz(func(t *testing.T, name, email, role, capacity, password string) {
		if u, err := NewUser(name, email, Role(role), false); err == nil {
			if u.Name == "" || !u.Role.Valid() || u.Email != strings.ToLower(u.Email) {
				t.Fatalf("accepted user %+v", u)
			}
			fits(t, "name", u.Name, MaxLine)
		}
		u := User{ID: 2, Role: RoleSales, Active: true}
		if (UserUpdate{Role: role, Capacity: capacity, Active: true}).Apply(&u, User{ID: 1, Admin: true}) == nil {
			if u.Capacity < 1 || u.Capacity > 100 || !u.Role.Valid() {
				t.Fatalf("accepted update %+v", u)
			}
		}
		if CheckPassword(password) == nil && (utf8.RuneCountInString(password) < MinPasswordLength || len(password) > 1000) {
			t.Fatalf("accepted password of %d bytes", len(password))
		}
	})
}

// A typed or uploaded rate is accepted only as a positive, finite number
// for a listed currency other than the reporting one, on a real day.
func FuzzRateInput(f *testing.F) {
	for _, s := range [][3]string{{"EUR", "1.0842", "2026-11-01"}, {"usd", "1", "2026-11-01"}, {"GBP", "NaN", "2026-02-30"}, {"JPY", "-1", "x"}, {"CHF", "1e400", "2026-01-01"}} {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, cur, rate, on string) {
		x, err := RateInput{Currency: cur, Rate: rate, EffectiveOn: on}.Parse("USD")
		if err != nil {
			return
		}
		if !ValidCurrency(x.Currency) || x.Currency == "USD" || !(x.Rate > 0 && x.Rate <= 1e6) || x.EffectiveOn.IsZero() || x.ToCurrency != "USD" {
			t.Fatalf("accepted %+v from %q %q %q", x, cur, rate, on)
		}
	})
}

// Whatever a session holds, reading an undo never panics, and what is
// written reads back the same.
func FuzzParseUndo(f *testing.F) {
	f.Add("offer|12|proposed|cleared|5|3|1764000000")
	f.Add("offer|12|cleared|reserved|5|3|1764000000|1763999000123456789|3|1763999000123456000")
	f.Add("|||||||")
	f.Add("saved_view|4|Won+%7C+lost|stage%3Dproposal|0|3|1764000000|0|0|0")
	f.Fuzz(func(t *testing.T, s string) {
		u, err := ParseUndo(s)
		if err != nil {
			return
		}
		if again, err := ParseUndo(u.String()); err != nil || again != u {
			t.Fatalf("%q read as %+v, written as %q, read back as %+v (%v)", s, u, u.String(), again, err)
		}
	})
}
