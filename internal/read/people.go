package read

import (
	"time"

	"github.com/presale/presale/internal/domain"
)

// Person is someone as a page shows them: who, in what role, and whether
// they may sign in, never their password hash or their calendar,
// unsubscribe or session secrets. Templates take people, not users.
type Person struct {
	ID                 int64
	Name               string
	Email              string
	Role               domain.Role
	Admin              bool
	Active             bool
	Capacity           int
	MustChangePassword bool
}

// PersonOf is u as pages show them.
func PersonOf(u domain.User) Person {
	return Person{ID: u.ID, Name: u.Name, Email: u.Email, Role: u.Role, Admin: u.Admin, Active: u.Active,
		Capacity: u.Capacity, MustChangePassword: u.MustChangePassword}
}

// PeopleOf is each of us as pages show them.
func PeopleOf(us []domain.User) []Person {
	out := make([]Person, len(us))
	for i, u := range us {
		out[i] = PersonOf(u)
	}
	return out
}

// Endpoint is a webhook endpoint as pages show it: never its secrets.
type Endpoint struct {
	ID                  int64
	URL                 string
	Kind                domain.WebhookKind
	EventTypes          string
	Active              bool
	PreviousSecretUntil *time.Time // the old secret still signs until then
}

// EndpointOf is e as pages show it.
func EndpointOf(e domain.WebhookEndpoint) Endpoint {
	return Endpoint{ID: e.ID, URL: e.URL, Kind: e.Kind, EventTypes: e.EventTypes, Active: e.Active, PreviousSecretUntil: e.PreviousSecretUntil}
}

// EndpointsOf is each of es as pages show it.
func EndpointsOf(es []domain.WebhookEndpoint) []Endpoint {
	out := make([]Endpoint, len(es))
	for i, e := range es {
		out[i] = EndpointOf(e)
	}
	return out
}
