package domain

import (
	"net/mail"
	"strings"
	"time"
)

// Role is what a user does in pre-sale. Admin is a separate flag.
type Role string

const (
	RoleSales   Role = "sales"
	RoleDevRel  Role = "devrel"
	RoleManager Role = "manager"
)

// Roles lists every role in display order.
var Roles = []Role{RoleSales, RoleDevRel, RoleManager}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return oneOf(r, Roles) }

// Label is the role's name for people.
func (r Role) Label() string {
	switch r {
	case RoleDevRel:
		return "DevRel"
	case RoleSales:
		return "Sales"
	case RoleManager:
		return "Manager"
	}
	return string(r)
}

// DefaultCapacity is how many active deals a DevRel carries unless set.
const DefaultCapacity = 5

// User is anyone who signs in.
type User struct {
	ID            int64
	Name          string
	Email         string
	Role          Role
	Admin         bool
	Active        bool
	PasswordHash  string
	Capacity      int
	TimeZone      string // IANA name; empty until chosen (the browser's is used)
	CalendarToken string
	// SessionEpoch moves on with each password change; a session signed in
	// under an older one has ended.
	SessionEpoch int64
	// MustChangePassword is set by an administrator's one-time password.
	MustChangePassword bool
	// WroteAt is when they last changed something: pages read across the
	// organisation before it are read again for them (their own change is
	// never lagged). Only the service's write sets it.
	WroteAt *time.Time
	// E-mail: the kinds of notification also sent by e-mail, the daily
	// digest, the token of unsubscribe links, the local date of the last
	// digest queued.
	EmailKinds   string
	EmailDigest  bool
	EmailToken   string
	DigestSentOn string
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Location is u's chosen time zone, or UTC until they choose one (a
// script or an e-mail has no browser to tell it).
func (u User) Location() *time.Location {
	if loc, err := time.LoadLocation(u.TimeZone); err == nil && u.TimeZone != "" {
		return loc
	}
	return time.UTC
}

// IsManager reports whether u sees and may act on everything pre-sale.
func (u User) IsManager() bool { return u.Role == RoleManager }

// EffectiveCapacity is how many active deals a DevRel may carry: their
// setting, or the default when none is set.
func (u User) EffectiveCapacity() int { return CapacityOf(u.Capacity) }

// CapacityOf is a capacity setting as it counts: the default when unset.
func CapacityOf(setting int) int {
	if setting <= 0 {
		return DefaultCapacity
	}
	return setting
}

// HasRoomFor reports whether a DevRel carrying load open deals may take
// one more without exceeding their capacity. It is the one capacity rule.
func (u User) HasRoomFor(load int) bool { return load < u.EffectiveCapacity() }

// NormalizeEmail is the one form of an address used for lookups: e-mail
// addresses are unique regardless of case.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// NewUser checks the fields of a user about to be created.
func NewUser(name, email string, role Role, admin bool) (User, error) {
	u := User{
		Name:     Line(name),
		Email:    NormalizeEmail(email),
		Role:     role,
		Admin:    admin,
		Active:   true,
		Capacity: DefaultCapacity,
	}
	errs := ValidationErrors{}
	if u.Name == "" {
		errs.Add("name", "Enter a name.")
	}
	errs.Fit("name", u.Name, MaxLine)
	errs.Fit("email", u.Email, MaxLine)
	if a, err := mail.ParseAddress(u.Email); err != nil || a.Address != u.Email {
		errs.Add("email", "Enter an e-mail address like name@example.com.")
	}
	if !role.Valid() {
		errs.Add("role", "Choose sales, devrel or manager.")
	}
	return u, errs.Err()
}

// MinPasswordLength follows NIST SP 800-63B for user-chosen secrets.
const MinPasswordLength = 12

// CheckPassword validates a new password.
func CheckPassword(pw string) error {
	if len([]rune(pw)) < MinPasswordLength {
		return ValidationErrors{"password": "Use at least 12 characters."}
	}
	if len(pw) > 1000 {
		return ValidationErrors{"password": "Keep it under 1,000 characters."}
	}
	return nil
}

func oneOf[T comparable](v T, set []T) bool {
	for _, s := range set {
		if s == v {
			return true
		}
	}
	return false
}

// UserUpdate is what an administrator changes about a person.
type UserUpdate struct {
	Role     string
	Admin    bool
	Active   bool
	Capacity string
}

// Apply validates the update onto u. Administrators may not lock
// themselves out: no self-deactivation, no dropping one's own admin flag.
func (in UserUpdate) Apply(u *User, actor User) error {
	errs := ValidationErrors{}
	role := Role(in.Role)
	if !role.Valid() {
		errs.Add("role", "Choose sales, devrel or manager.")
	}
	capacity := DefaultCapacity
	if in.Capacity != "" {
		n, ok := parseID(in.Capacity)
		if !ok || n > 100 {
			errs.Add("capacity", "Enter a number of deals from 1 to 100.")
		}
		capacity = int(n)
	}
	if u.ID == actor.ID && (!in.Active || !in.Admin) {
		errs.Add("active", "You cannot deactivate yourself or drop your own administrator rights.")
	}
	if err := errs.Err(); err != nil {
		return err
	}
	u.Role, u.Admin, u.Active, u.Capacity = role, in.Admin, in.Active, capacity
	return nil
}
