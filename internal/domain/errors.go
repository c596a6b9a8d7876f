// Package domain holds presale's entities, their state machines and the
// permission policy. It is pure Go: no storage, no HTTP.
package domain

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Sentinel errors carry the meaning of a refusal; the web layer alone maps
// them to HTTP statuses.
var (
	ErrNotFound     = errors.New("not found")
	ErrForbidden    = errors.New("not allowed")
	ErrConflict     = errors.New("conflict")
	ErrUnauthorized = errors.New("sign-in required")
)

// ConflictError is a refusal because of the current state: a stale version,
// a transition the lifecycle does not allow, a full capacity. It wraps
// ErrConflict and says why in words a user understands.
type ConflictError struct{ Reason string }

func (e *ConflictError) Error() string { return e.Reason }
func (e *ConflictError) Unwrap() error { return ErrConflict }

// Conflictf builds a ConflictError.
func Conflictf(format string, args ...any) error {
	return &ConflictError{Reason: fmt.Sprintf(format, args...)}
}

// ForbiddenError is a refusal because of who is asking.
type ForbiddenError struct{ Reason string }

func (e *ForbiddenError) Error() string { return e.Reason }
func (e *ForbiddenError) Unwrap() error { return ErrForbidden }

// Forbiddenf builds a ForbiddenError.
func Forbiddenf(format string, args ...any) error {
	return &ForbiddenError{Reason: fmt.Sprintf(format, args...)}
}

// ValidationErrors maps a form field (snake_case, as in the forms) to what
// is wrong with it.
type ValidationErrors map[string]string

func (v ValidationErrors) Error() string {
	fields := make([]string, 0, len(v))
	for f := range v {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	parts := make([]string, len(fields))
	for i, f := range fields {
		parts[i] = f + ": " + v[f]
	}
	return "invalid input: " + strings.Join(parts, "; ")
}

// Add records a message for a field, keeping the first one.
func (v ValidationErrors) Add(field, msg string) {
	if _, ok := v[field]; !ok {
		v[field] = msg
	}
}

// Limits of free text: a line (a name, a title, a trigger) and a body
// (notes, an agenda, an answer). Nothing typed may grow a page without end.
const (
	MaxLine = 200
	MaxBody = 10000
)

// Line is a one-line field (a name, a title, a trigger) as it is kept:
// trimmed, each run of spaces, tabs and line breaks (CR, LF, U+2028…) one
// space, control characters gone, so what was typed never becomes a second
// line of a header, a CSV row, a log entry or a list.
func Line(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) && !unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// Fit records a message for field if value is longer than max characters.
func (v ValidationErrors) Fit(field, value string, max int) {
	if n := utf8.RuneCountInString(value); n > max {
		v.Add(field, fmt.Sprintf("Keep this under %d characters; it has %d.", max, n))
	}
}

// Err returns v as an error, or nil when there is nothing wrong.
func (v ValidationErrors) Err() error {
	if len(v) == 0 {
		return nil
	}
	return v
}
