// Package layers holds the test that keeps presale's layers apart: each
// package imports only what docs/ARCHITECTURE.md says it may.
package layers

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

const module = "github.com/presale/presale/"

// forbidden lists, per package (a prefix of its path below the module),
// what it must not import directly.
var forbidden = map[string][]string{
	"internal/domain":        {module, "gorm.io/", "github.com/labstack/"},
	"internal/read":          {module + "internal/store", module + "internal/service", module + "web", module + "views", "gorm.io/"},
	"internal/store":         {module + "internal/service", module + "web", module + "views"},
	"internal/service":       {module + "web", module + "views", "gorm.io/", "github.com/labstack/"},
	"views":                  {module + "internal/store", module + "internal/service", module + "web", module + "db", "gorm.io/"},
	"web":                    {module + "internal/store", module + "db", "gorm.io/"},
	"db":                     {module + "internal/service", module + "web", module + "views"},
	"internal/jobs":          {module + "internal/store", module + "web", module + "views"},
	"internal/mail":          {module + "internal/store", module + "web", module + "views", module + "db", "gorm.io/"},
	"internal/companysignin": {module + "internal/store", module + "internal/service", module + "web", module + "views", module + "db", "gorm.io/"},
}

func TestEachLayerImportsOnlyBelowIt(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}} {{join .Imports " "}}`, module+"...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	checked := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg := strings.TrimPrefix(fields[0], module)
		for layer, bans := range forbidden {
			if pkg != layer && !strings.HasPrefix(pkg, layer+"/") {
				continue
			}
			checked++
			for _, imp := range fields[1:] {
				for _, ban := range bans {
					if strings.HasPrefix(imp, ban) && !(ban == module && strings.HasPrefix(imp, module+layer)) {
						t.Errorf("%s imports %s, above or beside its layer", pkg, imp)
					}
				}
			}
		}
	}
	if checked < 8 {
		t.Fatalf("only %d packages checked", checked)
	}
}

// secretHolders are the domain records that carry a secret (a password
// hash, calendar and unsubscribe tokens, a webhook's signing secrets, a
// token's hash). Templates take view models (read.Person, read.Endpoint…)
// made from them instead, so no page can print one by mistake.
var secretHolders = []string{"domain.User", "domain.WebhookEndpoint", "domain.APIToken"}

func TestNoTemplateIsGivenARecordWithASecret(t *testing.T) {
	files, err := filepath.Glob("../../views/*/*")
	if err != nil || len(files) == 0 {
		t.Fatalf("no views: %v", err)
	}
	checked := 0
	for _, f := range files {
		if !strings.HasSuffix(f, ".templ") && !(strings.HasSuffix(f, ".go") && !strings.HasSuffix(f, "_templ.go")) {
			continue
		}
		body, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		checked++
		for _, h := range secretHolders {
			if regexp.MustCompile(`\b` + regexp.QuoteMeta(h) + `\b`).Match(body) {
				t.Errorf("%s uses %s, which holds a secret: give the template a view model (internal/read)", f, h)
			}
		}
	}
	t.Logf("%d view files checked", checked)
}
