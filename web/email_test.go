package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/presale/presale/db"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/testenv"
	"github.com/presale/presale/web"
)

// A person chooses which notifications also come by e-mail and the
// digest; a mail client's one-click POST to the unsubscribe address (no
// session, no CSRF token) takes one kind off, as RFC 8058 asks.
func TestEmailChoicesAndOneClickUnsubscribe(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		a := newApp(t, d, web.Config{})
		c := a.signedIn(domain.RoleSales)
		_, page := c.get("/settings")
		if page.Find(`[data-testid="email-off"]`).Length() != 1 {
			t.Error("the page does not say e-mail is not set up")
		}
		resp, _ := c.submit("/settings/email", url.Values{"kinds": {"offers", "support", "nonsense"}, "digest": {"1"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("save: %d", resp.StatusCode)
		}
		_, page = c.get("/settings")
		for kind, want := range map[string]bool{"offers": true, "support": true, "meetings": false} {
			if _, on := page.Find(`[data-testid="email-form"] input[value="` + kind + `"]`).Attr("checked"); on != want {
				t.Errorf("%s checked=%v", kind, on)
			}
		}
		u, err := a.svc().People.User(t.Context(), a.users[domain.RoleSales].ID)
		if err != nil || u.EmailKinds != "offers support" || !u.EmailDigest || u.EmailToken == "" {
			t.Fatalf("saved: %q %v %q %v", u.EmailKinds, u.EmailDigest, u.EmailToken, err)
		}
		addr := "/email/unsubscribe/" + u.EmailToken + "?kind=offers"
		anon := a.client()
		if resp, page := anon.get(addr); resp.StatusCode != http.StatusOK || page.Find(`[data-testid="unsubscribe"] form`).Length() != 1 {
			t.Fatalf("confirm page: %d", resp.StatusCode)
		}
		req, _ := http.NewRequest(http.MethodPost, a.http.URL+addr, strings.NewReader("List-Unsubscribe=One-Click"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err = http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("one-click: %v %v", resp, err)
		}
		resp.Body.Close()
		u, _ = a.svc().People.User(t.Context(), u.ID)
		if u.EmailKinds != "support" || !u.EmailDigest {
			t.Errorf("after unsubscribing from offers: %q digest=%v", u.EmailKinds, u.EmailDigest)
		}
		for _, bad := range []string{"/email/unsubscribe/not-a-token?kind=offers", "/email/unsubscribe/" + u.EmailToken + "?kind=everything"} {
			if resp, _ := anon.get(bad); resp.StatusCode != http.StatusNotFound {
				t.Errorf("%s: %d", bad, resp.StatusCode)
			}
		}
		// New links: the old one stops working, the new one works.
		if resp, _ := c.submit("/settings/email/links", nil); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("new links: %d", resp.StatusCode)
		}
		rotated, _ := a.svc().People.User(t.Context(), u.ID)
		if resp, _ := anon.get(addr); rotated.EmailToken == u.EmailToken || resp.StatusCode != http.StatusNotFound {
			t.Errorf("the old link after new ones were made: %d", resp.StatusCode)
		}
		if resp, _ := anon.get("/email/unsubscribe/" + rotated.EmailToken + "?kind=support"); resp.StatusCode != http.StatusOK {
			t.Errorf("the new link: %d", resp.StatusCode)
		}
	})
}
