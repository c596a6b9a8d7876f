package jobs_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/presale/presale/db"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/jobs"
	mailer "github.com/presale/presale/internal/mail"
	"github.com/presale/presale/internal/service"
	"github.com/presale/presale/internal/testenv"
)

// inbox is a real SMTP server in the test: it takes every message.
type inbox struct {
	mu   sync.Mutex
	msgs []*mail.Message
	raw  [][]byte
}

func (b *inbox) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{b: b}, nil }

type session struct{ b *inbox }

func (s *session) Reset()                               {}
func (s *session) Logout() error                        { return nil }
func (s *session) Mail(string, *smtp.MailOptions) error { return nil }
func (s *session) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (s *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return err
	}
	s.b.mu.Lock()
	defer s.b.mu.Unlock()
	s.b.msgs, s.b.raw = append(s.b.msgs, m), append(s.b.raw, raw)
	return nil
}

func (b *inbox) all() []*mail.Message {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]*mail.Message(nil), b.msgs...)
}

// smtpServer starts the inbox on a free port and returns its URL.
func smtpServer(t *testing.T) (*inbox, string) {
	b := &inbox{}
	srv := smtp.NewServer(b)
	srv.Domain, srv.AllowInsecureAuth = "localhost", true
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return b, "smtp://" + l.Addr().String() + "?tls=none"
}

// parts reads a message's plain-text and HTML parts.
func parts(t *testing.T, m *mail.Message) (text, html string) {
	t.Helper()
	mt, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/alternative" {
		t.Fatalf("content type %q: %v", m.Header.Get("Content-Type"), err)
	}
	r := multipart.NewReader(m.Body, params["boundary"])
	for {
		p, err := r.NextPart()
		if errors.Is(err, io.EOF) {
			return text, html
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(p) // multipart decodes quoted-printable
		switch ct, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type")); ct {
		case "text/plain":
			text = string(b)
		case "text/html":
			html = string(b)
		}
	}
}

// mailQueue is a job queue that sends e-mail through the inbox at url.
func mailQueue(t *testing.T, w *testenv.World, url string, work bool) *service.Service {
	t.Helper()
	m, err := mailer.New(url, "presale@example.com", "https://presale.example")
	if err != nil {
		t.Fatal(err)
	}
	_, svc := startQueue(t, w, jobs.Config{Mail: m}, work)
	return svc
}

// A person who chose e-mail for offers gets one for a proposal to review,
// with both parts, a link back and one-click unsubscribe; nothing for
// kinds they did not choose, nothing after unsubscribing.
func TestNotificationsComeByEmailAsChosen(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		b, url := smtpServer(t)
		w := testenv.NewWorld(t, d)
		svc := mailQueue(t, w, url, true)
		sales, devrel := w.User("Sam Sales", domain.RoleSales), w.User("Dee DevRel", domain.RoleDevRel)
		sales, err := svc.People.SetEmailPrefs(ctx, sales, domain.EmailPrefs{Kinds: []string{"offers"}})
		if err != nil {
			t.Fatal(err)
		}
		acc, _ := w.Account(sales, "Northwind")
		deal := w.Deal(sales, acc.ID, "Fleet")
		w.Assign(deal.ID, devrel)
		o, err := svc.Offers.ProposeOffer(ctx, devrel, deal.ID, domain.OfferProposal{Title: "Free POC month", Kind: "poc"}, true)
		if err != nil {
			t.Fatal(err)
		}
		m0 := w.Meeting(sales, deal.ID, "Demo", 30, sales, devrel)
		if _, err := svc.Meetings.ConfirmSync(ctx, devrel, m0.ID); err != nil { // tells Sam: a kind he did not choose
			t.Fatal(err)
		}
		until(t, "the e-mail", func() bool { return len(b.all()) == 1 })
		m := b.all()[0]
		if to := m.Header.Get("To"); !strings.Contains(to, sales.Email) {
			t.Errorf("to %q", to)
		}
		unsub := strings.Trim(m.Header.Get("List-Unsubscribe"), "<>")
		if !strings.HasPrefix(unsub, "https://presale.example/email/unsubscribe/"+sales.EmailToken+"?kind=offers") ||
			m.Header.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
			t.Errorf("unsubscribe headers: %q %q", unsub, m.Header.Get("List-Unsubscribe-Post"))
		}
		text, html := parts(t, m)
		link := fmt.Sprint("https://presale.example/offers/", o.ID)
		if !strings.Contains(text, link) || !strings.Contains(html, `href="`+link+`"`) || !strings.Contains(text, "Free POC month") {
			t.Errorf("parts:\n%s\n%s", text, html)
		}
		// Unsubscribed, the next decision brings no e-mail.
		if _, err := svc.People.Unsubscribe(ctx, sales.EmailToken, "offers"); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Offers.ProposeOffer(ctx, devrel, deal.ID, domain.OfferProposal{Title: "Second idea", Kind: "idea"}, true); err != nil {
			t.Fatal(err)
		}
		until(t, "the queue to drain", func() bool { return queued(t, d) == 0 })
		if n := len(b.all()); n != 1 {
			t.Errorf("%d e-mails after unsubscribing", n)
		}
	})
}

// The digest goes out at 8:00 in the reader's own zone, once a day: a
// reader in Tokyo gets it while it is still the evening before in UTC,
// and a UTC reader does not yet.
func TestTheDigestComesAtEightInTheReadersZone(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		b, url := smtpServer(t)
		now := time.Date(2026, 11, 27, 22, 30, 0, 0, time.UTC) // 07:30 on the 28th in Tokyo
		var mu sync.Mutex
		w := testenv.NewWorld(t, d, func() time.Time { mu.Lock(); defer mu.Unlock(); now = now.Add(time.Millisecond); return now })
		svc := mailQueue(t, w, url, true)
		tokyo, london := w.User("Taro Tokyo", domain.RoleSales), w.User("Lou London", domain.RoleSales)
		devrel := w.User("Dee DevRel", domain.RoleDevRel)
		for _, u := range []domain.User{tokyo, london} {
			if err := svc.People.SetTimeZone(ctx, u, map[int64]string{tokyo.ID: "Asia/Tokyo", london.ID: "UTC"}[u.ID]); err != nil {
				t.Fatal(err)
			}
			if _, err := svc.People.SetEmailPrefs(ctx, u, domain.EmailPrefs{Digest: true}); err != nil {
				t.Fatal(err)
			}
			acc, _ := w.Account(u, "Account of "+u.Name)
			deal := w.Deal(u, acc.ID, "Deal of "+u.Name)
			w.Assign(deal.ID, devrel)
			w.Meeting(u, deal.ID, "Kick-off with "+u.Name, 20, u, devrel)
			if _, err := svc.Offers.ProposeOffer(ctx, devrel, deal.ID, domain.OfferProposal{Title: "Idea for " + u.Name, Kind: "idea"}, true); err != nil {
				t.Fatal(err)
			}
		}
		if n, err := svc.Deliveries.QueueDigests(ctx); err != nil || n != 0 {
			t.Fatalf("before 8:00 anywhere: %d %v", n, err)
		}
		mu.Lock()
		now = now.Add(time.Hour) // 08:30 in Tokyo, 23:30 in London
		mu.Unlock()
		if n, err := svc.Deliveries.QueueDigests(ctx); err != nil || n != 1 {
			t.Fatalf("Tokyo's morning: %d %v", n, err)
		}
		if n, err := svc.Deliveries.QueueDigests(ctx); err != nil || n != 0 {
			t.Fatalf("once a day: %d %v", n, err)
		}
		until(t, "the digest", func() bool { return len(b.all()) == 1 })
		m := b.all()[0]
		if !strings.Contains(m.Header.Get("To"), tokyo.Email) || m.Header.Get("Subject") != "presale: your day, 2026-11-28" {
			t.Fatalf("digest to %q, %q", m.Header.Get("To"), m.Header.Get("Subject"))
		}
		text, html := parts(t, m)
		for _, want := range []string{"Kick-off with Taro Tokyo", "Idea for Taro Tokyo", "unsubscribe"} {
			if !strings.Contains(text, want) || !strings.Contains(html, want) {
				t.Errorf("the digest lacks %q:\n%s", want, text)
			}
		}
		if strings.Contains(text, "Lou London") {
			t.Error("Tokyo's digest carries London's day")
		}
		// Times are the reader's: the meeting, 20 h after 22:30 UTC, is at
		// 03:30 on the 29th in Tokyo.
		if !strings.Contains(text, "Sun 29 Nov 03:30") {
			t.Errorf("meeting times not in Tokyo's zone:\n%s", text)
		}
	})
}

// An e-mail queued before a restart is sent once after it, however many
// queues start.
func TestAnEmailIsSentOnceAcrossRestarts(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		b, url := smtpServer(t)
		w := testenv.NewWorld(t, d)
		svc := mailQueue(t, w, url, false)
		sales, devrel := w.User("Sam Sales", domain.RoleSales), w.User("Dee DevRel", domain.RoleDevRel)
		if _, err := svc.People.SetEmailPrefs(ctx, sales, domain.EmailPrefs{Kinds: []string{"offers"}}); err != nil {
			t.Fatal(err)
		}
		acc, _ := w.Account(sales, "Northwind")
		deal := w.Deal(sales, acc.ID, "Fleet")
		w.Assign(deal.ID, devrel)
		if _, err := svc.Offers.ProposeOffer(ctx, devrel, deal.ID, domain.OfferProposal{Title: "Free POC month", Kind: "poc"}, true); err != nil {
			t.Fatal(err)
		}
		if queued(t, d) != 1 || len(b.all()) != 0 {
			t.Fatal("not queued, or sent with no queue working")
		}
		mailQueue(t, w, url, true)
		mailQueue(t, w, url, true)
		until(t, "the e-mail after the restart, and nothing left queued", func() bool { return len(b.all()) >= 1 && queued(t, d) == 0 })
		if n := len(b.all()); n != 1 {
			t.Errorf("%d e-mails, want 1", n)
		}
	})
}
