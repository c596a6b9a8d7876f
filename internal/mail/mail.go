// Package mail sends presale's e-mail over SMTP (go-mail) and writes it:
// every message has a plain-text and an HTML part, links back to the page,
// and one-click unsubscribe (RFC 8058).
package mail

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"net/url"
	"strconv"
	"strings"
	texttemplate "text/template"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/service"
)

// Mailer sends through one SMTP server.
type Mailer struct {
	client  *gomail.Client
	from    string
	baseURL string // links and unsubscribe addresses start here
}

// New reads an SMTP URL: smtp://user:pass@host:587 uses STARTTLS (required
// unless ?tls=opportunistic or ?tls=none), smtps://host:465 TLS from the
// start. from is the sender; baseURL makes links absolute.
func New(smtpURL, from, baseURL string) (*Mailer, error) {
	u, err := url.Parse(smtpURL)
	if err != nil || u.Host == "" || (u.Scheme != "smtp" && u.Scheme != "smtps") {
		return nil, fmt.Errorf("PRESALE_SMTP_URL: want smtp://user:password@host:587 or smtps://host:465")
	}
	opts := []gomail.Option{gomail.WithTimeout(20 * time.Second)}
	port := 587
	if u.Scheme == "smtps" {
		port = 465
		opts = append(opts, gomail.WithSSL())
	}
	if p := u.Port(); p != "" {
		if port, err = strconv.Atoi(p); err != nil {
			return nil, fmt.Errorf("PRESALE_SMTP_URL: port %q", p)
		}
	}
	opts = append(opts, gomail.WithPort(port))
	switch u.Query().Get("tls") {
	case "none":
		opts = append(opts, gomail.WithTLSPortPolicy(gomail.NoTLS))
	case "opportunistic":
		opts = append(opts, gomail.WithTLSPortPolicy(gomail.TLSOpportunistic))
	default:
		if u.Scheme == "smtp" {
			opts = append(opts, gomail.WithTLSPortPolicy(gomail.TLSMandatory))
		}
	}
	if user := u.User.Username(); user != "" {
		pass, _ := u.User.Password()
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover), gomail.WithUsername(user), gomail.WithPassword(pass))
	}
	c, err := gomail.NewClient(u.Hostname(), opts...)
	if err != nil {
		return nil, err
	}
	if from == "" {
		from = "presale@" + u.Hostname()
	}
	return &Mailer{client: c, from: from, baseURL: strings.TrimSuffix(baseURL, "/")}, nil
}

// Message is one e-mail as written.
type Message struct {
	To, Subject, Text, HTML string
	ID                      string // Message-ID: the same on a retry, so a client shows one
	Unsubscribe             string // the one-click address
}

// Send sends m.
func (m *Mailer) Send(ctx context.Context, msg Message) error {
	g := gomail.NewMsg()
	if err := g.From(m.from); err != nil {
		return err
	}
	if err := g.To(msg.To); err != nil {
		return err
	}
	g.Subject(msg.Subject)
	g.SetMessageIDWithValue(msg.ID)
	g.SetDate()
	g.SetUserAgent("presale")
	if msg.Unsubscribe != "" {
		g.SetGenHeader(gomail.HeaderListUnsubscribe, "<"+msg.Unsubscribe+">")
		g.SetGenHeader(gomail.HeaderListUnsubscribePost, "List-Unsubscribe=One-Click")
	}
	g.SetBodyString(gomail.TypeTextPlain, msg.Text)
	g.AddAlternativeString(gomail.TypeTextHTML, msg.HTML)
	return m.client.DialAndSendWithContext(ctx, g)
}

//go:embed templates/*
var templateFiles embed.FS

var (
	texts = texttemplate.Must(texttemplate.New("").Funcs(funcs).ParseFS(templateFiles, "templates/*.txt"))
	htmls = htmltemplate.Must(htmltemplate.New("").Funcs(funcs).ParseFS(templateFiles, "templates/*.html"))
)

var funcs = map[string]any{
	"when": func(t time.Time, loc *time.Location) string { return t.In(loc).Format("Mon 2 Jan 15:04") },
	"date": func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.Format(domain.DateLayout)
	},
}

// write renders both parts of a message from the templates named name.
func write(name string, data any) (text, html string, err error) {
	var t, h bytes.Buffer
	if err := texts.ExecuteTemplate(&t, name+".txt", data); err != nil {
		return "", "", err
	}
	if err := htmls.ExecuteTemplate(&h, name+".html", data); err != nil {
		return "", "", err
	}
	return t.String(), h.String(), nil
}

// unsubscribe is the one-click address for a kind of e-mail.
func (m *Mailer) unsubscribe(u domain.User, kind string) string {
	return m.baseURL + "/email/unsubscribe/" + url.PathEscape(u.EmailToken) + "?kind=" + url.QueryEscape(kind)
}

// Notification writes the e-mail of one notification.
func (m *Mailer) Notification(e service.EmailToSend) (Message, error) {
	data := map[string]any{"Message": e.Notification.Message, "Link": m.baseURL + e.Notification.Link,
		"Unsubscribe": m.unsubscribe(e.User, e.Kind), "Kind": domain.NotificationKindLabel(e.Kind), "Name": e.User.Name, "Settings": m.baseURL + "/settings#email"}
	text, html, err := write("notification", data)
	return Message{To: e.User.Email, Subject: e.Notification.Message, Text: text, HTML: html,
		ID: fmt.Sprintf("<notification-%d@presale>", e.Notification.ID), Unsubscribe: m.unsubscribe(e.User, e.Kind)}, err
}

// Digest writes a person's morning e-mail.
func (m *Mailer) Digest(d service.Digest) (Message, error) {
	data := map[string]any{"D": d, "Base": m.baseURL, "Unsubscribe": m.unsubscribe(d.User, domain.DigestKind), "Settings": m.baseURL + "/settings#email"}
	text, html, err := write("digest", data)
	return Message{To: d.User.Email, Subject: "presale: your day, " + d.Day, Text: text, HTML: html,
		ID: fmt.Sprintf("<digest-%d-%s@presale>", d.User.ID, d.Day), Unsubscribe: m.unsubscribe(d.User, domain.DigestKind)}, err
}
