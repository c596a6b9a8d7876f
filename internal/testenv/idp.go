package testenv

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/example/server/exampleop"
	"github.com/zitadel/oidc/v3/example/server/storage"
	"github.com/zitadel/oidc/v3/pkg/op"
	"golang.org/x/text/language"

	"github.com/presale/presale/internal/companysignin"
)

// The company's identity provider of the tests is a real OpenID provider:
// zitadel's op package (OpenID certified) with its example storage and
// login page, on its own HTTP server. presale talks to it as it would to
// any company's: discovery, the authorization code flow with PKCE, the
// token endpoint, its published keys, user info.

// The provider's client for presale, and every person's password there.
const (
	IdPClientID     = "presale"
	IdPClientSecret = "presale-test-secret"
	IdPPassword     = "provider-password"
)

// IdP is the identity provider on its server.
type IdP struct {
	URL      string
	callback string // presale's
	people   *idpPeople
	storage  *idpStorage
}

// CompanyIdP starts a provider that knows presale by its callback (the
// absolute address of web.CompanyCallbackPath), and the client presale
// signs in through it with ("Example SSO" on the button), checking ID
// tokens' expiry on clock.
func CompanyIdP(t testing.TB, callback string, clock func() time.Time) (*IdP, *companysignin.Client) {
	t.Helper()
	var router http.Handler
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { router.ServeHTTP(w, r) }))
	t.Cleanup(srv.Close)
	people := &idpPeople{users: map[string]*storage.User{}}
	clients := map[string]*storage.Client{IdPClientID: storage.WebClient(IdPClientID, IdPClientSecret, callback)}
	st := &idpStorage{Storage: storage.NewStorageWithClients(people, clients)}
	st.RotateKeys()
	router = exampleop.SetupServer(srv.URL, st, nil, false)
	client := companysignin.New(companysignin.Config{Issuer: srv.URL, ClientID: IdPClientID, ClientSecret: IdPClientSecret,
		RedirectURL: callback, Name: "Example SSO", Now: clock})
	return &IdP{URL: srv.URL, callback: callback, people: people, storage: st}, client
}

// Person adds someone to the provider's directory; they sign in there
// with their e-mail as user name and IdPPassword.
func (p *IdP) Person(email, name string, verified bool) {
	p.people.mu.Lock()
	defer p.people.mu.Unlock()
	first, last, _ := strings.Cut(name, " ")
	p.people.users["id-"+email] = &storage.User{ID: "id-" + email, Username: email, Password: IdPPassword, FirstName: first, LastName: last,
		Email: email, EmailVerified: verified, PreferredLanguage: language.English}
}

// Tokens sets how the provider makes presale's ID tokens: their lifetime
// (0 is the example's hour; below 0 they are born expired), and whether
// they carry the e-mail or leave it to user info.
func (p *IdP) Tokens(lifetime time.Duration, emailInToken bool) {
	p.storage.mu.Lock()
	defer p.storage.mu.Unlock()
	p.storage.lifetime, p.storage.inToken = lifetime, emailInToken
}

// RotateKeys makes the provider sign with a new key, publishing it beside
// the one it replaces.
func (p *IdP) RotateKeys() { p.storage.RotateKeys() }

// SignIn is a person at the provider's login page, from the address
// presale sent the browser to: it answers the address the provider sends
// the browser back to presale with.
func (p *IdP) SignIn(t testing.TB, authURL, username string) string {
	t.Helper()
	back := func(u *url.URL) bool { return !strings.HasPrefix(u.String(), p.URL) }
	hc := &http.Client{CheckRedirect: func(req *http.Request, _ []*http.Request) error {
		if back(req.URL) {
			return http.ErrUseLastResponse
		}
		return nil
	}}
	resp, err := hc.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	id := resp.Request.URL.Query().Get("authRequestID")
	if resp.StatusCode != http.StatusOK || id == "" {
		t.Fatalf("the provider's login page: %d at %s (Location %s)", resp.StatusCode, resp.Request.URL, resp.Header.Get("Location"))
	}
	resp, err = hc.PostForm(p.URL+"/login/username", url.Values{"username": {username}, "password": {IdPPassword}, "id": {id}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	to := resp.Header.Get("Location")
	if !strings.HasPrefix(to, p.callback+"?") {
		t.Fatalf("the provider sent the browser to %q (%d), not back to presale", to, resp.StatusCode)
	}
	return to
}

// idpPeople is the provider's directory.
type idpPeople struct {
	mu    sync.Mutex
	users map[string]*storage.User
}

func (p *idpPeople) GetUserByID(id string) *storage.User {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.users[id]
}

func (p *idpPeople) GetUserByUsername(username string) *storage.User {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, u := range p.users {
		if u.Username == username {
			return u
		}
	}
	return nil
}

func (p *idpPeople) ExampleClientID() string { return storage.ServiceUserID }

// idpStorage is the example storage with presale's client as the test
// sets it, and keys that rotate.
type idpStorage struct {
	*storage.Storage
	mu       sync.Mutex
	lifetime time.Duration
	inToken  bool
	keys     []*idpKey // the newest signs; all are published
}

func (s *idpStorage) GetClientByClientID(ctx context.Context, id string) (op.Client, error) {
	c, err := s.Storage.GetClientByClientID(ctx, id)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return idpClient{Client: c, lifetime: s.lifetime, inToken: s.inToken}, nil
}

func (s *idpStorage) RotateKeys() {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keys = append(s.keys, &idpKey{id: rand.Text(), key: key})
}

func (s *idpStorage) SigningKey(context.Context) (op.SigningKey, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.keys[len(s.keys)-1], nil
}

func (s *idpStorage) SignatureAlgorithms(context.Context) ([]jose.SignatureAlgorithm, error) {
	return []jose.SignatureAlgorithm{jose.RS256}, nil
}

func (s *idpStorage) KeySet(context.Context) ([]op.Key, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	keys := make([]op.Key, len(s.keys))
	for i, k := range s.keys {
		keys[i] = idpPublicKey{k}
	}
	return keys, nil
}

type idpKey struct {
	id  string
	key *rsa.PrivateKey
}

func (k *idpKey) SignatureAlgorithm() jose.SignatureAlgorithm { return jose.RS256 }
func (k *idpKey) Key() any                                    { return k.key }
func (k *idpKey) ID() string                                  { return k.id }

type idpPublicKey struct{ *idpKey }

func (k idpPublicKey) Algorithm() jose.SignatureAlgorithm { return jose.RS256 }
func (k idpPublicKey) Use() string                        { return "sig" }
func (k idpPublicKey) Key() any                           { return &k.key.PublicKey }

type idpClient struct {
	op.Client
	lifetime time.Duration
	inToken  bool
}

func (c idpClient) IDTokenLifetime() time.Duration {
	if c.lifetime != 0 {
		return c.lifetime
	}
	return c.Client.IDTokenLifetime()
}

func (c idpClient) IDTokenUserinfoClaimsAssertion() bool { return c.inToken }
