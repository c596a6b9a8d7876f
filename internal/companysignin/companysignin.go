// Package companysignin signs people in through the organisation's
// identity provider with OpenID Connect: the authorization code flow with
// PKCE, a state and a nonce per attempt, the ID token verified by
// github.com/coreos/go-oidc (discovery, the provider's keys fetched again
// when they rotate, issuer, audience, expiry and signature). It says who
// the provider vouches for; whom that lets in is the service's to decide.
package companysignin

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/presale/presale/internal/domain"
)

// Config is the identity provider presale is registered with.
type Config struct {
	Issuer       string // PRESALE_OIDC_ISSUER: discovery is at Issuer/.well-known/openid-configuration
	ClientID     string
	ClientSecret string
	RedirectURL  string // presale's callback, absolute: registered with the provider
	Name         string // how the button names the provider ("Sign in with …"); empty says "your company account"
	// Now is the clock ID tokens' expiry is checked against (time.Now
	// when nil).
	Now func() time.Time
	// HTTPClient talks to the provider; nil is a client with a 10 s
	// timeout.
	HTTPClient *http.Client
}

// Lifetime is how long a sign-in attempt may take at the provider.
const Lifetime = 10 * time.Minute

// Client is presale as a relying party of one identity provider.
type Client struct {
	cfg Config

	mu       sync.Mutex
	provider *oidc.Provider // discovered at the first sign-in, kept once found
}

// New makes a client; the provider is asked for its configuration at the
// first sign-in, and again after a failed try, so presale starts while
// the provider is away.
func New(cfg Config) *Client {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 10 * time.Second}
	}
	return &Client{cfg: cfg}
}

// Label is what the sign-in button says.
func (c *Client) Label() string {
	if c.cfg.Name != "" {
		return "Sign in with " + c.cfg.Name
	}
	return "Sign in with your company account"
}

// Attempt is one sign-in under way: kept in the browser's session from
// Begin to Finish, used once.
type Attempt struct {
	State    string    `json:"state"`
	Nonce    string    `json:"nonce"`
	Verifier string    `json:"verifier"` // PKCE's code verifier
	Next     string    `json:"next"`     // where to go once signed in
	TimeZone string    `json:"tz"`       // the browser's, as the password form sends it
	Expires  time.Time `json:"expires"`
}

// Error is a sign-in that did not go through: Reason is for the person,
// Err for the log (it never holds a code or a token).
type Error struct {
	Reason string
	Err    error
}

func (e *Error) Error() string { return e.Reason + ": " + e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

func failed(reason string, err error) error { return &Error{Reason: reason, Err: err} }

// ErrUnreachable is a provider that did not answer its discovery.
var ErrUnreachable = errors.New("identity provider unreachable")

const (
	tryAgain    = "Company sign-in did not complete. Try again."
	unreachable = "presale cannot reach your company's sign-in service just now. Try again in a minute."
)

func (c *Client) ctx(ctx context.Context) context.Context {
	return oidc.ClientContext(ctx, c.cfg.HTTPClient)
}

// Discover asks the provider for its configuration now, rather than at
// the first sign-in: presale serve warms it at start.
func (c *Client) Discover(ctx context.Context) error {
	_, err := c.discover(ctx)
	return err
}

// FormTargets are the origins the company button's form leads to (after
// presale's redirect), for the sign-in page's Content-Security-Policy:
// the issuer's and, once discovered, the authorization endpoint's.
func (c *Client) FormTargets() []string {
	targets := []string{origin(c.cfg.Issuer)}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.provider != nil {
		if o := origin(c.provider.Endpoint().AuthURL); o != targets[0] {
			targets = append(targets, o)
		}
	}
	return slices.DeleteFunc(targets, func(o string) bool { return o == "" })
}

// origin is a URL's scheme and host, or "" for what is not an http(s) URL.
func origin(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || strings.ContainsAny(u.Host, " ;,'") {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

// discover returns the provider's configuration, asking it on first use.
func (c *Client) discover(ctx context.Context) (*oidc.Provider, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.provider != nil {
		return c.provider, nil
	}
	p, err := oidc.NewProvider(c.ctx(ctx), c.cfg.Issuer)
	if err != nil {
		return nil, failed(unreachable, fmt.Errorf("%w: discovery: %v", ErrUnreachable, err))
	}
	c.provider = p
	return p, nil
}

func (c *Client) oauth2(p *oidc.Provider) *oauth2.Config {
	return &oauth2.Config{ClientID: c.cfg.ClientID, ClientSecret: c.cfg.ClientSecret, Endpoint: p.Endpoint(),
		RedirectURL: c.cfg.RedirectURL, Scopes: []string{oidc.ScopeOpenID, oidc.ScopeEmail, oidc.ScopeProfile}}
}

// Begin starts an attempt: the attempt to keep in the browser's session,
// and the provider's address to send the browser to.
func (c *Client) Begin(ctx context.Context, next, timeZone string) (Attempt, string, error) {
	p, err := c.discover(ctx)
	if err != nil {
		return Attempt{}, "", err
	}
	a := Attempt{State: rand.Text(), Nonce: rand.Text(), Verifier: oauth2.GenerateVerifier(), Next: next, TimeZone: timeZone,
		Expires: c.cfg.Now().Add(Lifetime)}
	return a, c.oauth2(p).AuthCodeURL(a.State, oauth2.S256ChallengeOption(a.Verifier), oidc.Nonce(a.Nonce)), nil
}

// Callback is what the provider sent the browser back with.
type Callback struct {
	State, Code             string
	Error, ErrorDescription string // the provider's refusal (RFC 6749, 4.1.2.1)
}

// Finish completes an attempt: the callback must carry its state, the
// code is exchanged with its verifier, the ID token must be the
// provider's, for presale, unexpired and carry its nonce. It returns who
// the provider vouches for.
func (c *Client) Finish(ctx context.Context, a Attempt, cb Callback) (domain.CompanyIdentity, error) {
	var none domain.CompanyIdentity
	switch {
	case a.State == "":
		return none, failed("This sign-in was already used or never started here. Start again from the sign-in page.", errors.New("no attempt in the session"))
	case subtle.ConstantTimeCompare([]byte(cb.State), []byte(a.State)) != 1:
		return none, failed("This sign-in did not start in this browser. Start again from the sign-in page.", errors.New("state mismatch"))
	case !c.cfg.Now().Before(a.Expires):
		return none, failed("This sign-in took too long. Start again from the sign-in page.", errors.New("attempt expired"))
	case cb.Error != "":
		return none, failed("Your company's sign-in service did not sign you in ("+describe(cb)+").", fmt.Errorf("provider error %q", cb.Error))
	case cb.Code == "":
		return none, failed(tryAgain, errors.New("no code"))
	}
	p, err := c.discover(ctx)
	if err != nil {
		return none, err
	}
	ctx = c.ctx(ctx)
	tok, err := c.oauth2(p).Exchange(ctx, cb.Code, oauth2.VerifierOption(a.Verifier))
	if err != nil {
		return none, failed(tryAgain, fmt.Errorf("code exchange: %w", errorCode(err)))
	}
	raw, ok := tok.Extra("id_token").(string)
	if !ok {
		return none, failed(tryAgain, errors.New("no ID token in the token response"))
	}
	idt, err := p.Verifier(&oidc.Config{ClientID: c.cfg.ClientID, Now: c.cfg.Now}).Verify(ctx, raw)
	var expired *oidc.TokenExpiredError
	if errors.As(err, &expired) {
		return none, failed("Your company's sign-in service sent an expired sign-in. Try again; if it keeps happening, ask an administrator to check the server clocks.", err)
	}
	if err != nil {
		return none, failed(tryAgain, fmt.Errorf("ID token: %w", err))
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(a.Nonce)) != 1 {
		return none, failed("This sign-in was not the one started in this browser. Start again from the sign-in page.", errors.New("nonce mismatch"))
	}
	var cl claims
	if err := idt.Claims(&cl); err != nil {
		return none, failed(tryAgain, fmt.Errorf("ID token claims: %w", err))
	}
	id := domain.CompanyIdentity{Subject: idt.Subject, Email: cl.Email, EmailVerified: bool(cl.EmailVerified), Name: cl.Name}
	if id.Email == "" && p.UserInfoEndpoint() != "" {
		// Many providers put the e-mail in user info only, not the ID token.
		if id, err = userInfo(ctx, p, tok, idt.Subject); err != nil {
			return none, failed(tryAgain, err)
		}
	}
	return id, nil
}

// userInfo asks the provider who the access token's subject is, which
// must be the ID token's (OpenID Connect Core, 5.3.2).
func userInfo(ctx context.Context, p *oidc.Provider, tok *oauth2.Token, subject string) (domain.CompanyIdentity, error) {
	ui, err := p.UserInfo(ctx, oauth2.StaticTokenSource(tok))
	if err != nil {
		return domain.CompanyIdentity{}, fmt.Errorf("user info: %w", err)
	}
	if ui.Subject != subject {
		return domain.CompanyIdentity{}, errors.New("user info is of another subject than the ID token")
	}
	var cl claims
	if err := ui.Claims(&cl); err != nil {
		return domain.CompanyIdentity{}, fmt.Errorf("user info claims: %w", err)
	}
	return domain.CompanyIdentity{Subject: subject, Email: ui.Email, EmailVerified: ui.EmailVerified, Name: cl.Name}, nil
}

// claims are the ID token's and user info's claims presale reads.
type claims struct {
	Email         string    `json:"email"`
	EmailVerified looseBool `json:"email_verified"`
	Name          string    `json:"name"`
}

// looseBool reads true or "true": some providers send booleans as strings.
type looseBool bool

func (b *looseBool) UnmarshalJSON(data []byte) error {
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	switch v := v.(type) {
	case bool:
		*b = looseBool(v)
	case string:
		*b = v == "true"
	}
	return nil
}

// describe is the provider's refusal in words, bounded: it came through
// the browser, so it is shown as text, never trusted.
func describe(cb Callback) string {
	s := cb.ErrorDescription
	if s == "" {
		s = cb.Error
	}
	return domain.Line(truncate(s, 200))
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// errorCode keeps of a failed exchange the provider's error code alone:
// its response is not for the log.
func errorCode(err error) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) && re.Response != nil {
		return fmt.Errorf("the provider answered %d %s", re.Response.StatusCode, domain.Line(truncate(re.ErrorCode, 64)))
	}
	return err
}
