package service

import (
	"context"
	"crypto/rand"
	"errors"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/store"
)

// SetEmailPrefs saves which notifications the actor also gets by e-mail,
// and the daily digest.
func (s *People) SetEmailPrefs(ctx context.Context, actor domain.User, p domain.EmailPrefs) (domain.User, error) {
	u, err := s.store.People().UserByID(ctx, actor.ID)
	if err != nil {
		return u, err
	}
	p.Apply(&u)
	err = s.write(ctx, &actor, func(tx *store.Store) ([]Change, error) {
		if err := tx.People().SetEmailPrefs(ctx, u, rand.Text()); err != nil {
			return nil, err
		}
		return []Change{{Event: domain.Event{Action: "updated", Entity: domain.EntityUser, EntityID: u.ID, After: "e-mail choices"}}}, nil
	})
	if err != nil {
		return u, err
	}
	return s.store.People().UserByID(ctx, u.ID) // with the token kept
}

// RotateEmailToken gives the actor new unsubscribe links: those in the
// e-mails already sent stop working.
func (s *People) RotateEmailToken(ctx context.Context, actor domain.User) error {
	return s.write(ctx, &actor, func(tx *store.Store) ([]Change, error) {
		return []Change{{Event: domain.Event{Action: "rotated", Entity: domain.EntityUser, EntityID: actor.ID, After: "new unsubscribe links"}}},
			tx.People().SetEmailToken(ctx, actor.ID, rand.Text())
	})
}

// errKindsChanged is an unsubscribe that lost to another change of the
// same person's kinds: it reads them again.
var errKindsChanged = errors.New("e-mail kinds changed meanwhile")

// Unsubscribe takes a kind of e-mail (or the digest) off the choices of
// whoever's links carry token. It changes only that: the digest flag, or
// the list of kinds as it read it, so unsubscribes arriving together
// (two links, two instances) and a save of the settings page all stand.
func (s *People) Unsubscribe(ctx context.Context, token, kind string) (domain.User, error) {
	for attempt := 0; ; attempt++ {
		u, err := s.store.People().UserByEmailToken(ctx, token)
		if err != nil {
			return u, err
		}
		before := u.EmailKinds
		u.Unsubscribe(kind)
		err = s.write(ctx, &u, func(tx *store.Store) ([]Change, error) {
			change := []Change{{Event: domain.Event{Action: "updated", Entity: domain.EntityUser, EntityID: u.ID, After: "unsubscribed from " + kind}}}
			if kind == domain.DigestKind {
				return change, tx.People().StopDigest(ctx, u.ID)
			}
			ok, err := tx.People().SetEmailKinds(ctx, u.ID, before, u.EmailKinds)
			if err == nil && !ok {
				err = errKindsChanged
			}
			return change, err
		})
		if !errors.Is(err, errKindsChanged) || attempt == 10 {
			return u, err
		}
	}
}

// UserByEmailToken is whose unsubscribe links carry token.
func (s *People) UserByEmailToken(ctx context.Context, token string) (domain.User, error) {
	return s.store.People().UserByEmailToken(ctx, token)
}
