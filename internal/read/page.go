package read

// Page is one page of a list: which, and how long.
type Page struct {
	Number int // from 1
	Size   int
	// Uncounted: the caller shows no total (a desk's short list with a
	// link to the rest), so the store need not count every match.
	Uncounted bool
}

// Top is the first n rows of a list, uncounted.
func Top(n int) Page { return Page{Number: 1, Size: n, Uncounted: true} }

// DefaultPageSize is how many rows a list shows unless told otherwise.
const DefaultPageSize = 25

// Limit is the number of rows a page holds.
func (p Page) Limit() int {
	if p.Size <= 0 || p.Size > 200 {
		return DefaultPageSize
	}
	return p.Size
}

// Offset is how many rows come before the page.
func (p Page) Offset() int {
	if p.Number < 1 {
		return 0
	}
	return (p.Number - 1) * p.Limit()
}
