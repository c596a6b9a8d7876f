package web

import (
	"github.com/labstack/echo/v4"
	"github.com/presale/presale/internal/domain"
)

// undo takes back the signed-in person's last one-click change, which
// their own session holds: no form names what to undo.
func (s *Server) undo(c echo.Context) error {
	ctx := c.Request().Context()
	u, err := domain.ParseUndo(s.sessions.PopString(ctx, sessionUndo))
	if err != nil {
		return domain.Conflictf("There is nothing to undo: a change can be taken back once, for %d minutes after it.", int(domain.UndoWindow.Minutes()))
	}
	path, err := s.svc.Undo(ctx, signedIn(c), u)
	if err != nil {
		return err
	}
	s.flash(c, "Undone.")
	// Back to the page the Undo was on (the review queue, say), else to
	// the thing itself.
	if next := c.FormValue("next"); next != "" && localPath(next) == next {
		path = next
	}
	return back(c, path)
}
