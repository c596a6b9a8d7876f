package domain

import (
	"strings"
	"time"
)

// TokenScope is what a personal API token may do.
type TokenScope string

const (
	ScopeRead      TokenScope = "read"
	ScopeReadWrite TokenScope = "read_write"
)

// TokenScopes lists the scopes in display order.
var TokenScopes = []TokenScope{ScopeRead, ScopeReadWrite}

// Valid reports whether s is a known scope.
func (s TokenScope) Valid() bool { return oneOf(s, TokenScopes) }

// Label is the scope's name for people.
func (s TokenScope) Label() string {
	if s == ScopeReadWrite {
		return "Read and write"
	}
	return "Read only"
}

// TokenPrefix starts every token, so a leaked one is recognisable (secret
// scanners look for such prefixes).
const TokenPrefix = "presale_"

// APIToken is a personal API token: it acts exactly as its user. Only the
// hash of its secret is kept.
type APIToken struct {
	ID         int64
	UserID     int64
	Name       string
	Scope      TokenScope
	Hash       string
	Prefix     string // the secret's first characters, to tell tokens apart
	ExpiresAt  *time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
	CreatedAt  time.Time
}

// Live reports whether the token still lets its user in at now.
func (t APIToken) Live(now time.Time) bool {
	return t.RevokedAt == nil && (t.ExpiresAt == nil || now.Before(*t.ExpiresAt))
}

// Allows reports whether the token may be used for a request that writes
// (or only reads).
func (t APIToken) Allows(writes bool) bool { return !writes || t.Scope == ScopeReadWrite }

// TokenInput is the new-token form as typed.
type TokenInput struct {
	Name, Scope, ExpiresOn string
}

// Apply validates the input onto t; an expiry must lie ahead of today.
// The token expires at the start of that day, UTC.
func (in TokenInput) Apply(t *APIToken, today time.Time) error {
	errs := ValidationErrors{}
	t.Name = Line(in.Name)
	if t.Name == "" {
		errs.Add("name", "Name the token after what uses it, such as “CRM sync”.")
	}
	errs.Fit("name", t.Name, MaxLine)
	t.Scope = TokenScope(in.Scope)
	if !t.Scope.Valid() {
		errs.Add("scope", "Choose read only, or read and write.")
	}
	t.ExpiresAt = nil
	if s := strings.TrimSpace(in.ExpiresOn); s != "" {
		d, err := time.Parse(DateLayout, s)
		switch {
		case err != nil:
			errs.Add("expires_on", "Enter a real date as YYYY-MM-DD, or leave it empty for no expiry.")
		case !d.After(today.Truncate(24 * time.Hour)):
			errs.Add("expires_on", "Choose a date after today.")
		default:
			t.ExpiresAt = &d
		}
	}
	return errs.Err()
}
