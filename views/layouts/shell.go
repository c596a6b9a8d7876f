// Package layouts holds the page frame every presale page is drawn in.
package layouts

import (
	"time"

	"github.com/presale/presale/internal/domain"
)

// NavItem is one entry of the role's navigation.
type NavItem struct {
	Label  string
	Path   string
	Active bool
}

// Shell is what the frame needs: who is signed in, where they are, the
// CSRF token for its forms and a message from the last action.
type Shell struct {
	Title   string
	User    *Viewer // nil when nobody is signed in
	Nav     []NavItem
	CSRF    string
	Flash   string
	Undo    bool   // the flash can take its change back
	Path    string // this page's path and query, where Undo returns
	Version string
	Loc     *time.Location // the viewer's time zone
	Unread  int64          // unread notifications
	// AsOf is when the oldest read across the organisation on this page
	// was read, when that is more than a second ago (zero otherwise):
	// such reads may lag other people's changes by up to two seconds.
	AsOf time.Time
}

// Viewer is the signed-in person as every page sees them: who, and in what
// role. It carries nothing secret (no password hash, no calendar token).
type Viewer struct {
	ID   int64
	Name string
	Role domain.Role
}
