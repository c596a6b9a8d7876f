package jobs_test

import (
	"bytes"
	"context"
	"encoding/json"
	"mime"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/presale/presale/db"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/testenv"
)

// An e-mail sent through the SMTP server has one Message-ID in one pair
// of brackets, on the base URL's host, and a long non-ASCII Subject that
// starts on its own line, so Go's net/mail and Python's email package
// both read it back whole, without a leading space.
func TestAnEmailsHeadersReadBackWhole(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		b, url := smtpServer(t)
		w := testenv.NewWorld(t, d)
		svc := mailQueue(t, w, url, true) // base URL https://presale.example
		sales, devrel := w.User("Sam Sales", domain.RoleSales), w.User("Dee DevRel", domain.RoleDevRel)
		if _, err := svc.People.SetEmailPrefs(ctx, sales, domain.EmailPrefs{Kinds: []string{"offers"}}); err != nil {
			t.Fatal(err)
		}
		acc, _ := w.Account(sales, "Müller GmbH")
		deal := w.Deal(sales, acc.ID, "Fleet renewal for the northern warehouses of Müller GmbH")
		w.Assign(deal.ID, devrel)
		title := "A free proof-of-concept month for the whole logistics team at Müller GmbH, with onboarding"
		if _, err := svc.Offers.ProposeOffer(ctx, devrel, deal.ID, domain.OfferProposal{Title: title, Kind: "poc"}, true); err != nil {
			t.Fatal(err)
		}
		until(t, "the e-mail", func() bool { return len(b.all()) == 1 })
		m, raw := b.all()[0], b.rawAll()[0]

		id := m.Header.Get("Message-ID")
		if !regexp.MustCompile(`^<notification-[0-9]+@presale\.example>$`).MatchString(id) {
			t.Errorf("Message-ID %q: want one pair of brackets around notification-N@presale.example", id)
		}
		head := string(raw[:bytes.Index(raw, []byte("\r\n\r\n"))])
		if !regexp.MustCompile(`(?m)^Subject: \S`).MatchString(head) {
			t.Errorf("the Subject does not start on its own line:\n%s", head)
		}
		subject, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
		if err != nil || !strings.Contains(subject, title) || strings.HasPrefix(subject, " ") {
			t.Errorf("net/mail reads the subject %q (%v)", subject, err)
		}

		python, err := exec.LookPath("python3")
		if err != nil {
			if testenv.CI() {
				t.Fatal("python3 is needed in CI to read the e-mail back:", err)
			}
			t.Skip("SKIPPED: python3 is not installed; Python's email package did not read the e-mail")
		}
		cmd := exec.Command(python, "-c", `import email, email.policy, json, sys
m = email.message_from_bytes(sys.stdin.buffer.read(), policy=email.policy.default)
print(json.dumps({"subject": str(m["subject"]), "id": str(m["message-id"])}))`)
		cmd.Stdin = bytes.NewReader(raw)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("Python's email package cannot read the e-mail: %v", err)
		}
		var py struct{ Subject, ID string }
		if err := json.Unmarshal(out, &py); err != nil {
			t.Fatal(err)
		}
		if py.Subject != subject || py.ID != id {
			t.Errorf("Python reads subject %q, Message-ID %q; Go %q, %q", py.Subject, py.ID, subject, id)
		}
	})
}

// rawAll is every message as the server received it.
func (b *inbox) rawAll() [][]byte {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([][]byte(nil), b.raw...)
}
