package domain

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// How an export writes numbers and dates depends on where it was made:
// "1.234,56" in Germany, "1 234,56" in France, "1,234.56" in the US;
// "15/04/2027" in Europe, "4/15/2027" in the US. A file is read by one
// stated style of each. The style is guessed from the file's own values
// (a value only one style reads settles it); where the styles still left
// read a value differently ("1,200": 1200 or 1.2; "01/02/2027": the 1st
// of February or 2nd of January) the person chooses, and nothing is
// imported before.

// NumberStyle is how a file writes numbers: the mark between thousands
// and the mark before decimals, named by an example.
type NumberStyle string

const (
	NumbersDotDecimal   NumberStyle = "1,234.56"
	NumbersCommaDecimal NumberStyle = "1.234,56"
	NumbersSpaceGrouped NumberStyle = "1 234,56"
)

// NumberStyles are the number styles a file may be read in.
var NumberStyles = []NumberStyle{NumbersDotDecimal, NumbersCommaDecimal, NumbersSpaceGrouped}

// Valid reports whether s is a known number style.
func (s NumberStyle) Valid() bool { return oneOf(s, NumberStyles) }

// Label is the style for people.
func (s NumberStyle) Label() string {
	switch s {
	case NumbersDotDecimal:
		return "1,234.56 (commas between thousands, a dot before decimals)"
	case NumbersCommaDecimal:
		return "1.234,56 (dots between thousands, a comma before decimals)"
	case NumbersSpaceGrouped:
		return "1 234,56 (spaces between thousands, a comma before decimals)"
	}
	return string(s)
}

// groupSpace reports a space written between thousands: a plain space,
// a no-break space or a narrow no-break space (French spreadsheets).
func groupSpace(r rune) bool { return r == ' ' || r == '\u00a0' || r == '\u202f' }

// Read reads a number written in the style: "125,000.00" is "125000.00"
// (digits, and a dot before decimals, as forms take amounts). Thousands
// are grouped by three or not at all; false for anything else.
func (s NumberStyle) Read(v string) (string, bool) {
	v = strings.TrimSpace(v)
	var decimal rune
	var group func(rune) bool
	switch s {
	case NumbersDotDecimal:
		decimal, group = '.', func(r rune) bool { return r == ',' }
	case NumbersCommaDecimal:
		decimal, group = ',', func(r rune) bool { return r == '.' }
	case NumbersSpaceGrouped:
		decimal, group = ',', groupSpace
	default:
		return "", false
	}
	sign := ""
	if rest, ok := strings.CutPrefix(v, "-"); ok {
		sign, v = "-", rest
	}
	whole, frac, hasFrac := strings.Cut(v, string(decimal))
	if hasFrac && !allDigits(frac) {
		return "", false
	}
	groups := []string{whole}
	if strings.ContainsFunc(whole, group) {
		groups = nil
		var g strings.Builder
		for _, r := range whole {
			if group(r) {
				groups = append(groups, g.String())
				g.Reset()
				continue
			}
			g.WriteRune(r)
		}
		groups = append(groups, g.String())
	}
	for i, g := range groups {
		// An empty group is a mark leading, trailing or doubled.
		if !allDigits(g) || len(groups) > 1 && (i == 0 && len(g) > 3 || i > 0 && len(g) != 3) {
			return "", false
		}
	}
	out := sign + strings.Join(groups, "")
	if hasFrac {
		out += "." + frac
	}
	return out, true
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// currencySigns are the signs beside an amount that name one currency.
// "¥" (yen or yuan) and "kr" (three kronor) are not among them.
var currencySigns = map[string]string{
	"€": "EUR", "$": "USD", "US$": "USD", "£": "GBP", "C$": "CAD", "CA$": "CAD", "A$": "AUD", "AU$": "AUD",
	"NZ$": "NZD", "S$": "SGD", "R$": "BRL", "₹": "INR", "zł": "PLN", "Fr.": "CHF",
}

// amountParts splits an amount as files write it ("€ 1 200", "USD
// 125,000.00", "9.000 €", "$9,000") into its number and the currency its
// sign or ISO code names ("" when none). A sign or code it does not know
// is an error that says so.
var amountParts = regexp.MustCompile(`^([^\d\s.,-]*)\s*(-?[\d\s\x{00a0}\x{202f}.,]*\d)\s*([^\d\s.,-]*)$`)

// SplitAmount is an amount's number and the currency written beside it.
func SplitAmount(v string) (number, currency string, err error) {
	v = strings.TrimSpace(v)
	m := amountParts.FindStringSubmatch(v)
	if m == nil || (m[1] != "" && m[3] != "") {
		return "", "", fmt.Errorf("“%s” is not an amount", v)
	}
	sign := m[1] + m[3]
	if sign == "" {
		return m[2], "", nil
	}
	if c, ok := currencySigns[sign]; ok {
		return m[2], c, nil
	}
	if code := strings.ToUpper(sign); ValidCurrency(code) {
		return m[2], code, nil
	}
	return "", "", fmt.Errorf("“%s” does not say which currency: write an ISO code such as EUR or USD beside the amount, or use the currency column", sign)
}

// DateStyle is the order a file writes a date's day, month and year in.
type DateStyle string

const (
	DatesYearFirst  DateStyle = "ymd"
	DatesDayFirst   DateStyle = "dmy"
	DatesMonthFirst DateStyle = "mdy"
)

// DateStyles are the date styles a file may be read in.
var DateStyles = []DateStyle{DatesYearFirst, DatesDayFirst, DatesMonthFirst}

// Valid reports whether s is a known date style.
func (s DateStyle) Valid() bool { return oneOf(s, DateStyles) }

// Label is the style for people.
func (s DateStyle) Label() string {
	switch s {
	case DatesYearFirst:
		return "year-month-day (2027-04-15)"
	case DatesDayFirst:
		return "day/month/year (15/04/2027)"
	case DatesMonthFirst:
		return "month/day/year (4/15/2027)"
	}
	return string(s)
}

var (
	numericDate  = regexp.MustCompile(`^(\d{1,4})([./-])(\d{1,2})([./-])(\d{1,4})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[AaPp][Mm])?(?:Z|[+-]\d{2}:?\d{2})?)?$`)
	dayMonthName = regexp.MustCompile(`^(\d{1,2})[ -]([A-Za-z]{3,9})\.?[ -]?,?\s*(\d{4})$`)
	monthNameDay = regexp.MustCompile(`^([A-Za-z]{3,9})\.? (\d{1,2}),? (\d{4})$`)
)

// Read reads a date written in the style as a form's date, 2027-04-15
// ("" for ""). A date with its year first (2027-04-15, with or without a
// time after it) and a date naming its month ("15 Apr 2027", "April 15,
// 2027") read alike in every style; "15/04/2027" reads only day first,
// "04/15/2027" only month first. A two-digit year is not read.
func (s DateStyle) Read(v string) (string, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", true
	}
	if !s.Valid() {
		return "", false
	}
	var y, m, d int
	if len(v) >= 10 && v[4] == '-' && v[7] == '-' && (len(v) == 10 || v[10] == ' ' || v[10] == 'T') && allDigits(v[:4]+v[5:7]+v[8:10]) {
		// The exports' own year-first form, read without the patterns below.
		y, m, d = atoi(v[:4]), atoi(v[5:7]), atoi(v[8:10])
		if len(v) > 10 && !numericDate.MatchString(v) {
			return "", false
		}
	} else if p := numericDate.FindStringSubmatch(v); p != nil {
		a, b, c := atoi(p[1]), atoi(p[3]), atoi(p[5])
		switch {
		case len(p[1]) == 4 && len(p[5]) <= 2 && p[2] == p[4]:
			y, m, d = a, b, c
		case len(p[5]) == 4 && len(p[1]) <= 2 && p[2] == p[4] && s == DatesDayFirst:
			y, m, d = c, b, a
		case len(p[5]) == 4 && len(p[1]) <= 2 && p[2] == p[4] && s == DatesMonthFirst:
			y, m, d = c, a, b
		default:
			return "", false
		}
	} else if p := dayMonthName.FindStringSubmatch(v); p != nil {
		y, m, d = atoi(p[3]), monthNamed(p[2]), atoi(p[1])
	} else if p := monthNameDay.FindStringSubmatch(v); p != nil {
		y, m, d = atoi(p[3]), monthNamed(p[1]), atoi(p[2])
	} else {
		return "", false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if m < 1 || m > 12 || t.Day() != d || y < 1000 {
		return "", false
	}
	return t.Format(DateLayout), true
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// monthNamed is a month's number from its English name or its first
// three letters; 0 for anything else.
func monthNamed(name string) int {
	name = strings.ToLower(name)
	for m := time.January; m <= time.December; m++ {
		full := strings.ToLower(m.String())
		if name == full || (len(name) >= 3 && strings.HasPrefix(full, name)) {
			return int(m)
		}
	}
	return 0
}

// Guess is what a file's values say of its style: the styles that read
// them (each value in turn rules out the styles that cannot read it,
// unless none can: that value fails on its own), the value that ruled
// the last ones out, and the first value the styles left read
// differently: then the file does not say, and the person chooses.
type Guess[S ~string] struct {
	Styles    []S
	SettledBy string
	Differs   string
}

// Settled reports whether the file says its style.
func (g Guess[S]) Settled() bool { return g.Differs == "" }

// Style is the style the file says, or "" when it does not.
func (g Guess[S]) Style() S {
	if !g.Settled() || len(g.Styles) == 0 {
		return ""
	}
	return g.Styles[0]
}

// reader reads a value in a style.
type reader[S ~string] func(S, string) (string, bool)

// GuessNumbers guesses a file's number style from its amounts (a
// currency sign beside them is no matter).
func GuessNumbers(amounts []string) Guess[NumberStyle] {
	numbers := make([]string, len(amounts))
	for i, v := range amounts {
		numbers[i], _, _ = SplitAmount(v) // "" for no amount: it settles nothing
	}
	g := guess(NumberStyles, numbers, NumberStyle.Read)
	asWritten := func(v string) string { // the amount as the file writes it
		for i, n := range numbers {
			if v != "" && strings.TrimSpace(n) == v {
				return strings.TrimSpace(amounts[i])
			}
		}
		return v
	}
	g.SettledBy, g.Differs = asWritten(g.SettledBy), asWritten(g.Differs)
	return g
}

// GuessDates guesses a file's date style from its dates.
func GuessDates(dates []string) Guess[DateStyle] {
	return guess(DateStyles, dates, DateStyle.Read)
}

func guess[S ~string](all []S, values []string, read reader[S]) Guess[S] {
	g := Guess[S]{Styles: all}
	for _, v := range values {
		if strings.TrimSpace(v) == "" {
			continue
		}
		var can []S
		for _, s := range g.Styles {
			if _, ok := read(s, v); ok {
				can = append(can, s)
			}
		}
		if len(can) > 0 && len(can) < len(g.Styles) {
			g.Styles, g.SettledBy = can, strings.TrimSpace(v)
		}
	}
	for _, v := range values {
		if _, _, differ := ReadIn(g.Styles, v, read); differ {
			g.Differs = strings.TrimSpace(v)
			break
		}
	}
	return g
}

// ReadIn reads v in each of styles: its reading when those that read it
// agree, and whether any read it; differ when they read it differently.
func ReadIn[S ~string](styles []S, v string, read func(S, string) (string, bool)) (out string, ok, differ bool) {
	for _, s := range styles {
		r, can := read(s, v)
		switch {
		case !can:
		case !ok:
			out, ok = r, true
		case r != out:
			return "", false, true
		}
	}
	return out, ok, false
}

// PersonKey compares people's names as files write them: without case,
// spaces or punctuation, and "Smith, John" as "John Smith".
func PersonKey(name string) string {
	name = strings.TrimSpace(name)
	if last, first, ok := strings.Cut(name, ","); ok && !strings.Contains(first, ",") && strings.TrimSpace(first) != "" {
		name = first + " " + last
	}
	return strings.Join(strings.FieldsFunc(strings.ToLower(name), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }), " ")
}
