package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/presale/presale/db"
	"github.com/presale/presale/internal/testenv"
)

// TestMain runs the tests, or, started by one of them with
// PRESALE_CHILD_ARGS, is a presale process of its own (to be killed).
func TestMain(m *testing.M) {
	if args := os.Getenv("PRESALE_CHILD_ARGS"); args != "" {
		runProcess(strings.Fields(args))
		return
	}
	testenv.Main(m)
}

func runCmd(t *testing.T, stdin string, args ...string) (string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return out.String() + errb.String(), err
}

func TestCommandsOnAFreshDatabase(t *testing.T) {
	t.Setenv("PRESALE_LOG_LEVEL", "error")
	dbPath := filepath.Join(t.TempDir(), "presale.db")

	if out, err := runCmd(t, "", "version"); err != nil || !strings.HasPrefix(out, "presale ") {
		t.Fatalf("version: %q %v", out, err)
	}
	if out, err := runCmd(t, "", "migrate", "--db", dbPath); err != nil || !strings.Contains(out, "migrations applied") {
		t.Fatalf("migrate: %q %v", out, err)
	}
	out, err := runCmd(t, "a long enough password\n", "user", "add", "--db", dbPath, "--email", "Lead@Example.com", "--name", "Lea Admin", "--role", "manager", "--admin")
	if err != nil || !strings.Contains(out, "added Lea Admin <lead@example.com> as manager") {
		t.Fatalf("user add: %q %v", out, err)
	}
	if _, err := runCmd(t, "short\n", "user", "add", "--db", dbPath, "--email", "x@example.com", "--name", "X", "--role", "sales"); err == nil || !strings.Contains(err.Error(), "12 characters") {
		t.Fatalf("short password accepted: %v", err)
	}
	// The database holds a user now: the demo must not be added.
	if _, err := runCmd(t, "", "seed", "--demo", "--db", dbPath); err == nil || !strings.Contains(err.Error(), "already holds data") {
		t.Fatalf("demo over data: %v", err)
	}
	backup := filepath.Join(t.TempDir(), "copy.db")
	if out, err := runCmd(t, "", "backup", "--db", dbPath, backup); err != nil || !strings.Contains(out, "backed up") {
		t.Fatalf("backup: %q %v", out, err)
	}
	if _, err := runCmd(t, "", "nonsense"); err == nil {
		t.Fatal("an unknown command succeeded")
	}
}

func TestServeWithDemoPrintsSignInsAndShutsDownGracefully(t *testing.T) {
	t.Setenv("PRESALE_LOG_LEVEL", "error")
	dbPath := filepath.Join(t.TempDir(), "presale.db")
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := l.Addr().String()
	l.Close()

	ctx, cancel := context.WithCancel(context.Background())
	out := &testenv.Buffer{}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--demo", "--addr", addr, "--db", dbPath}, strings.NewReader(""), out, io.Discard)
	}()

	var resp *http.Response
	var err error
	for range 100 {
		if resp, err = http.Get("http://" + addr + "/readyz"); err == nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("server never answered: %v\n%s", err, out)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("readyz %d", resp.StatusCode)
	}
	for _, want := range []string{"sales@demo.test", "devrel@demo.test", "manager@demo.test", "demo-password"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %s:\n%s", want, out)
		}
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve ended with %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop after the signal")
	}
	if _, err := http.Get("http://" + addr + "/healthz"); err == nil {
		t.Fatal("still serving after shutdown")
	}
}

// Instances started together on one empty PostgreSQL database never fail:
// three `presale migrate` at once apply each migration once, and two
// `presale serve --demo` at once add the demo organisation once.
func TestInstancesStartingTogether(t *testing.T) {
	t.Setenv("PRESALE_LOG_LEVEL", "error")
	for _, engine := range testenv.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			const rounds = 10
			for round := range rounds {
				url := testenv.EmptyURL(t, engine)
				var migrates []func() error
				for range 3 {
					migrates = append(migrates, func() error { _, err := runCmd(t, "", "migrate", "--db", url); return err })
				}
				if err := errors.Join(testenv.Together(migrates...)...); err != nil {
					t.Fatalf("round %d: migrate: %v", round, err)
				}
				d, err := db.Open(context.Background(), url, nil)
				if err != nil {
					t.Fatal(err)
				}
				var applied int64
				d.Read.Table("schema_migrations").Count(&applied)
				d.Close()
				if applied != int64(db.LatestVersion()) {
					t.Fatalf("round %d: %d migration rows for %d migrations", round, applied, db.LatestVersion())
				}

				url = testenv.EmptyURL(t, engine)
				var serves []func() error
				for range 2 {
					serves = append(serves, func() error { return serveUntilReady(t, url) })
				}
				if err := errors.Join(testenv.Together(serves...)...); err != nil {
					t.Fatalf("round %d: serve --demo: %v", round, err)
				}
				if d, err = db.Open(context.Background(), url, nil); err != nil {
					t.Fatal(err)
				}
				var managers int64
				d.Read.Table("users").Where("email = ?", "manager@demo.test").Count(&managers)
				d.Read.Table("schema_migrations").Count(&applied)
				d.Close()
				if managers != 1 || applied != int64(db.LatestVersion()) {
					t.Fatalf("round %d: %d demo managers, %d migration rows", round, managers, applied)
				}
			}
			t.Logf("%s: %d rounds of 3 migrates and 2 serve --demo at once, all exited 0", engine, rounds)
		})
	}
}

// serveUntilReady runs `presale serve --demo` on url until it answers
// /readyz, then stops it; the error is what serve returned.
func serveUntilReady(t *testing.T, url string) error {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	addr := l.Addr().String()
	l.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--demo", "--addr", addr, "--db", url}, strings.NewReader(""), io.Discard, io.Discard)
	}()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-done:
			cancel()
			return fmt.Errorf("serve ended early: %v", err)
		default:
		}
		if resp, err := http.Get("http://" + addr + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	return <-done
}

// Company sign-in takes all three PRESALE_OIDC_* variables or none, and a
// base URL for the provider to send people back to.
func TestCompanySignInConfiguration(t *testing.T) {
	set := func(issuer, id, secret string) {
		t.Setenv("PRESALE_OIDC_ISSUER", issuer)
		t.Setenv("PRESALE_OIDC_CLIENT_ID", id)
		t.Setenv("PRESALE_OIDC_CLIENT_SECRET", secret)
	}
	set("", "", "")
	if c, err := companySignIn(""); c != nil || err != nil {
		t.Errorf("none set: %v, %v", c, err)
	}
	set("https://idp.example", "presale", "")
	if _, err := companySignIn("https://presale.example"); err == nil || !strings.Contains(err.Error(), "PRESALE_OIDC_CLIENT_SECRET") {
		t.Errorf("a missing secret: %v", err)
	}
	set("https://idp.example", "presale", "s3cret")
	if _, err := companySignIn(""); err == nil || !strings.Contains(err.Error(), "PRESALE_BASE_URL") {
		t.Errorf("no base URL: %v", err)
	}
	t.Setenv("PRESALE_OIDC_NAME", "Okta")
	c, err := companySignIn("https://presale.example/")
	if err != nil || c == nil || c.Label() != "Sign in with Okta" {
		t.Errorf("all set: %v, %v", c, err)
	}
}
