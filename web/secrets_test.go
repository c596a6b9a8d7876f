package web_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/presale/presale/db"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/service"
	"github.com/presale/presale/internal/store"
	"github.com/presale/presale/internal/testenv"
	"github.com/presale/presale/web"
)

// With the log at debug level (every SQL statement logged), a load of
// sign-ins, pages, forms, failed inserts and calendar fetches leaves no
// session token, calendar token, password or password hash in the log,
// and the sessions table holds no token as it is in the cookie.
func TestNoCredentialReachesTheLog(t *testing.T) {
	for _, engine := range testenv.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			ctx := context.Background()
			var logs testenv.Buffer
			log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			d, err := db.Open(ctx, testenv.URL(t, engine), log)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { d.Close() })
			if err := d.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			a := newApp(t, d, web.Config{})
			// The same database, served with the debug logger.
			st := store.New(d.Write, d.Read)
			a.srv = web.New(web.Config{}, service.New(st, service.WithLogger(log)), st.Sessions(), d.Ready, log)
			a.http = httptest.NewServer(a.srv)
			t.Cleanup(a.http.Close)

			var clients []*client
			var wg sync.WaitGroup
			var mu sync.Mutex
			for i := range 8 {
				r := domain.Roles[i%len(domain.Roles)]
				wg.Go(func() {
					c := a.signedIn(r)
					for _, p := range []string{"/", "/deals", "/meetings", "/promises", "/settings", "/notifications"} {
						c.get(p)
					}
					c.submit("/accounts", url.Values{"name": {fmt.Sprintf("Acme %d", i)}})
					// A refused insert: the e-mail is taken.
					c.submit("/admin/users", url.Values{"name": {"Dup"}, "email": {a.users[domain.RoleSales].Email}, "role": {"sales"}, "password": {password}})
					mu.Lock()
					clients = append(clients, c)
					mu.Unlock()
				})
			}
			wg.Wait()
			bad := a.client()
			bad.post("/login", url.Values{"email": {a.users[domain.RoleSales].Email}, "password": {"wrong " + password}}, bad.csrf("/login"))

			var secrets []string
			for _, u := range a.users {
				u, err := st.People().UserByID(ctx, u.ID)
				if err != nil {
					t.Fatal(err)
				}
				a.client().get("/calendar/" + u.CalendarToken + ".ics")
				a.client().get("/calendar/" + u.CalendarToken + "x.ics") // a wrong one, logged as not found
				if u, err = a.svc().People.SetEmailPrefs(ctx, u, domain.EmailPrefs{Kinds: []string{"offers"}}); err != nil {
					t.Fatal(err)
				}
				a.client().get("/email/unsubscribe/" + u.EmailToken + "?kind=offers")
				secrets = append(secrets, u.CalendarToken, u.PasswordHash, u.EmailToken)
			}
			for _, c := range clients {
				tok := c.cookie("presale_session")
				if tok == "" {
					t.Fatal("a client has no session cookie")
				}
				sum := sha256.Sum256([]byte(tok))
				secrets = append(secrets, tok, hex.EncodeToString(sum[:]))
				var stored int64
				d.Read.Table("sessions").Where("token = ?", tok).Count(&stored)
				if stored != 0 {
					t.Fatal("a session token is stored as it is in the cookie")
				}
			}
			secrets = append(secrets, password)
			out := logs.String()
			if !strings.Contains(out, "SELECT") || !strings.Contains(out, "/calendar/") || !strings.Contains(out, "/email/unsubscribe/") {
				t.Fatalf("the debug log did not record SQL and requests; the test proves nothing:\n%.2000s", out)
			}
			for _, s := range secrets {
				if strings.Contains(out, s) {
					t.Errorf("the log holds a credential %.12s…", s)
				}
			}
			t.Logf("%s: %d log bytes, %d credentials checked", engine, len(out), len(secrets))
		})
	}
}
