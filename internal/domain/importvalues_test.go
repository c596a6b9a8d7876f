package domain_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/presale/presale/internal/domain"
)

// unread is a reading no style gives.
const unread = "✗"

// readsAs checks each style's reading of in: want, or unread.
func readsAs[S ~string](t *testing.T, in string, read func(S, string) (string, bool), want map[S]string) {
	t.Helper()
	for style, w := range want {
		got, ok := read(style, in)
		if !ok {
			got = unread
		}
		if got != w {
			t.Errorf("%q in %s: %q, want %q", in, style, got, w)
		}
	}
}

// Each number style reads what it writes, grouped by three or not at all,
// and nothing else.
func TestNumberStylesReadTheirOwn(t *testing.T) {
	const no = unread
	for _, c := range []struct {
		in                string
		dot, comma, space string // each style's reading, or no
	}{
		{"120,000", "120000", "120.000", "120.000"},
		{"125,000.00", "125000.00", no, no},
		{"1.234,56", no, "1234.56", no},
		{"1 200", no, no, "1200"},
		{"1\u00a0234,56", no, no, "1234.56"},
		{"1\u202f234", no, no, "1234"},
		{"120000", "120000", "120000", "120000"},
		{"125000.5", "125000.5", no, no},
		{"12,5", no, "12.5", "12.5"},
		{"1,234,567.89", "1234567.89", no, no},
		{"1.234.567", no, "1234567", no},
		{"-1,200.50", "-1200.50", no, no},
		{"1,2345", no, "1.2345", "1.2345"},
		{"12,34,567", no, no, no}, // Indian grouping is not a style here
		{",500", no, no, no},
		{"1,", no, no, no},
		{"1,,000", no, no, no},
		{"1.2.3", no, no, no},
		{"1 2", no, no, no},
		{"abc", no, no, no},
		{"", no, no, no},
		{"1e6", no, no, no},
		{"١٢", no, no, no},
	} {
		readsAs(t, c.in, domain.NumberStyle.Read, map[domain.NumberStyle]string{domain.NumbersDotDecimal: c.dot, domain.NumbersCommaDecimal: c.comma, domain.NumbersSpaceGrouped: c.space})
	}
}

// The currency beside an amount is read when its sign or code names one
// currency; a sign that could be several, or an unknown code, is said.
func TestAmountsSayTheirCurrency(t *testing.T) {
	for _, c := range []struct{ in, number, currency, fails string }{
		{"€ 1 200", "1 200", "EUR", ""},
		{"1.234,56 €", "1.234,56", "EUR", ""},
		{"$9,000", "9,000", "USD", ""},
		{"USD 125,000.00", "125,000.00", "USD", ""},
		{"125000 eur", "125000", "EUR", ""},
		{"£12", "12", "GBP", ""},
		{"CA$ 5", "5", "CAD", ""},
		{"120,000", "120,000", "", ""},
		{"¥ 5000", "", "", "does not say which currency"},
		{"XYZ 100", "", "", "does not say which currency"},
		{"$ 100 USD", "", "", "not an amount"},
		{"call me", "", "", "not an amount"},
		{"", "", "", "not an amount"},
	} {
		n, cur, err := domain.SplitAmount(c.in)
		if c.fails != "" {
			if err == nil || !strings.Contains(err.Error(), c.fails) {
				t.Errorf("%q: %v, want %q", c.in, err, c.fails)
			}
			continue
		}
		if err != nil || n != c.number || cur != c.currency {
			t.Errorf("%q: %q %q %v", c.in, n, cur, err)
		}
	}
}

// Dates with their year first, or naming their month, read alike in
// every style; "15/04/2027" only day first, "4/15/2027" only month first;
// impossible dates and two-digit years not at all.
func TestDateStylesReadTheirOwn(t *testing.T) {
	const no = unread
	for _, c := range []struct{ in, ymd, dmy, mdy string }{
		{"2027-04-15", "2027-04-15", "2027-04-15", "2027-04-15"},
		{"2027-03-31 00:00", "2027-03-31", "2027-03-31", "2027-03-31"},
		{"2027-03-31T09:30:00Z", "2027-03-31", "2027-03-31", "2027-03-31"},
		{"15/04/2027", no, "2027-04-15", no},
		{"4/15/2027", no, no, "2027-04-15"},
		{"4/15/2027 5:00 PM", no, no, "2027-04-15"},
		{"01/02/2027", no, "2027-02-01", "2027-01-02"},
		{"15.04.2027", no, "2027-04-15", no},
		{"15 Apr 2027", "2027-04-15", "2027-04-15", "2027-04-15"},
		{"April 15, 2027", "2027-04-15", "2027-04-15", "2027-04-15"},
		{"", "", "", ""},
		{"31/02/2027", no, no, no},
		{"2027-13-01", no, no, no},
		{"15/04/27", no, no, no},
		{"15/04-2027", no, no, no},
		{"someday", no, no, no},
		{"15 Foo 2027", no, no, no},
	} {
		readsAs(t, c.in, domain.DateStyle.Read, map[domain.DateStyle]string{domain.DatesYearFirst: c.ymd, domain.DatesDayFirst: c.dmy, domain.DatesMonthFirst: c.mdy})
	}
}

// A file's style is guessed from its values: one value only one style
// reads settles it; a file whose values read two ways is not guessed.
func TestTheFileSaysItsStyleOrThePersonChooses(t *testing.T) {
	for _, c := range []struct {
		amounts   []string
		style     domain.NumberStyle // "" when the person must choose
		settledBy string
	}{
		{[]string{"120,000", "125,000.00"}, domain.NumbersDotDecimal, "125,000.00"},
		{[]string{"1.234,56", "120.000"}, domain.NumbersCommaDecimal, "1.234,56"},
		{[]string{"€ 1 200", "5 000,50"}, domain.NumbersSpaceGrouped, "€ 1 200"},
		{[]string{"1,200"}, "", ""},
		{[]string{"120,000", "7,500"}, "", ""},
		{[]string{"120000", "5000"}, domain.NumbersDotDecimal, ""}, // every style reads them alike: nothing to ask
		{[]string{"1,5", "120.000"}, domain.NumbersCommaDecimal, "120.000"},
		{[]string{"nonsense", "125,000.00"}, domain.NumbersDotDecimal, "125,000.00"}, // a value no style reads fails on its own
		{[]string{"1.234,56", "1,234.56"}, domain.NumbersCommaDecimal, "1.234,56"},   // mixed: the second fails on its own
	} {
		g := domain.GuessNumbers(c.amounts)
		if g.Style() != c.style || (c.style != "" && g.SettledBy != c.settledBy) || g.Settled() != (c.style != "") {
			t.Errorf("%q: %+v, want %q settled by %q", c.amounts, g, c.style, c.settledBy)
		}
	}
	if g := domain.GuessNumbers([]string{"1,200", "900"}); g.Differs != "1,200" {
		t.Errorf("the value read two ways: %q", g.Differs)
	}
	for _, c := range []struct {
		dates []string
		style domain.DateStyle
	}{
		{[]string{"01/02/2027", "15/04/2027"}, domain.DatesDayFirst},
		{[]string{"4/15/2027", "01/02/2027"}, domain.DatesMonthFirst},
		{[]string{"01/02/2027", "03/04/2027"}, ""},
		{[]string{"2027-03-31 00:00", "2027-04-01"}, domain.DatesYearFirst},
		{[]string{"2027-03-31", "15/04/2027"}, domain.DatesDayFirst},
		{[]string{"", "12/12/2027"}, domain.DatesDayFirst}, // the same either way
	} {
		if g := domain.GuessDates(c.dates); g.Style() != c.style {
			t.Errorf("%q: %+v, want %q", c.dates, g, c.style)
		}
	}
}

// Owners are matched by name as people write them.
func TestPersonKey(t *testing.T) {
	keys := []string{domain.PersonKey("John Smith"), domain.PersonKey("  john  SMITH "), domain.PersonKey("Smith, John"), domain.PersonKey("John-Smith")}
	if one := slices.Compact(slices.Clone(keys)); len(one) != 1 || one[0] != "john smith" {
		t.Errorf("keys: %q", keys)
	}
	if domain.PersonKey("John Smithson") == domain.PersonKey("John Smith") {
		t.Error("a longer name matched")
	}
}

// Reading never panics, and a reading is always a plain decimal the
// deal form takes.
func FuzzReadAmount(f *testing.F) {
	for _, s := range []string{"120,000", "125,000.00", "1.234,56", "€ 1 200", "$", "-", "1,", ",1", "1 ,2", "\u00a0", "US$1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, _, err := domain.SplitAmount(s)
		if err != nil {
			return
		}
		for _, st := range domain.NumberStyles {
			if v, ok := st.Read(n); ok && !plainDecimal(v) {
				t.Fatalf("%q in %s read as %q", s, st, v)
			}
		}
	})
}

func plainDecimal(v string) bool {
	v = strings.TrimPrefix(v, "-")
	whole, frac, has := strings.Cut(v, ".")
	digits := func(s string) bool { return s != "" && strings.Trim(s, "0123456789") == "" }
	return digits(whole) && (!has || digits(frac))
}

// Reading a date never panics, and a reading is a real day as forms
// write it, the same in every style that reads it when the year is first.
func FuzzReadDate(f *testing.F) {
	for _, s := range []string{"2027-04-15", "15/04/2027", "4/15/2027 5:00 PM", "2027-03-31T09:30:00Z", "15 Apr 2027", "April 15, 2027", "0000-00-00", "99/99/9999", "2027-02-29"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, st := range domain.DateStyles {
			v, ok := st.Read(s)
			if !ok || v == "" {
				continue
			}
			if _, err := time.Parse(domain.DateLayout, v); err != nil {
				t.Fatalf("%q in %s read as %q", s, st, v)
			}
		}
	})
}
