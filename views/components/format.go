// Package components holds the pieces pages are built from: form fields,
// badges, the pager, and how times and amounts are written.
package components

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"
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
