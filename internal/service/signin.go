package service

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/store"
)

// WithCompanySignIn says the organisation's identity provider is
// configured: company sign-in's settings (who joins, whether passwords are
// left to administrators) then apply. Without it passwords work for all.
func WithCompanySignIn() Option { return func(s *Service) { s.companySignIn = true } }

// CompanySignInConfigured reports whether people may sign in through the
// organisation's identity provider.
func (s *core) CompanySignInConfigured() bool { return s.companySignIn }

// signInSettings are company sign-in's settings when it is configured;
// the zero settings (passwords for everyone, no one joins) otherwise.
func (s *core) signInSettings(ctx context.Context, st *store.Store) (domain.CompanySignIn, error) {
	if !s.companySignIn {
		return domain.CompanySignIn{}, nil
	}
	return st.Organisation().CompanySignIn(ctx)
}

// PasswordsForAdminsOnly reports whether company sign-in is required, so
// that the sign-in page's password form is the administrators'.
func (s *People) PasswordsForAdminsOnly(ctx context.Context) (bool, error) {
	settings, err := s.signInSettings(ctx, s.store)
	return settings.SignInRequired, err
}

// SignInWithCompany returns the person the identity provider vouched for,
// matched by verified e-mail, creating them with the administrator's
// default role when their domain is admitted; refusals are
// *domain.SignInRefusal.
func (s *People) SignInWithCompany(ctx context.Context, id domain.CompanyIdentity) (domain.User, error) {
	if !s.companySignIn {
		return domain.User{}, domain.ErrUnauthorized
	}
	settings, err := s.signInSettings(ctx, s.store)
	if err != nil {
		return domain.User{}, err
	}
	var known *domain.User
	if id.Email != "" {
		switch u, err := s.store.People().UserByEmail(ctx, id.Email); {
		case err == nil:
			known = &u
		case !errors.Is(err, domain.ErrNotFound):
			return domain.User{}, err
		}
	}
	if err := settings.Admit(id, known); err != nil {
		return domain.User{}, err
	}
	if known != nil {
		return *known, nil
	}
	return s.join(ctx, id, settings.SignInRole)
}

// join creates the person of a first company sign-in. They have no
// password: they sign in through the company's identity provider.
func (s *People) join(ctx context.Context, id domain.CompanyIdentity, role domain.Role) (domain.User, error) {
	u, err := domain.NewUser(id.NewcomerName(), id.Email, role, false)
	if err != nil {
		return domain.User{}, &domain.SignInRefusal{Reason: "presale cannot take the name or e-mail your company account gave it. Ask an administrator to add you."}
	}
	u.CalendarToken = rand.Text()
	err = s.write(ctx, nil, func(tx *store.Store) ([]Change, error) {
		if err := tx.People().CreateUser(ctx, &u); err != nil {
			return nil, err
		}
		return []Change{{Event: domain.Event{Action: "created", Entity: domain.EntityUser, EntityID: u.ID,
			After: fmt.Sprintf("%s <%s>, %s, at their first company sign-in", u.Name, u.Email, u.Role)}}}, nil
	})
	if errors.Is(err, store.ErrEmailTaken) {
		// Someone else's first sign-in as them got there first: sign in as
		// the person it created.
		return s.SignInWithCompany(ctx, id)
	}
	return u, err
}

// CompanySignIn reads company sign-in's settings, for the administrator.
func (s *Organisation) CompanySignIn(ctx context.Context, actor domain.User) (domain.CompanySignIn, error) {
	if err := domain.Authorize(actor, domain.ActionManageSettings, domain.Organisation{}); err != nil {
		return domain.CompanySignIn{}, err
	}
	return s.store.Organisation().CompanySignIn(ctx)
}

// SaveCompanySignIn sets which domains may join, as what, and whether
// passwords are left to administrators.
func (s *Organisation) SaveCompanySignIn(ctx context.Context, actor domain.User, in domain.CompanySignInInput) error {
	if err := domain.Authorize(actor, domain.ActionManageSettings, domain.Organisation{}); err != nil {
		return err
	}
	if !s.companySignIn {
		return domain.Conflictf("Company sign-in is not configured: set PRESALE_OIDC_ISSUER, PRESALE_OIDC_CLIENT_ID and PRESALE_OIDC_CLIENT_SECRET first.")
	}
	next, err := in.Parse()
	if err != nil {
		return err
	}
	next.UpdatedAt = s.now().UTC()
	return s.write(ctx, &actor, func(tx *store.Store) ([]Change, error) {
		before, err := tx.Organisation().CompanySignIn(ctx)
		if err != nil {
			return nil, err
		}
		if err := tx.Organisation().SaveCompanySignIn(ctx, next); err != nil {
			return nil, err
		}
		return changed(domain.EntitySettings, 1, nil, signInSnapshot(before), signInSnapshot(next)), nil
	})
}

func signInSnapshot(c domain.CompanySignIn) domain.Snapshot {
	return domain.Snapshot{{Field: "sign_in_domains", New: c.SignInDomains}, {Field: "sign_in_role", New: string(c.SignInRole)},
		{Field: "sign_in_required", New: fmt.Sprint(c.SignInRequired)}}
}
