package web

import (
	"github.com/presale/presale/assets"
	"github.com/presale/presale/internal/domain"
)

// routes is the one place that says which URL does what.
func (s *Server) routes() {
	e := s.echo
	signedIn := s.requireUser

	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	e.StaticFS("/assets", assets.FS)

	e.GET("/login", s.loginForm)
	e.POST("/login", s.login)
	e.POST("/logout", s.logout)

	e.GET("/", s.desk, signedIn)
}

// navEntry is a page in the main navigation and the roles it is for; an
// entry shows once its route exists.
type navEntry struct {
	label string
	path  string
	roles []domain.Role // nil: every role
	admin bool          // only for administrators
}

var navigation = []navEntry{
	{label: "My desk", path: "/"},
	{label: "Deals", path: "/deals"},
	{label: "Meetings", path: "/meetings"},
	{label: "Support board", path: "/support", roles: []domain.Role{domain.RoleDevRel, domain.RoleManager}},
	{label: "Review queue", path: "/offers/review", roles: []domain.Role{domain.RoleSales, domain.RoleManager}},
	{label: "Promises", path: "/promises"},
	{label: "Coverage", path: "/coverage", roles: []domain.Role{domain.RoleManager}},
	{label: "Accounts", path: "/accounts", roles: []domain.Role{domain.RoleSales, domain.RoleManager}},
	{label: "Users", path: "/admin/users", admin: true},
}
