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
	"unicode/utf8"

	gomail "github.com/wneessen/go-mail"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/service"
)

// Mailer sends through one SMTP server.
type Mailer struct {
	client  *gomail.Client
	from    string
	baseURL string // links and unsubscribe addresses start here
	domain  string // the right side of every Message-ID: the base URL's host
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
	return &Mailer{client: c, from: from, baseURL: strings.TrimSuffix(baseURL, "/"), domain: idDomain(baseURL, u.Hostname())}, nil
}

// idDomain is the host of the base URL, or else the SMTP server's, as a
// Message-ID's right side (RFC 5322 §3.6.4): an IPv6 host in brackets.
func idDomain(baseURL, smtpHost string) string {
	host := smtpHost
	if u, err := url.Parse(baseURL); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	switch {
	case host == "":
		return "presale.invalid"
	case strings.Contains(host, ":"):
		return "[" + host + "]"
	}
	return strings.ToLower(host)
}

// Message is one e-mail as written.
type Message struct {
	To, Subject, Text, HTML string
	// ID is the Message-ID without its brackets ("notification-28@host"):
	// the same on a retry, so a client shows one.
	ID          string
	Unsubscribe string // the one-click address
}

// Send sends m.
func (m *Mailer) Send(ctx context.Context, msg Message) error {
	g, err := m.compose(msg)
	if err != nil {
		return err
	}
	return m.client.DialAndSendWithContext(ctx, g)
}

// compose builds msg as go-mail writes it.
func (m *Mailer) compose(msg Message) (*gomail.Msg, error) {
	g := gomail.NewMsg()
	if err := g.From(m.from); err != nil {
		return nil, err
	}
	if err := g.To(msg.To); err != nil {
		return nil, err
	}
	// go-mail folds a header whose first word does not fit right after
	// the colon, which parsers read as a leading space: these two are
	// written here, their first word on the first line.
	g.SetGenHeaderPreformatted(gomail.HeaderSubject, subjectField(msg.Subject))
	g.SetMessageIDWithValue(strings.Trim(msg.ID, "<>")) // go-mail adds the brackets
	g.SetDate()
	g.SetUserAgent("presale")
	if msg.Unsubscribe != "" {
		g.SetGenHeaderPreformatted(gomail.HeaderListUnsubscribe, "<"+msg.Unsubscribe+">")
		g.SetGenHeader(gomail.HeaderListUnsubscribePost, "List-Unsubscribe=One-Click")
	}
	g.SetBodyString(gomail.TypeTextPlain, msg.Text)
	g.AddAlternativeString(gomail.TypeTextHTML, msg.HTML)
	return g, nil
}

// Header lines are kept within 78 characters (RFC 5322 §2.1.1), an
// encoded-word within 75 (RFC 2047 §2).
const (
	lineLength = 78
	wordLength = 75
)

// subjectField is the Subject's value as written after "Subject: ": plain
// printable ASCII folded at its spaces, anything else as RFC 2047
// encoded-words, one a line; a fold never comes before the first word.
func subjectField(subject string) string {
	subject = strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f || r == '\u2028' || r == '\u2029' {
			return ' ' // a subject is one line
		}
		return r
	}, subject)
	if plain(subject) {
		return foldAtSpaces(subject, len("Subject: "))
	}
	return encodedWords(subject, len("Subject: "))
}

// plain says whether s may be written as it is: printable ASCII, no
// word a decoder would take for an encoded-word, none too long to fold.
func plain(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	for _, w := range strings.Split(s, " ") {
		if strings.Contains(w, "=?") || len(w) > lineLength-1 {
			return false
		}
	}
	return true
}

// foldAtSpaces folds s before a space where a line would pass lineLength;
// the first line already holds used characters.
func foldAtSpaces(s string, used int) string {
	var b strings.Builder
	for i, w := range strings.Split(s, " ") {
		switch {
		case i == 0:
		case used+1+len(w) > lineLength && used > 1:
			b.WriteString("\r\n")
			used = 0
			fallthrough
		default:
			b.WriteByte(' ')
			used++
		}
		b.WriteString(w)
		used += len(w)
	}
	return b.String()
}

// encodedWords writes s as UTF-8 Q encoded-words, each whole characters,
// folded between them (a decoder drops the space between two).
func encodedWords(s string, used int) string {
	const open, end = "=?UTF-8?q?", "?="
	var b, word strings.Builder
	room := min(wordLength, lineLength-used)
	flush := func() {
		if b.Len() > 0 {
			b.WriteString("\r\n ")
		}
		b.WriteString(open + word.String() + end)
		word.Reset()
		room = wordLength
	}
	for _, r := range s {
		q := qEncode(r)
		if len(open)+word.Len()+len(q)+len(end) > room && word.Len() > 0 {
			flush()
		}
		word.WriteString(q)
	}
	if word.Len() > 0 || b.Len() == 0 {
		flush()
	}
	return b.String()
}

// qEncode is one character in RFC 2047's Q encoding, keeping only what
// §5 (3) allows as it is, so the word is safe in any header.
func qEncode(r rune) string {
	switch {
	case r == ' ':
		return "_"
	case r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("!*+-/", r)):
		return string(r)
	}
	var q strings.Builder
	for _, c := range []byte(string(r)) {
		fmt.Fprintf(&q, "=%02X", c)
	}
	return q.String()
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
		ID: fmt.Sprintf("notification-%d@%s", e.Notification.ID, m.domain), Unsubscribe: m.unsubscribe(e.User, e.Kind)}, err
}

// Digest writes a person's morning e-mail.
func (m *Mailer) Digest(d service.Digest) (Message, error) {
	data := map[string]any{"D": d, "Base": m.baseURL, "Unsubscribe": m.unsubscribe(d.User, domain.DigestKind), "Settings": m.baseURL + "/settings#email"}
	text, html, err := write("digest", data)
	return Message{To: d.User.Email, Subject: "presale: your day, " + d.Day, Text: text, HTML: html,
		ID: fmt.Sprintf("digest-%d-%s@%s", d.User.ID, d.Day, m.domain), Unsubscribe: m.unsubscribe(d.User, domain.DigestKind)}, err
}
