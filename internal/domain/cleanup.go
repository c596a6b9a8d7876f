package domain

import (
	"strings"
	"unicode"
)

// legalSuffixes are the company forms a name may carry or not:
// "Northwind Logistics Ltd" is "Northwind Logistics".
var legalSuffixes = map[string]bool{
	"ltd": true, "limited": true, "llc": true, "llp": true, "inc": true, "incorporated": true, "corp": true,
	"corporation": true, "co": true, "company": true, "plc": true, "gmbh": true, "ag": true, "kg": true,
	"sa": true, "sas": true, "sarl": true, "srl": true, "spa": true, "bv": true, "nv": true, "oy": true,
	"ab": true, "as": true, "aps": true, "pty": true, "kk": true, "sl": true, "se": true, "lp": true,
}

// AccountKey is what two account names share when they name the same
// company: case, punctuation and legal suffixes ignored.
func AccountKey(name string) string {
	words := strings.FieldsFunc(strings.ToLower(name), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '&' })
	for len(words) > 1 && legalSuffixes[words[len(words)-1]] {
		words = words[:len(words)-1]
	}
	return strings.Join(words, " ")
}

// DomainKey is a website reduced to its host: "https://www.Northwind.com/"
// is "northwind.com".
func DomainKey(domain string) string {
	d := strings.ToLower(strings.TrimSpace(domain))
	if _, rest, ok := strings.Cut(d, "://"); ok {
		d = rest
	}
	d, _, _ = strings.Cut(d, "/")
	d, _, _ = strings.Cut(d, ":")
	d = strings.TrimPrefix(d, "www.")
	return strings.TrimSuffix(d, ".")
}

// SameCompany reports whether two accounts look like one company: the same
// name key, or the same domain.
func SameCompany(a, b Account) bool {
	if k := AccountKey(a.Name); k != "" && k == AccountKey(b.Name) {
		return true
	}
	d := DomainKey(a.Domain)
	return d != "" && d == DomainKey(b.Domain)
}
