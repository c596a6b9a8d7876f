package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/service"
	"github.com/presale/presale/internal/store"
	"github.com/presale/presale/internal/testenv"
)

// openAPITool is a checker from npm, installed by `.ci/deps test` (npm ci
// in e2e/openapi).
func openAPITool(t *testing.T, name string) string {
	t.Helper()
	bin, _ := filepath.Abs("openapi/node_modules/.bin/" + name)
	if _, err := os.Stat(bin); err != nil {
		if testenv.CI() {
			t.Fatalf("%s is required in CI: npm ci --prefix e2e/openapi", name)
		}
		t.Skipf("%s not installed here: npm ci --prefix e2e/openapi", name)
	}
	return bin
}

// The live API as third parties check it: Redocly lints the document the
// server serves (no errors), and every operation of it, called through a
// Prism proxy with requests generated from the document's own schemas
// (each path with a real id and one that does not exist, each body built
// from its required fields, enums and formats, and an empty one), answers
// as the document says: Prism finds no answer out of line with it, a
// request the document refuses is refused, and nothing answers 500.
func TestTheLiveAPIKeepsToItsDescription(t *testing.T) {
	redocly, prism := openAPITool(t, "redocly"), openAPITool(t, "prism")
	base, d := demoServerDB(t)
	ctx := context.Background()
	st := store.New(d.Write, d.Read)
	manager, err := st.People().UserByEmail(ctx, "manager@demo.test")
	if err != nil {
		t.Fatal(err)
	}
	_, secret, err := service.New(st).People.CreateToken(ctx, manager, domain.TokenInput{Name: "Prism", Scope: string(domain.ScopeReadWrite)})
	if err != nil {
		t.Fatal(err)
	}

	resp, err := http.Get(base + "/api/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	spec := filepath.Join(t.TempDir(), "openapi.json")
	if err := os.WriteFile(spec, raw, 0o644); err != nil {
		t.Fatal(err)
	}

	lint := exec.Command(redocly, "lint", spec, "--format=json")
	out, lintErr := lint.Output()
	var report struct {
		Totals struct{ Errors, Warnings int } `json:"totals"`
	}
	if i := bytes.IndexByte(out, '{'); i < 0 || json.Unmarshal(out[i:], &report) != nil {
		t.Fatalf("redocly lint: %v\n%s", lintErr, out)
	}
	if report.Totals.Errors != 0 {
		t.Errorf("redocly lint: %d errors\n%s", report.Totals.Errors, out)
	}
	t.Logf("redocly lint: %d errors, %d warnings", report.Totals.Errors, report.Totals.Warnings)

	proxy := startPrism(t, prism, spec, base+"/api/v1")
	var doc apiDoc
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	paths := make([]string, 0, len(doc.Paths))
	for p := range doc.Paths {
		paths = append(paths, p)
	}
	sort.Strings(paths) // reads before the writes that follow them in each path's list
	calls, violations := 0, 0
	for _, p := range paths {
		for _, method := range []string{"get", "patch", "post"} {
			op, ok := doc.Paths[p][method]
			if !ok {
				continue
			}
			for _, id := range []string{"1", "999999"} {
				bodies := [][]byte{nil}
				if op.RequestBody != nil {
					schema := doc.resolve(op.RequestBody.Content["application/json"].Schema)
					full, _ := json.Marshal(doc.example(schema, 0))
					bodies = [][]byte{full, []byte("{}")}
				}
				for _, body := range bodies {
					url := proxy + strings.ReplaceAll(p, "{id}", id)
					req, _ := http.NewRequest(strings.ToUpper(method), url, bytes.NewReader(body))
					req.Header.Set("Authorization", "Bearer "+secret)
					if body != nil {
						req.Header.Set("Content-Type", "application/json")
					}
					resp, err := http.DefaultClient.Do(req)
					if err != nil {
						t.Fatal(err)
					}
					answer, _ := io.ReadAll(resp.Body)
					resp.Body.Close()
					calls++
					time.Sleep(110 * time.Millisecond) // within the token's 10 calls a second
					var found []struct {
						Location []string `json:"location"`
						Message  string   `json:"message"`
					}
					_ = json.Unmarshal([]byte(resp.Header.Get("sl-violations")), &found)
					invalid := false // a request the description refuses, sent on purpose: it must be refused
					for _, v := range found {
						if len(v.Location) > 0 && v.Location[0] == "request" {
							invalid = true
							continue
						}
						violations++
						t.Errorf("%s %s %s → %d, not as described: %s at %v", strings.ToUpper(method), p, body, resp.StatusCode, v.Message, v.Location)
					}
					switch {
					case resp.StatusCode >= 500:
						t.Errorf("%s %s %s → %d: %s", strings.ToUpper(method), p, body, resp.StatusCode, answer)
					case invalid && resp.StatusCode < 400:
						t.Errorf("%s %s %s breaks the description and was taken: %d", strings.ToUpper(method), p, body, resp.StatusCode)
					}
				}
			}
		}
	}
	t.Logf("Prism: %d calls over %d paths, %d answers not as described", calls, len(paths), violations)
	if calls < 60 {
		t.Errorf("only %d calls: the document lists too few operations, or the walk missed them", calls)
	}
}

// startPrism runs a Prism proxy to upstream that checks every request and
// answer against spec and reports what it finds in sl-violations.
func startPrism(t *testing.T, bin, spec, upstream string) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	cmd := exec.Command(bin, "proxy", spec, upstream, "--host", "127.0.0.1", "--port", fmt.Sprint(port), "--errors=false")
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	ready := make(chan struct{})
	go func() {
		s := bufio.NewScanner(stdout)
		for s.Scan() {
			if strings.Contains(s.Text(), "Prism is listening") {
				close(ready)
			}
		}
	}()
	select {
	case <-ready:
	case <-time.After(60 * time.Second):
		t.Fatal("Prism did not start")
	}
	return fmt.Sprintf("http://127.0.0.1:%d", port)
}

// apiDoc is what the walk reads of an OpenAPI document.
type apiDoc struct {
	Paths      map[string]map[string]apiOperation `json:"paths"`
	Components struct {
		Schemas map[string]apiSchema `json:"schemas"`
	} `json:"components"`
}

type apiOperation struct {
	RequestBody *struct {
		Content map[string]struct {
			Schema apiSchema `json:"schema"`
		} `json:"content"`
	} `json:"requestBody"`
}

type apiSchema struct {
	Ref        string               `json:"$ref"`
	Type       any                  `json:"type"`
	Format     string               `json:"format"`
	Enum       []any                `json:"enum"`
	Required   []string             `json:"required"`
	Properties map[string]apiSchema `json:"properties"`
	Items      *apiSchema           `json:"items"`
	Minimum    *float64             `json:"minimum"`
	MinLength  *int                 `json:"minLength"`
	Examples   []any                `json:"examples"`
	AnyOf      []apiSchema          `json:"anyOf"`
	OneOf      []apiSchema          `json:"oneOf"`
}

func (d apiDoc) resolve(s apiSchema) apiSchema {
	for s.Ref != "" {
		s = d.Components.Schemas[strings.TrimPrefix(s.Ref, "#/components/schemas/")]
	}
	return s
}

// example is a value of schema built from what the document says of it:
// its examples, else its first enum value, a value of its format, or a
// plain value of its type; an object's required properties (and those
// named like ids, set to 1).
func (d apiDoc) example(s apiSchema, depth int) any {
	s = d.resolve(s)
	switch {
	case len(s.AnyOf) > 0:
		return d.example(s.AnyOf[0], depth)
	case len(s.OneOf) > 0:
		return d.example(s.OneOf[0], depth)
	case len(s.Examples) > 0:
		return s.Examples[0]
	case len(s.Enum) > 0:
		return s.Enum[0]
	}
	typ, _ := s.Type.(string)
	if list, ok := s.Type.([]any); ok && len(list) > 0 {
		typ, _ = list[0].(string)
	}
	switch typ {
	case "object":
		out := map[string]any{}
		if depth > 4 {
			return out
		}
		for name, p := range s.Properties {
			if slices.Contains(s.Required, name) || strings.HasSuffix(name, "_id") {
				out[name] = d.example(p, depth+1)
			}
		}
		return out
	case "array":
		if s.Items == nil {
			return []any{}
		}
		return []any{d.example(*s.Items, depth+1)}
	case "integer", "number":
		if s.Minimum != nil && *s.Minimum > 1 {
			return *s.Minimum
		}
		return 1
	case "boolean":
		return false
	}
	switch s.Format {
	case "date":
		return "2027-03-31"
	case "date-time":
		return "2027-03-31T10:00:00Z"
	case "email":
		return "prism@example.com"
	case "uri":
		return "https://example.com/prism"
	}
	return "Checked by Prism"
}
