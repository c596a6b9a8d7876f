package service

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"time"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
	"github.com/presale/presale/internal/store"
)

// tokenUseEvery is how often a token's last use is written at most: a
// script calling every second writes once a minute.
const tokenUseEvery = time.Minute

// tokenHash is how a secret is kept and looked up.
func tokenHash(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// CreateToken gives the actor a new personal API token. The secret is
// returned this once; only its hash is kept.
func (s *People) CreateToken(ctx context.Context, actor domain.User, in domain.TokenInput) (domain.APIToken, string, error) {
	now := s.now().UTC()
	t := domain.APIToken{UserID: actor.ID, CreatedAt: now}
	if err := in.Apply(&t, now); err != nil {
		return t, "", err
	}
	secret := domain.TokenPrefix + rand.Text()
	t.Hash, t.Prefix = tokenHash(secret), secret[:len(domain.TokenPrefix)+4]
	err := s.write(ctx, &actor, func(tx *store.Store) ([]Change, error) {
		if err := tx.People().CreateToken(ctx, &t); err != nil {
			return nil, err
		}
		return []Change{{Event: domain.Event{Action: "created", Entity: domain.EntityAPIToken, EntityID: t.ID,
			After: t.Name + " (" + t.Scope.Label() + ")"}}}, nil
	})
	return t, secret, err
}

// Tokens lists the actor's own tokens, or everyone's for an administrator
// who asks for all.
func (s *People) Tokens(ctx context.Context, actor domain.User, all bool) ([]read.TokenRow, error) {
	if !all {
		return s.store.People().Tokens(ctx, actor.ID)
	}
	if err := domain.Authorize(actor, domain.ActionManageUsers, domain.Organisation{}); err != nil {
		return nil, err
	}
	return s.store.People().Tokens(ctx, 0)
}

// RevokeToken ends a token at once. Its owner may; so may an
// administrator, and the owner is told. Someone else's token is not found.
func (s *People) RevokeToken(ctx context.Context, actor domain.User, id int64) (domain.APIToken, error) {
	t, err := s.store.People().TokenByID(ctx, id)
	if err != nil {
		return t, err
	}
	if t.UserID != actor.ID && !domain.Can(actor, domain.ActionManageUsers, domain.Organisation{}) {
		return t, domain.ErrNotFound
	}
	now := s.now().UTC()
	err = s.write(ctx, &actor, func(tx *store.Store) ([]Change, error) {
		switch ok, err := tx.People().RevokeToken(ctx, id, now); {
		case err != nil:
			return nil, err
		case !ok:
			return nil, domain.Conflictf("The token “%s” was revoked already.", t.Name)
		}
		c := Change{Event: domain.Event{Action: "revoked", Entity: domain.EntityAPIToken, EntityID: t.ID, Before: t.Name}}
		if t.UserID != actor.ID {
			c.Notify, c.Text, c.Link = []int64{t.UserID}, actor.Name+" revoked your API token “"+t.Name+"”", "/settings#tokens"
		}
		return []Change{c}, nil
	})
	t.RevokedAt = &now
	return t, err
}

// TokenUser is who a bearer secret acts as, and the token: ErrUnauthorized
// for a secret that is unknown, revoked, expired or whose user may no
// longer sign in. Its use is recorded at most once a minute.
func (s *People) TokenUser(ctx context.Context, secret string) (domain.User, domain.APIToken, error) {
	if !strings.HasPrefix(secret, domain.TokenPrefix) {
		return domain.User{}, domain.APIToken{}, domain.ErrUnauthorized
	}
	t, err := s.store.People().TokenByHash(ctx, tokenHash(secret))
	if errors.Is(err, domain.ErrNotFound) {
		return domain.User{}, t, domain.ErrUnauthorized
	}
	if err != nil {
		return domain.User{}, t, err
	}
	now := s.now().UTC()
	if !t.Live(now) {
		return domain.User{}, t, domain.ErrUnauthorized
	}
	u, err := s.store.People().UserByID(ctx, t.UserID)
	switch {
	case errors.Is(err, domain.ErrNotFound) || (err == nil && !u.Active):
		return domain.User{}, t, domain.ErrUnauthorized
	case err != nil:
		return domain.User{}, t, err
	}
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) >= tokenUseEvery {
		if err := s.store.People().TokenUsed(ctx, t.ID, now, now.Add(-tokenUseEvery)); err != nil {
			return u, t, err
		}
	}
	return u, t, nil
}
