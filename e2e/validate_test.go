package e2e

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/presale/presale/db/seed"
	"github.com/presale/presale/internal/testenv"
)

// htmlValidate is html-validate from npm, installed by `.ci/deps test`
// (npm ci in e2e/htmlvalidate).
func htmlValidate(t *testing.T) string {
	t.Helper()
	bin, _ := filepath.Abs("htmlvalidate/node_modules/.bin/html-validate")
	if _, err := os.Stat(bin); err != nil {
		if testenv.CI() {
			t.Fatal("html-validate is required in CI: npm ci --prefix e2e/htmlvalidate")
		}
		t.Skip("html-validate not installed here: npm ci --prefix e2e/htmlvalidate")
	}
	return bin
}

// signedInClient signs a plain HTTP client in, as a browser without
// JavaScript would.
func signedInClient(t *testing.T, base, email string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	resp, err := c.Get(base + "/login")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := regexp.MustCompile(`name="_csrf" value="([^"]+)"`).FindSubmatch(body)
	if m == nil {
		t.Fatal("no CSRF token on the sign-in page")
	}
	resp, err = c.PostForm(base+"/login", url.Values{"_csrf": {string(m[1])}, "email": {email}, "password": {seed.DemoPassword}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return c
}

// Every page of every role is valid HTML by html-validate's recommended
// rules: no duplicate ids, every control labelled, no misplaced elements.
func TestPagesAreValidHTML(t *testing.T) {
	bin := htmlValidate(t)
	base := demoServer(t)
	dir := t.TempDir()
	var files []string
	pages := map[string][]string{"anonymous": {"/login"}}
	for who, ps := range rolePages {
		for _, p := range ps {
			pages[who] = append(pages[who], p.path)
		}
	}
	pages["manager@demo.test"] = append(pages["manager@demo.test"], "/coverage?from=2026-01-01", "/deals?page=2", "/meetings/2", "/meetings/2/brief", "/offers/review", "/promises/1", "/questions/1", "/support-requests/1", "/contacts/1", "/accounts/1/edit", "/contacts/1/edit", "/meetings/2/edit", "/tasks/1/edit", "/notifications", "/nope",
		"/support?overdue=1", "/offers/review?status=reserved&from=2026-01-01&to=2026-12-31", "/meetings?days=14&sync=stale", "/promises?feasibility=at_risk&status=open", "/deals?status=open&assigned=5", "/contacts", "/contacts?q=north")
	for who, paths := range pages {
		c := &http.Client{}
		if who != "anonymous" {
			c = signedInClient(t, base, who)
		}
		for _, p := range paths {
			resp, err := c.Get(base + p)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			name := filepath.Join(dir, fmt.Sprintf("%s%s.html", strings.Split(who, "@")[0], strings.NewReplacer("/", "_", "?", "_", "=", "_", "&", "_").Replace(p)))
			if err := os.WriteFile(name, body, 0o644); err != nil {
				t.Fatal(err)
			}
			files = append(files, name)
		}
	}
	validHTML(t, bin, dir, files)
}

// validHTML runs html-validate on the pages saved in files and fails the
// test for each error it finds.
func validHTML(t *testing.T, bin, dir string, files []string) {
	t.Helper()
	// The report goes to a file: node may exit before a large stdout drains.
	report := filepath.Join(dir, "report.json")
	cmd := exec.Command(bin, append([]string{"--config", "htmlvalidate/.htmlvalidate.json", "--formatter", "json=" + report}, files...)...)
	_, err := cmd.Output()
	out, _ := os.ReadFile(report)
	var results []struct {
		FilePath string `json:"filePath"`
		Messages []struct {
			RuleID   string `json:"ruleId"`
			Severity int    `json:"severity"`
			Message  string `json:"message"`
			Line     int    `json:"line"`
			Selector string `json:"selector"`
		} `json:"messages"`
	}
	if jerr := json.Unmarshal(out, &results); jerr != nil {
		t.Fatalf("html-validate: %v %v\n%s", err, jerr, out)
	}
	errors := 0
	for _, r := range results {
		for _, m := range r.Messages {
			if m.Severity == 2 {
				errors++
				t.Errorf("%s:%d %s: %s (%s)", filepath.Base(r.FilePath), m.Line, m.RuleID, m.Message, m.Selector)
			}
		}
	}
	t.Logf("%d pages checked by html-validate, %d errors", len(files), errors)
}
