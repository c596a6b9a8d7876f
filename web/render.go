package web

import (
	"bytes"
	"time"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/service"
	"github.com/presale/presale/views/layouts"
)

// render writes a component with a status: rendered into a buffer first,
// so a template error becomes an error page, not half a page.
func (s *Server) render(c echo.Context, status int, page templ.Component) error {
	var buf bytes.Buffer
	if err := page.Render(c.Request().Context(), &buf); err != nil {
		return err
	}
	return c.HTMLBlob(status, buf.Bytes())
}

// shell is the frame of every page for this request.
func (s *Server) shell(c echo.Context, title string) layouts.Shell {
	if loaded, _ := c.Get(ctxSession).(bool); !loaded {
		// Refused before the session was read (a body over the limit):
		// a bare frame, since there is no session to ask.
		return layouts.Shell{Title: title, Version: s.cfg.Version, Loc: time.UTC}
	}
	u := currentUser(c)
	ctx := c.Request().Context()
	sh := layouts.Shell{
		Title:   title,
		CSRF:    s.csrfToken(c),
		Flash:   s.sessions.PopString(ctx, sessionFlash),
		Version: s.cfg.Version,
		Loc:     s.location(c),
	}
	sh.Undo = sh.Flash != "" && s.sessions.PopBool(ctx, sessionOffer)
	sh.Path = c.Request().URL.RequestURI()
	if u == nil {
		return sh
	}
	sh.User = &layouts.Viewer{ID: u.ID, Name: u.Name, Role: u.Role}
	if at := service.AsOf(ctx); !at.IsZero() && s.svc.Now().Sub(at) > time.Second {
		sh.AsOf = at
	}
	if n, err := s.svc.Desk.UnreadCount(c.Request().Context(), *u); err == nil {
		sh.Unread = n
	}
	for _, n := range navigation {
		if !s.pages[n.path] || (n.action != "" && !domain.Can(*u, n.action, domain.Organisation{})) {
			continue
		}
		sh.Nav = append(sh.Nav, layouts.NavItem{Label: n.label, Path: n.path, Active: n.current(c.Path())})
	}
	return sh
}

// flash leaves a message for the next page the user sees.
func (s *Server) flash(c echo.Context, msg string) {
	s.sessions.Put(c.Request().Context(), sessionFlash, msg)
}

// flashUndo leaves a message with an Undo button that takes the change
// back for domain.UndoWindow.
func (s *Server) flashUndo(c echo.Context, msg string, u domain.Undo) {
	ctx := c.Request().Context()
	s.sessions.Put(ctx, sessionFlash, msg)
	s.sessions.Put(ctx, sessionUndo, u.String())
	s.sessions.Put(ctx, sessionOffer, true)
}
