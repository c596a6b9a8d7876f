package domain

import "strings"

// FieldChange is one field of an entity before and after a change: the
// unit of the deal timeline.
type FieldChange struct {
	Field string
	Old   string
	New   string
}

// Snapshot is an entity's fields as people read them, in display order.
type Snapshot []FieldChange // Old unused; New holds the value

// Created is a new entity's fields that have a value, written as the
// after summary of its "created" event (and as the before summary of a
// "deleted" one: the lines read the same either side).
func (s Snapshot) Created() string {
	var fields []FieldChange
	for _, f := range s {
		if f.New != "" {
			fields = append(fields, f)
		}
	}
	_, after := EncodeChanges(fields)
	return after
}

// Diff lists the fields whose values differ between two snapshots of the
// same entity, in the order of after.
func Diff(before, after Snapshot) []FieldChange {
	old := map[string]string{}
	for _, f := range before {
		old[f.Field] = f.New
	}
	var out []FieldChange
	for _, f := range after {
		if prev, ok := old[f.Field]; !ok || prev != f.New {
			out = append(out, FieldChange{Field: f.Field, Old: prev, New: f.New})
		}
	}
	return out
}

// EncodeChanges writes changes as the before and after summaries of an
// event: one "field: value" line per field, values on one line.
func EncodeChanges(cs []FieldChange) (before, after string) {
	var b, a strings.Builder
	for _, c := range cs {
		b.WriteString(c.Field + ": " + oneLine(c.Old) + "\n")
		a.WriteString(c.Field + ": " + oneLine(c.New) + "\n")
	}
	return strings.TrimSuffix(b.String(), "\n"), strings.TrimSuffix(a.String(), "\n")
}

// DecodeChanges reads what EncodeChanges wrote. Summaries that are not
// field lines come back as one change with an empty field.
func DecodeChanges(before, after string) []FieldChange {
	bs, as := lines(before), lines(after)
	var out []FieldChange
	for i := 0; i < max(len(bs), len(as)); i++ {
		var c FieldChange
		var bf, af string
		if i < len(bs) {
			bf, c.Old = splitField(bs[i])
		}
		if i < len(as) {
			af, c.New = splitField(as[i])
		}
		c.Field = af
		if af == "" {
			c.Field = bf
		}
		if bf != "" && af != "" && bf != af {
			c.Field, c.Old, c.New = "", bs[i], as[i]
		}
		out = append(out, c)
	}
	return out
}

func lines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

func splitField(line string) (field, value string) {
	f, v, ok := strings.Cut(line, ": ")
	if !ok || f == "" || strings.ContainsAny(f, " \t") {
		return "", line
	}
	return f, v
}

// oneLine folds a value onto one line and keeps it short enough for a
// timeline entry.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 200 {
		s = string(r[:199]) + "…"
	}
	return s
}
