package web

import (
	"net/url"
	"strings"
	"testing"
)

// browserView is where a browser would go for a Location of p: it drops
// tabs and newlines and reads a backslash as a slash.
func browserView(p string) *url.URL {
	p = strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			return -1
		case r == '\\':
			return '/'
		}
		return r
	}, p)
	u, err := url.Parse(p)
	if err != nil {
		return &url.URL{Host: "unparseable"}
	}
	return u
}

var nextCorpus = []string{
	"/", "/deals/7", "/deals?stage=discovery&page=2", "/meetings/3#sync",
	"/\t/evil.example/x", "/%09/evil.example/x", "//evil.example", "/\\evil.example", "\\\\evil.example",
	"https://evil.example", "javascript:alert(1)", "/\n/evil.example", "/\r\n/evil.example", " /deals",
	"/\x00/evil", "/\x7f/evil", "/\\/evil.example", "http:/evil.example", "/.//evil.example", "",
	"/" + strings.Repeat("a", 5000),
}

func TestNextLeadsOnlyToThisSite(t *testing.T) {
	for _, p := range nextCorpus {
		got := localPath(p)
		if u := browserView(got); u.Scheme != "" || u.Host != "" || !strings.HasPrefix(got, "/") || len(got) > maxNext {
			t.Errorf("localPath(%q) = %q leaves the site", p, got)
		}
	}
	for p, want := range map[string]string{"/deals/7": "/deals/7", "/deals?stage=discovery": "/deals?stage=discovery",
		"/\t/evil.example/x": "/", "//evil.example": "/", "/\\evil.example": "/", "https://evil.example": "/"} {
		if got := localPath(p); got != want {
			t.Errorf("localPath(%q) = %q, want %q", p, got, want)
		}
	}
}

func FuzzLocalPath(f *testing.F) {
	for _, p := range nextCorpus {
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, p string) {
		got := localPath(p)
		if u := browserView(got); u.Scheme != "" || u.Host != "" || !strings.HasPrefix(got, "/") || strings.HasPrefix(u.Path, "//") || len(got) > maxNext {
			t.Fatalf("localPath(%q) = %q leaves the site", p, got)
		}
		if got != "/" && got != p {
			t.Fatalf("localPath(%q) = %q: a safe path is kept as it is", p, got)
		}
	})
}

func FuzzSpreadsheetSafe(f *testing.F) {
	for _, s := range []string{"=1+1", "+cmd", "-2", "@SUM(A1)", "\tx", "\rx", "Sofia Reyes", "", "'=already"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, cell string) {
		got := spreadsheetSafe([]string{cell})[0]
		if got != "" && strings.ContainsRune("=+-@\t\r", rune(got[0])) {
			t.Fatalf("%q stays a formula as %q", cell, got)
		}
		if got != cell && got != "'"+cell {
			t.Fatalf("%q became %q", cell, got)
		}
	})
}

func FuzzCalendarText(f *testing.F) {
	for _, s := range []string{"Security deep dive; keys", "a,b\\c", "line\r\nnext", "bare\rCR", "bare\nLF", strings.Repeat("é", 80), "\"quoted\""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		line := foldICS("SUMMARY:" + escapeICS(s))
		if !strings.HasSuffix(line, "\r\n") {
			t.Fatalf("no CRLF end: %q", line)
		}
		for _, l := range strings.Split(strings.TrimSuffix(line, "\r\n"), "\r\n") {
			if len(l) > 75 || strings.ContainsAny(l, "\r\n") {
				t.Fatalf("content line %q", l)
			}
		}
		if p := paramICS(s); strings.Count(p, `"`) != 2 || strings.ContainsAny(p, "\r\n") {
			t.Fatalf("parameter %q", p)
		}
	})
}
