package store

import (
	"context"
	"errors"
	"time"

	"github.com/presale/presale/internal/domain"
	"gorm.io/gorm"
)

// ErrEmailTaken is returned when a user with that e-mail already exists.
var ErrEmailTaken = errors.New("e-mail already in use")

// CreateUser inserts u and sets its ID.
func (s People) CreateUser(ctx context.Context, u *domain.User) error {
	err := s.write(ctx).Create(u).Error
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return ErrEmailTaken
	}
	return err
}

// UserByID loads one user.
func (s People) UserByID(ctx context.Context, id int64) (domain.User, error) {
	return first[domain.User](ctx, s.core, id)
}

// UserByEmail finds a user regardless of the address's case.
func (s People) UserByEmail(ctx context.Context, email string) (domain.User, error) {
	var u domain.User
	err := s.read(ctx).Where("lower(email) = ?", domain.NormalizeEmail(email)).First(&u).Error
	return u, notFound(err)
}

// Users lists users by role (all roles when role is empty), by name.
func (s People) Users(ctx context.Context, role domain.Role) ([]domain.User, error) {
	q := s.read(ctx).Order("name")
	if role != "" {
		q = q.Where("role = ?", role)
	}
	var us []domain.User
	return us, q.Find(&us).Error
}

// OwnerChoices lists who may own deals, active salespeople and managers,
// by name, with what a choice shows: ID, Name and Role only. Every list
// and form with an owner asks for them, so nothing else is read.
func (s People) OwnerChoices(ctx context.Context) ([]domain.User, error) {
	var us []domain.User
	return us, s.read(ctx).Select("id, name, role").Where("active AND role <> ?", domain.RoleDevRel).Order("name").Find(&us).Error
}

// CountUsers tells whether the database already holds people.
func (s People) CountUsers(ctx context.Context) (int64, error) {
	var n int64
	return n, s.read(ctx).Model(&domain.User{}).Count(&n).Error
}

// UsersByID loads users by id, keyed by id.
func (s People) UsersByID(ctx context.Context, ids []int64) (map[int64]domain.User, error) {
	var us []domain.User
	if err := s.read(ctx).Where("id IN ?", dedupe(ids)).Find(&us).Error; err != nil {
		return nil, err
	}
	m := make(map[int64]domain.User, len(us))
	for _, u := range us {
		m[u.ID] = u
	}
	return m, nil
}

// UserNames maps each of ids to the user's name: a list needs no more
// of them.
func (s People) UserNames(ctx context.Context, ids []int64) (map[int64]string, error) {
	var us []struct {
		ID   int64
		Name string
	}
	if err := s.read(ctx).Table("users").Select("id, name").Where("id IN ?", dedupe(ids)).Scan(&us).Error; err != nil {
		return nil, err
	}
	m := make(map[int64]string, len(us))
	for _, u := range us {
		m[u.ID] = u.Name
	}
	return m, nil
}

// SetTimeZone stores a user's chosen time zone.
func (s People) SetTimeZone(ctx context.Context, userID int64, tz string, at time.Time) error {
	return s.write(ctx).Model(&domain.User{}).Where("id = ?", userID).Updates(map[string]any{"time_zone": tz, "updated_at": at}).Error
}

// SaveUserAccess writes a user's role, admin flag, activity and capacity.
func (s People) SaveUserAccess(ctx context.Context, u *domain.User) error {
	return s.write(ctx).Model(u).Select("role", "admin", "active", "capacity", "updated_at").Updates(u).Error
}

// UserByCalendarToken finds the user a calendar feed belongs to.
func (s People) UserByCalendarToken(ctx context.Context, token string) (domain.User, error) {
	var u domain.User
	if token == "" {
		return u, domain.ErrNotFound
	}
	err := s.read(ctx).Where("calendar_token = ?", token).First(&u).Error
	return u, notFound(err)
}

// SetCalendarToken replaces a user's calendar feed token.
func (s People) SetCalendarToken(ctx context.Context, userID int64, token string, at time.Time) error {
	return s.write(ctx).Model(&domain.User{}).Where("id = ?", userID).Updates(map[string]any{"calendar_token": token, "updated_at": at}).Error
}

// SetPassword stores a new password hash and ends every session signed in
// before it; mustChange asks for another at the next sign-in.
func (s People) SetPassword(ctx context.Context, u *domain.User, hash string, mustChange bool, at time.Time) error {
	res := s.write(ctx).Model(&domain.User{}).Where("id = ?", u.ID).Updates(map[string]any{"password_hash": hash,
		"must_change_password": mustChange, "session_epoch": gorm.Expr("session_epoch + 1"), "updated_at": at})
	if res.Error != nil {
		return res.Error
	}
	return s.write(ctx).First(u, u.ID).Error
}

// MarkWrote records when a person last changed something (User.WroteAt).
func (s People) MarkWrote(ctx context.Context, id int64, at time.Time) error {
	return s.write(ctx).Exec("UPDATE users SET wrote_at = ? WHERE id = ?", at, id).Error
}
