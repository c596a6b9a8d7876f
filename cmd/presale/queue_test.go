package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/jobs"
	mailer "github.com/presale/presale/internal/mail"
	"github.com/presale/presale/internal/service"
	"github.com/presale/presale/internal/testenv"
)

// peer is a webhook receiver and an SMTP server in one: each can be told
// to hang (a request or message in flight, never answered) or to answer
// slowly, and counts what it fully took.
type peer struct {
	mu       sync.Mutex
	hang     chan struct{} // closed: answer again
	slow     time.Duration
	started  int // requests and messages begun
	hooks    map[string]int
	mails    map[string]int // by Message-ID
	finished int            // answered after being begun, while slow
}

func newPeer() *peer {
	return &peer{hang: make(chan struct{}), hooks: map[string]int{}, mails: map[string]int{}}
}

// wait holds a request or message as the peer is told: until released,
// or for slow.
func (p *peer) wait(ctx context.Context) bool {
	p.mu.Lock()
	p.started++
	hang, slow := p.hang, p.slow
	p.mu.Unlock()
	select {
	case <-hang:
	case <-ctx.Done():
		return false
	}
	time.Sleep(slow)
	return true
}

func (p *peer) release(slow time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.slow = slow
	select {
	case <-p.hang:
	default:
		close(p.hang)
	}
}

func (p *peer) count(f func()) {
	p.mu.Lock()
	defer p.mu.Unlock()
	f()
}

func (p *peer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_, _ = io.ReadAll(r.Body)
	if !p.wait(r.Context()) {
		return
	}
	p.count(func() { p.hooks[r.Header.Get("webhook-id")]++; p.finished++ })
	w.WriteHeader(http.StatusNoContent)
}

func (p *peer) NewSession(*smtp.Conn) (smtp.Session, error) { return &peerSession{p}, nil }

type peerSession struct{ p *peer }

func (s *peerSession) Reset()                               {}
func (s *peerSession) Logout() error                        { return nil }
func (s *peerSession) Mail(string, *smtp.MailOptions) error { return nil }
func (s *peerSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (s *peerSession) Data(r io.Reader) error {
	m, err := mail.ReadMessage(r)
	if err != nil {
		return err
	}
	if !s.p.wait(context.Background()) {
		return errors.New("gone")
	}
	s.p.count(func() { s.p.mails[m.Header.Get("Message-ID")]++; s.p.finished++ })
	return nil
}

// child is `presale serve` in a process of its own (this test binary,
// started again), so it can be killed.
func child(t *testing.T, url, smtpURL string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "PRESALE_CHILD_ARGS=serve --addr 127.0.0.1:0 --db "+url, "PRESALE_SMTP_URL="+smtpURL,
		"PRESALE_JOB_TIMEOUT=2s", "PRESALE_WEBHOOK_PRIVATE_TARGETS=allow", "PRESALE_LOG_LEVEL=error", "PRESALE_BASE_URL=https://presale.example")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	ready := make(chan struct{})
	go func() {
		s := bufio.NewScanner(out)
		for s.Scan() {
			if strings.Contains(s.Text(), "serving on") {
				close(ready)
			}
		}
	}()
	select {
	case <-ready:
	case <-time.After(30 * time.Second):
		t.Fatal("the child never served")
	}
	return cmd
}

// A presale killed with SIGKILL while it sends webhooks and e-mail to
// peers that hang loses nothing: once another starts, every delivery and
// every e-mail arrives at least once within the rescue bound (twice the
// job timeout, and River's rescuer's 30 s), and no e-mail is marked sent
// that the server did not take. A SIGTERM lets what is in flight finish,
// and records it, before the process ends.
func TestAKilledInstanceLosesNothingQueued(t *testing.T) {
	for _, engine := range testenv.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			ctx := context.Background()
			p := newPeer()
			hooks := httptest.NewServer(p)
			t.Cleanup(hooks.Close)
			srv := smtp.NewServer(p)
			srv.Domain, srv.AllowInsecureAuth = "localhost", true
			l, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			go srv.Serve(l)
			t.Cleanup(func() { srv.Close() })
			smtpURL := "smtp://" + l.Addr().String() + "?tls=none"

			d, url := testenv.OpenURL(t, engine)
			m, err := mailer.New(smtpURL, "presale@example.com", "https://presale.example")
			if err != nil {
				t.Fatal(err)
			}
			q, err := jobs.For(ctx, d, jobs.Config{Mail: m})
			if err != nil {
				t.Fatal(err)
			}
			w := testenv.NewWorld(t, d)
			svc := service.New(w.Store, service.WithClock(w.Clock), service.WithOutbox(q), service.WithPrivateWebhookTargets(true))
			w.Svc = svc
			admin := w.User("Ada Admin", domain.RoleManager, testenv.Admin)
			sales, devrel := w.User("Sam Sales", domain.RoleSales), w.User("Dee DevRel", domain.RoleDevRel)
			if _, err := svc.People.SetEmailPrefs(ctx, sales, domain.EmailPrefs{Kinds: []string{"offers"}}); err != nil {
				t.Fatal(err)
			}
			if _, err := svc.Deliveries.CreateWebhookEndpoint(ctx, admin, domain.WebhookInput{URL: hooks.URL, Kind: "standard", EventTypes: []string{"deal.created"}}); err != nil {
				t.Fatal(err)
			}
			acc, _ := w.Account(sales, "Northwind")
			const n = 12
			for i := range n {
				deal := w.Deal(sales, acc.ID, fmt.Sprint("Fleet ", i))
				w.Assign(deal.ID, devrel)
				if _, err := svc.Offers.ProposeOffer(ctx, devrel, deal.ID, domain.OfferProposal{Title: fmt.Sprint("Pilot ", i), Kind: "poc"}, true); err != nil {
					t.Fatal(err)
				}
			}

			// Killed with work in flight: the peers hang on what it sends.
			first := child(t, url, smtpURL)
			until(t, "deliveries and e-mails in flight", func() bool {
				var begun int
				p.count(func() { begun = p.started })
				return begun >= 2
			})
			if err := first.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			_ = first.Wait()
			p.release(0)
			start := time.Now()
			second := child(t, url, smtpURL)
			bound := jobs.RescueAfter(2*time.Second) + 30*time.Second + 10*time.Second // the rescue, its interval, a retry
			sent := func() (hooksOK, mailsOK bool) {
				var deliveries, emailed int64
				d.Read.Table("webhook_deliveries").Where("status = ?", domain.DeliveryDelivered).Count(&deliveries)
				d.Read.Table("notifications").Where("emailed_at IS NOT NULL").Count(&emailed)
				return deliveries == n, emailed == n
			}
			for deadline := start.Add(bound); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
				if h, m := sent(); h && m {
					break
				}
			}
			if h, m := sent(); !h || !m {
				t.Fatalf("%s after the restart: every delivery delivered %v, every e-mail sent %v", time.Since(start).Round(time.Second), h, m)
			}
			t.Logf("everything in flight at the kill arrived %s after the restart", time.Since(start).Round(100*time.Millisecond))
			var ids []struct {
				ID        int64
				MessageID string
			}
			d.Read.Table("webhook_deliveries").Select("id, message_id").Scan(&ids)
			var marked []int64
			d.Read.Table("notifications").Where("emailed_at IS NOT NULL").Pluck("id", &marked)
			p.count(func() {
				for _, dl := range ids {
					if p.hooks[dl.MessageID] == 0 {
						t.Errorf("delivery %d marked delivered was never received", dl.ID)
					}
				}
				for _, id := range marked {
					if p.mails[fmt.Sprintf("<notification-%d@presale.example>", id)] == 0 {
						t.Errorf("notification %d marked e-mailed was never received: %v", id, p.mails)
					}
				}
			})

			// SIGTERM with work in flight: the peers answer slowly; what
			// began is finished and recorded before the process ends.
			p.release(1500 * time.Millisecond)
			p.count(func() { p.started, p.finished = 0, 0 })
			for i := range 4 {
				late := w.Deal(sales, acc.ID, fmt.Sprint("Late ", i))
				if i < 2 { // and e-mail in flight too
					w.Assign(late.ID, devrel)
					if _, err := svc.Offers.ProposeOffer(ctx, devrel, late.ID, domain.OfferProposal{Title: fmt.Sprint("Late pilot ", i), Kind: "poc"}, true); err != nil {
						t.Fatal(err)
					}
				}
			}
			until(t, "deliveries and e-mails in flight", func() bool {
				var begun int
				p.count(func() { begun = p.started })
				return begun >= 2
			})
			if err := second.Process.Signal(syscall.SIGTERM); err != nil {
				t.Fatal(err)
			}
			if err := second.Wait(); err != nil {
				t.Fatalf("SIGTERM: the process ended with %v", err)
			}
			var begun, finished int
			p.count(func() { begun, finished = p.started, p.finished })
			var delivered, emailed int64
			d.Read.Table("webhook_deliveries").Where("status = ?", domain.DeliveryDelivered).Count(&delivered)
			d.Read.Table("notifications").Where("emailed_at IS NOT NULL").Count(&emailed)
			if finished != begun || delivered+emailed != int64(2*n+finished) {
				t.Errorf("SIGTERM: %d begun, %d answered, %d of them recorded delivered or sent", begun, finished, delivered+emailed-2*n)
			}
			t.Logf("SIGTERM: %d deliveries and e-mails in flight, all answered and recorded before the process ended", finished)
		})
	}
}

func until(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("waited 30 s for %s", what)
}

// `presale import --commit` queues the webhooks of what it imports, in
// its own transaction, for a serving instance to send.
func TestTheImportCommandQueuesItsWebhooks(t *testing.T) {
	for _, engine := range testenv.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Setenv("PRESALE_LOG_LEVEL", "error")
			ctx := context.Background()
			d, url := testenv.OpenURL(t, engine)
			w := testenv.NewWorld(t, d)
			svc := service.New(w.Store, service.WithClock(w.Clock), service.WithPrivateWebhookTargets(true))
			admin := w.User("Ada Admin", domain.RoleManager, testenv.Admin)
			var mu sync.Mutex
			got := map[string]bool{}
			rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				body, _ := io.ReadAll(r.Body)
				mu.Lock()
				got[string(body)] = true
				mu.Unlock()
				w.WriteHeader(http.StatusNoContent)
			}))
			t.Cleanup(rcv.Close)
			if _, err := svc.Deliveries.CreateWebhookEndpoint(ctx, admin, domain.WebhookInput{URL: rcv.URL, Kind: "standard", EventTypes: []string{"account.created"}}); err != nil {
				t.Fatal(err)
			}
			file := filepath.Join(t.TempDir(), "companies.csv")
			if err := os.WriteFile(file, []byte("Company name,Company Domain Name\nAcme Rockets,acme.example\nBeta Bikes,beta.example\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			if out, err := runCmd(t, "", "import", file, "--kind", "accounts", "--as", admin.Email, "--commit", "--db", url); err != nil || !strings.Contains(out, "2 new") {
				t.Fatalf("import: %v\n%s", err, out)
			}
			q, err := jobs.For(ctx, d, jobs.Config{AllowPrivateTargets: true, PollInterval: 100 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			if err := q.Work(ctx, svc.Deliveries); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = q.Stop(context.Background()) })
			until(t, "both accounts' webhooks", func() bool {
				mu.Lock()
				defer mu.Unlock()
				return len(got) == 2
			})
			mu.Lock()
			defer mu.Unlock()
			for body := range got {
				if !strings.Contains(body, `"account.created"`) || !strings.Contains(body, "Acme Rockets") && !strings.Contains(body, "Beta Bikes") {
					t.Errorf("a delivery: %s", body)
				}
			}
		})
	}
}
