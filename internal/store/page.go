package store

import "fmt"

// Page is one page of a list: which, and how long.
type Page struct {
	Number int // from 1
	Size   int
}

// DefaultPageSize is how many rows a list shows unless told otherwise.
const DefaultPageSize = 25

func (p Page) limit() int {
	if p.Size <= 0 || p.Size > 200 {
		return DefaultPageSize
	}
	return p.Size
}

func (p Page) offset() int {
	if p.Number < 1 {
		return 0
	}
	return (p.Number - 1) * p.limit()
}

// likePattern makes a case-insensitive substring pattern, escaping the
// wildcards a user may type.
func likePattern(q string) string {
	r := []rune{}
	for _, c := range q {
		if c == '%' || c == '_' || c == '\\' {
			r = append(r, '\\')
		}
		r = append(r, c)
	}
	return "%" + string(r) + "%"
}

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }
