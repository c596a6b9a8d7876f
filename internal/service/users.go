package service

import (
	"cmp"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/store"
)

// NewUser is what it takes to add a person.
type NewUser struct {
	Name     string
	Email    string
	Role     domain.Role
	Admin    bool
	Password string
	Capacity int
}

// People are the use cases of the people in presale: accounts of users,
// signing in, passwords (password.go), API tokens (tokens.go) and
// e-mail choices (emailprefs.go).
type People struct{ *core }

// CreateUser adds a user. actor is nil when the command line does it.
func (s *People) CreateUser(ctx context.Context, actor *domain.User, in NewUser) (domain.User, error) {
	if actor != nil {
		if err := domain.Authorize(*actor, domain.ActionManageUsers, domain.Organisation{}); err != nil {
			return domain.User{}, err
		}
	}
	u, err := domain.NewUser(in.Name, in.Email, in.Role, in.Admin)
	errs, _ := err.(domain.ValidationErrors)
	if errs == nil {
		errs = domain.ValidationErrors{}
	}
	if err := domain.CheckPassword(in.Password); err != nil {
		errs.Add("password", err.(domain.ValidationErrors)["password"])
	}
	if err := errs.Err(); err != nil {
		return domain.User{}, err
	}
	if in.Capacity > 0 {
		u.Capacity = in.Capacity
	}
	if u.PasswordHash, err = HashPassword(in.Password); err != nil {
		return domain.User{}, err
	}
	u.CalendarToken = rand.Text()
	err = s.write(ctx, actor, func(tx *store.Store) ([]Change, error) {
		if err := tx.People().CreateUser(ctx, &u); err != nil {
			if errors.Is(err, store.ErrEmailTaken) {
				return nil, domain.ValidationErrors{"email": "Someone already signs in with this e-mail."}
			}
			return nil, err
		}
		return []Change{{Event: domain.Event{Action: "created", Entity: domain.EntityUser, EntityID: u.ID,
			After: fmt.Sprintf("%s <%s>, %s, admin=%v", u.Name, u.Email, u.Role, u.Admin)}}}, nil
	})
	return u, err
}

// dummyHash is verified when no user matches, so a wrong e-mail takes as
// long as a wrong password and does not reveal who has an account.
var dummyHash, _ = HashPassword("presale-no-such-user")

// Authenticate returns the active user with this e-mail and password, or
// ErrUnauthorized whatever was wrong; domain.ErrUseCompanySignIn when the
// organisation requires company sign-in of them.
func (s *People) Authenticate(ctx context.Context, email, password string) (domain.User, error) {
	u, err := s.store.People().UserByEmail(ctx, email)
	if errors.Is(err, domain.ErrNotFound) {
		_, _ = VerifyPassword(dummyHash, password)
		return domain.User{}, domain.ErrUnauthorized
	}
	if err != nil {
		return domain.User{}, err
	}
	if u.PasswordHash == "" { // joined through company sign-in: as slow as a wrong password
		_, _ = VerifyPassword(dummyHash, password)
		return domain.User{}, domain.ErrUnauthorized
	}
	ok, err := VerifyPassword(u.PasswordHash, password)
	if err != nil || !ok || !u.Active {
		return domain.User{}, domain.ErrUnauthorized
	}
	settings, err := s.signInSettings(ctx, s.store)
	if err != nil {
		return domain.User{}, err
	}
	if !settings.PasswordAllowed(u) {
		return domain.User{}, domain.ErrUseCompanySignIn
	}
	return u, nil
}

// User loads a user by id, for the signed-in session.
func (s *People) User(ctx context.Context, id int64) (domain.User, error) {
	return s.store.People().UserByID(ctx, id)
}

func userSnapshot(u domain.User) domain.Snapshot {
	return domain.Snapshot{{Field: "role", New: string(u.Role)}, {Field: "admin", New: fmt.Sprint(u.Admin)},
		{Field: "active", New: fmt.Sprint(u.Active)}, {Field: "capacity", New: fmt.Sprint(u.Capacity)}}
}

// UpdateUser changes a person's role, rights, activity and capacity; an
// administrator's task.
func (s *People) UpdateUser(ctx context.Context, actor domain.User, id int64, in domain.UserUpdate) (domain.User, error) {
	if err := domain.Authorize(actor, domain.ActionManageUsers, domain.Organisation{}); err != nil {
		return domain.User{}, err
	}
	var u domain.User
	err := s.write(ctx, &actor, func(tx *store.Store) ([]Change, error) {
		var err error
		if u, err = tx.People().UserByID(ctx, id); err != nil {
			return nil, err
		}
		before := userSnapshot(u)
		if err := in.Apply(&u, actor); err != nil {
			return nil, err
		}
		u.UpdatedAt = s.now().UTC()
		if err := tx.People().SaveUserAccess(ctx, &u); err != nil {
			return nil, err
		}
		return changed(domain.EntityUser, u.ID, nil, before, userSnapshot(u)), nil
	})
	return u, err
}

// Users lists everyone, for administrators.
func (s *People) Users(ctx context.Context, actor domain.User) ([]domain.User, error) {
	if err := domain.Authorize(actor, domain.ActionManageUsers, domain.Organisation{}); err != nil {
		return nil, err
	}
	return s.store.People().Users(ctx, "")
}

// RotateCalendarToken gives the user a new calendar feed address; the old
// one stops working at once.
func (s *People) RotateCalendarToken(ctx context.Context, actor domain.User) (domain.User, error) {
	u := actor
	err := s.write(ctx, &actor, func(tx *store.Store) ([]Change, error) {
		u.CalendarToken = rand.Text()
		if err := tx.People().SetCalendarToken(ctx, u.ID, u.CalendarToken, s.now().UTC()); err != nil {
			return nil, err
		}
		return []Change{{Event: domain.Event{Action: "rotated", Entity: domain.EntityCalendarFeed, EntityID: u.ID, After: "a new feed address"}}}, nil
	})
	return u, err
}

// ChangePassword replaces the actor's password once they prove the current
// one; their other sessions end.
func (s *People) ChangePassword(ctx context.Context, actor domain.User, current, next string) (domain.User, error) {
	u, err := s.store.People().UserByID(ctx, actor.ID)
	if err != nil {
		return u, err
	}
	errs := domain.ValidationErrors{}
	if ok, err := VerifyPassword(u.PasswordHash, current); err != nil || !ok {
		errs.Add("current_password", "This is not your current password.")
	}
	if err := domain.CheckPassword(next); err != nil {
		errs.Add("new_password", err.(domain.ValidationErrors)["password"])
	} else if next == current {
		errs.Add("new_password", "Choose a password different from the current one.")
	}
	if err := errs.Err(); err != nil {
		return u, err
	}
	return u, s.setPassword(ctx, actor, &u, next, false, "changed their password")
}

// SetOneTimePassword gives someone a password to sign in with once: they
// must choose their own at that sign-in, and their sessions end now.
func (s *People) SetOneTimePassword(ctx context.Context, actor domain.User, id int64, pw string) (domain.User, error) {
	if err := domain.Authorize(actor, domain.ActionManageUsers, domain.Organisation{}); err != nil {
		return domain.User{}, err
	}
	if err := domain.CheckPassword(pw); err != nil {
		return domain.User{}, domain.ValidationErrors{"one_time_password": err.(domain.ValidationErrors)["password"]}
	}
	u, err := s.store.People().UserByID(ctx, id)
	if err != nil {
		return u, err
	}
	return u, s.setPassword(ctx, actor, &u, pw, true, "one-time password set by "+actor.Name)
}

func (s *People) setPassword(ctx context.Context, actor domain.User, u *domain.User, pw string, mustChange bool, what string) error {
	hash, err := HashPassword(pw)
	if err != nil {
		return err
	}
	return s.write(ctx, &actor, func(tx *store.Store) ([]Change, error) {
		if err := tx.People().SetPassword(ctx, u, hash, mustChange, s.now().UTC()); err != nil {
			return nil, err
		}
		return []Change{{Event: domain.Event{Action: "password", Entity: domain.EntityUser, EntityID: u.ID, After: what}}}, nil
	})
}

// UsersWithRole lists the active users of a role, oldest first: whom the
// benchmark signs in as.
func (s *People) UsersWithRole(ctx context.Context, role domain.Role) ([]domain.User, error) {
	users, err := s.store.People().Users(ctx, role)
	users = slices.DeleteFunc(users, func(u domain.User) bool { return !u.Active })
	slices.SortFunc(users, func(a, b domain.User) int { return cmp.Compare(a.ID, b.ID) })
	return users, err
}

// SetTimeZone stores the zone a user reads and types times in.
func (s *People) SetTimeZone(ctx context.Context, actor domain.User, tz string) error {
	if _, err := time.LoadLocation(tz); err != nil || tz == "" {
		return domain.ValidationErrors{"time_zone": "Choose a time zone from the list."}
	}
	return s.write(ctx, &actor, func(tx *store.Store) ([]Change, error) {
		if err := tx.People().SetTimeZone(ctx, actor.ID, tz, s.now().UTC()); err != nil {
			return nil, err
		}
		return []Change{{Event: domain.Event{Action: "updated", Entity: domain.EntityUser, EntityID: actor.ID,
			Before: "time_zone: " + actor.TimeZone, After: "time_zone: " + tz}}}, nil
	})
}

// Owners lists who may own deals: active salespeople and managers, with
// their ID, name and role (store.OwnerChoices).
func (s *People) Owners(ctx context.Context) ([]domain.User, error) {
	return s.store.People().OwnerChoices(ctx)
}

// DevRelUsers lists the active DevRel engineers.
func (s *People) DevRelUsers(ctx context.Context) ([]domain.User, error) {
	users, err := s.store.People().Users(ctx, domain.RoleDevRel)
	var out []domain.User
	for _, u := range users {
		if u.Active {
			out = append(out, u)
		}
	}
	return out, err
}
