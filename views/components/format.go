// Package components holds the pieces pages are built from: form fields,
// badges, the pager, and how times and amounts are written.
package components

import (
	"fmt"
	"math"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"
	"github.com/presale/presale/internal/domain"
)

// DateTime writes an instant in the viewer's zone: "Thu 26 Nov 2026, 14:30".
func DateTime(t time.Time, loc *time.Location) string {
	return t.In(loc).Format("Mon 2 Jan 2006, 15:04")
}

// Time writes the clock time in the viewer's zone.
func Time(t time.Time, loc *time.Location) string { return t.In(loc).Format("15:04") }

// Date writes a calendar date: "26 Nov 2026"; empty for none.
func Date(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format("2 Jan 2006")
}

// DayHeading names a day in the viewer's zone: "Thursday 26 November".
func DayHeading(t time.Time, loc *time.Location) string {
	return t.In(loc).Format("Monday 2 January 2006")
}

// FormLocal writes an instant for a datetime-local input in the zone.
func FormLocal(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	return t.In(loc).Format("2006-01-02T15:04")
}

// Humanize turns a snake_case code into words: "closed_won" → "Closed won".
func Humanize(code string) string {
	s := strings.ReplaceAll(code, "_", " ")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// ID writes a database id for a URL or a form value.
func ID(id int64) string { return strconv.FormatInt(id, 10) }

// Path joins a path and an id: Path("/deals/", 7) = "/deals/7".
func Path(prefix string, id int64, suffix ...string) string {
	return prefix + strconv.FormatInt(id, 10) + strings.Join(suffix, "")
}

// Plural writes "1 deal" or "3 deals".
func Plural(n int64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return Count(n) + " " + many
}

// Singular is one of a plural noun: "deliveries" → "delivery", "deals"
// → "deal".
func Singular(plural string) string {
	if strings.HasSuffix(plural, "ies") {
		return strings.TrimSuffix(plural, "ies") + "y"
	}
	return strings.TrimSuffix(plural, "s")
}

// Count writes a number with its thousands grouped: 10,000.
func Count(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		return "-" + s
	}
	return s
}

// WithQuery returns base with one query value changed (removed when
// empty), keeping the others: how pager and filter links keep the view.
func WithQuery(base string, q url.Values, key, value string) string {
	v := url.Values{}
	for k, vs := range q {
		v[k] = append([]string(nil), vs...)
	}
	if value == "" {
		v.Del(key)
	} else {
		v.Set(key, value)
	}
	if e := v.Encode(); e != "" {
		return base + "?" + e
	}
	return base
}

// Current marks the chosen entry of a set of filter tabs for people and
// screen readers alike (aria-current="true"); the others get nothing.
func Current(chosen bool) templ.Attributes {
	if chosen {
		return templ.Attributes{"aria-current": "true"}
	}
	return templ.Attributes{}
}

// WithoutPage is a copy of the query without its page number: a new order
// or a saved view starts at the first page.
func WithoutPage(q url.Values) url.Values {
	out := url.Values{}
	for k, v := range q {
		if k != "page" {
			out[k] = v
		}
	}
	return out
}

// DateOf writes a date typed or stored as YYYY-MM-DD as people read it:
// "14 Sep 2026"; anything else comes back as it was.
func DateOf(iso string) string {
	d, err := time.Parse("2006-01-02", iso)
	if err != nil {
		return iso
	}
	return d.Format("2 Jan 2006")
}

// DateTimeIn writes an instant in the viewer's zone with the zone's name:
// "Wed 16 Dec 2026, 15:00 (Europe/London)".
func DateTimeIn(t time.Time, loc *time.Location) string {
	return DateTime(t, loc) + " (" + loc.String() + ")"
}

// storedInstant is how the timeline's summaries record an instant.
const storedInstant = "2006-01-02 15:04 UTC"

// ChangeValue is a value of a timeline entry's field as people read it:
// a code's label (domain.ValueLabel), an instant in the viewer's zone, a
// date in words; anything else as written.
func ChangeValue(field, value string, loc *time.Location) string {
	if t, err := time.Parse(storedInstant, value); err == nil {
		return DateTimeIn(t, loc)
	}
	if _, err := time.Parse("2006-01-02", value); err == nil {
		return DateOf(value)
	}
	return domain.ValueLabel(field, value)
}

// Rate writes an exchange rate without a float's noise: the shortest
// decimal of its first ten significant digits, 1.12548 rather than
// 1.1254799999999998.
func Rate(x float64) string {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 10, 64), 64)
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// Compact writes a summed amount at a glance: "443.8 M USD", "12.3 k EUR";
// under ten thousand it is exact. The exact figure goes beside it (Exact,
// Decimal) for a title, a data value and the CSV.
func Compact(minor int64, currency string) string {
	major := float64(minor) / 100
	if math.Abs(major) < 1e4 {
		return domain.FormatAmount(minor, currency)
	}
	n, unit := major/1e3, "k"
	// 999,960 rounds to 1,000.0 k: it is written 1 M.
	for _, next := range []string{"M", "B"} {
		if math.Abs(math.Round(n*10)/10) < 1000 {
			break
		}
		n, unit = n/1e3, next
	}
	s := strconv.FormatFloat(math.Round(n*10)/10, 'f', 1, 64)
	return strings.TrimSuffix(s, ".0") + " " + unit + " " + currency
}

// Decimal writes minor units as a plain decimal of major ones, for a
// machine: "443752164.12".
func Decimal(minor int64) string {
	sign := ""
	if minor < 0 {
		sign, minor = "-", -minor
	}
	return fmt.Sprintf("%s%d.%02d", sign, minor/100, minor%100)
}
