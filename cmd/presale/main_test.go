package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

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
	out := &syncBuffer{}
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

// syncBuffer collects the server's output while the test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
