package store

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
