package domain

import (
	"strings"
	"testing"
)

func TestCompanySignInFormKeepsCleanDomains(t *testing.T) {
	c, err := CompanySignInInput{Domains: " Example.ORG, @corp.example;example.org\nxn--bcher-kva.example ", Role: "devrel", Required: true}.Parse()
	if err != nil {
		t.Fatal(err)
	}
	if c.SignInDomains != "example.org corp.example xn--bcher-kva.example" || c.SignInRole != RoleDevRel || !c.SignInRequired {
		t.Errorf("parsed %+v", c)
	}
	for _, bad := range []CompanySignInInput{
		{Domains: "localhost", Role: "sales"},
		{Domains: "exa mple.org/evil", Role: "sales"},
		{Domains: "-bad.example", Role: "sales"},
		{Domains: "", Role: "sales"},          // a role needs a domain to admit
		{Domains: "ok.example", Role: "king"}, // not a role
	} {
		if _, err := bad.Parse(); err == nil {
			t.Errorf("%+v was accepted", bad)
		}
	}
	if c, err := (CompanySignInInput{Domains: "example.org"}).Parse(); err != nil || c.Admits("a@example.org") {
		t.Errorf("no role chosen still admits someone new (%v)", err)
	}
}

func TestCompanySignInAdmitsOnlyWhomItShould(t *testing.T) {
	c := CompanySignIn{SignInDomains: "example.org", SignInRole: RoleSales}
	active, gone := User{Active: true}, User{Active: false}
	cases := []struct {
		name  string
		id    CompanyIdentity
		known *User
		want  string // part of the refusal; "" lets them in
	}{
		{"a known person", CompanyIdentity{Email: "sam@elsewhere.net", EmailVerified: true}, &active, ""},
		{"someone new at an admitted domain", CompanyIdentity{Email: "New@Example.org", EmailVerified: true}, nil, ""},
		{"an unverified e-mail", CompanyIdentity{Email: "sam@example.org"}, &active, "not verified"},
		{"no e-mail", CompanyIdentity{EmailVerified: true}, nil, "no e-mail"},
		{"a deactivated person", CompanyIdentity{Email: "gone@example.org", EmailVerified: true}, &gone, "deactivated"},
		{"someone new elsewhere", CompanyIdentity{Email: "x@example.org.evil.net", EmailVerified: true}, nil, "Ask an administrator to add you"},
		{"a subdomain is not the domain", CompanyIdentity{Email: "x@sub.example.org", EmailVerified: true}, nil, "Ask an administrator to add you"},
	}
	for _, tc := range cases {
		err := c.Admit(tc.id, tc.known)
		if r, ok := IsSignInRefusal(err); tc.want == "" && err != nil || tc.want != "" && (!ok || !strings.Contains(r.Reason, tc.want)) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
	required := CompanySignIn{SignInRequired: true}
	if required.PasswordAllowed(User{}) || !required.PasswordAllowed(User{Admin: true}) || !(CompanySignIn{}).PasswordAllowed(User{}) {
		t.Error("required company sign-in should leave passwords to administrators alone")
	}
}
