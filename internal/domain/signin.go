package domain

import (
	"errors"
	"slices"
	"strings"
	"time"
)

// CompanySignIn is how the organisation lets people in through its
// identity provider (OpenID Connect): who may become a person at their
// first sign-in, as what, and whether passwords are left to
// administrators. It is kept in the organisation's settings row.
type CompanySignIn struct {
	ID int64
	// SignInDomains are the e-mail domains whose unknown people are
	// created at their first sign-in: lower case, one space apart.
	SignInDomains string
	// SignInRole is the role such a person gets; empty refuses unknown
	// people whatever their domain.
	SignInRole Role
	// SignInRequired refuses password sign-in to everyone but
	// administrators.
	SignInRequired bool
	UpdatedAt      time.Time
}

// TableName keeps company sign-in in the organisation's settings row.
func (CompanySignIn) TableName() string { return "organisation_settings" }

// Domains lists the allowed e-mail domains.
func (c CompanySignIn) Domains() []string { return strings.Fields(c.SignInDomains) }

// Admits reports whether someone unknown with this e-mail becomes a person
// at their first company sign-in.
func (c CompanySignIn) Admits(email string) bool {
	at := strings.LastIndexByte(email, '@')
	return c.SignInRole.Valid() && at >= 0 && slices.Contains(c.Domains(), NormalizeEmail(email[at+1:]))
}

// PasswordAllowed reports whether u may sign in with a password: always,
// unless company sign-in is required, when only administrators may (so a
// broken identity provider never locks everyone out).
func (c CompanySignIn) PasswordAllowed(u User) bool { return !c.SignInRequired || u.Admin }

// CompanyIdentity is who the identity provider vouches for: what its
// verified ID token (or user info) says.
type CompanyIdentity struct {
	Subject       string
	Email         string
	EmailVerified bool
	Name          string
}

// SignInRefusal is a sign-in turned away for a reason the person can act
// on. It wraps ErrUnauthorized.
type SignInRefusal struct{ Reason string }

func (e *SignInRefusal) Error() string { return e.Reason }
func (e *SignInRefusal) Unwrap() error { return ErrUnauthorized }

// ErrUseCompanySignIn refuses a password when company sign-in is required.
var ErrUseCompanySignIn = &SignInRefusal{Reason: "Sign in with the company button: your organisation asks everyone but administrators to use it."}

// Admit decides whether id signs in: known is the person with its e-mail,
// or nil. A nil error with a nil known means a new person is created with
// SignInRole.
func (c CompanySignIn) Admit(id CompanyIdentity, known *User) error {
	switch {
	case id.Email == "":
		return &SignInRefusal{Reason: "Your company account gave presale no e-mail address, so it cannot tell who you are. Ask an administrator."}
	case !id.EmailVerified:
		return &SignInRefusal{Reason: "Your company account's e-mail address " + id.Email + " is not verified, so presale cannot tell who you are. Verify it with your company's identity provider, or ask an administrator."}
	case known != nil && !known.Active:
		return &SignInRefusal{Reason: "Your presale account is deactivated. Ask an administrator if you need it back."}
	case known == nil && !c.Admits(id.Email):
		return &SignInRefusal{Reason: "No one signs in to presale as " + id.Email + ". Ask an administrator to add you."}
	}
	return nil
}

// NewcomerName is the name a person created at company sign-in gets: the
// provider's, or the e-mail's local part.
func (id CompanyIdentity) NewcomerName() string {
	if n := Line(id.Name); n != "" {
		return n
	}
	local, _, _ := strings.Cut(id.Email, "@")
	return local
}

// CompanySignInInput is the administrator's company sign-in form.
type CompanySignInInput struct {
	Domains  string // separated by spaces, commas or new lines
	Role     string // empty refuses unknown people
	Required bool
}

// Parse checks the form.
func (in CompanySignInInput) Parse() (CompanySignIn, error) {
	errs := ValidationErrors{}
	var domains []string
	for _, d := range strings.FieldsFunc(in.Domains, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\n' || r == '\r' || r == '\t' }) {
		d = strings.TrimPrefix(NormalizeEmail(d), "@")
		if !validDomain(d) {
			errs.Add("sign_in_domains", "Enter domains like example.com, separated by spaces or commas.")
			continue
		}
		if !slices.Contains(domains, d) {
			domains = append(domains, d)
		}
	}
	role := Role(in.Role)
	if role != "" && !role.Valid() {
		errs.Add("sign_in_role", "Choose sales, devrel, manager, or no one.")
	}
	if role != "" && len(domains) == 0 {
		errs.Add("sign_in_domains", "Enter the domains whose people may join, or choose no one.")
	}
	c := CompanySignIn{SignInDomains: strings.Join(domains, " "), SignInRole: role, SignInRequired: in.Required}
	errs.Fit("sign_in_domains", c.SignInDomains, MaxLine*5)
	return c, errs.Err()
}

// validDomain is a host name of at least two labels, letters, digits and
// hyphens.
func validDomain(d string) bool {
	labels := strings.Split(d, ".")
	if len(d) > 253 || len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for _, r := range l {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
				return false
			}
		}
	}
	return true
}

// IsSignInRefusal reports whether err turns a sign-in away with a reason.
func IsSignInRefusal(err error) (*SignInRefusal, bool) {
	var r *SignInRefusal
	ok := errors.As(err, &r)
	return r, ok
}
