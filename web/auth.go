package web

import (
	"crypto/rand"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/views/pages"
)

func (s *Server) loginForm(c echo.Context) error {
	if currentUser(c) != nil {
		return c.Redirect(http.StatusSeeOther, "/")
	}
	f := pages.LoginForm{Next: localPath(c.QueryParam("next"))}
	return s.loginPage(c, http.StatusOK, f)
}

// loginPage draws the sign-in page, with the company button when company
// sign-in is configured.
func (s *Server) loginPage(c echo.Context, status int, f pages.LoginForm) error {
	if s.company != nil {
		f.Company = s.company.Label()
		var err error
		if f.AdminsOnly, err = s.svc.People.PasswordsForAdminsOnly(c.Request().Context()); err != nil {
			return err
		}
		// The company button's form is redirected to the provider, which
		// the policy's form-action must name for the browser to follow.
		c.Response().Header().Set(echo.HeaderContentSecurityPolicy, contentSecurityPolicy(s.company.FormTargets()))
	}
	return s.render(c, status, pages.Login(s.shell(c, "Sign in"), f))
}

func (s *Server) login(c echo.Context) error {
	ctx := c.Request().Context()
	f := pages.LoginForm{Email: strings.TrimSpace(c.FormValue("email")), Next: localPath(c.FormValue("next"))}
	u, err := s.svc.People.Authenticate(ctx, f.Email, c.FormValue("password"))
	if refusal, ok := domain.IsSignInRefusal(err); ok {
		f.Error = refusal.Reason
		return s.loginPage(c, http.StatusForbidden, f)
	}
	if errors.Is(err, domain.ErrUnauthorized) {
		// One message for every cause: no hint whether the account exists.
		f.Error = "That e-mail and password do not match an active account."
		return s.loginPage(c, http.StatusUnauthorized, f)
	}
	if err != nil {
		return err
	}
	return s.startSession(c, u, c.FormValue("time_zone"), f.Next)
}

// startSession signs u in, by password or through the company's identity
// provider alike, and sends them on to next.
func (s *Server) startSession(c echo.Context, u domain.User, timeZone, next string) error {
	ctx := c.Request().Context()
	// A new session token at sign-in defeats session fixation; a new CSRF
	// token goes with it.
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	s.sessions.Put(ctx, sessionUserID, u.ID)
	s.sessions.Put(ctx, sessionEpoch, u.SessionEpoch)
	s.sessions.Put(ctx, sessionCSRF, rand.Text())
	s.sessions.Put(ctx, sessionSeen, s.svc.Now().Unix())
	if timeZone != "" {
		if _, err := time.LoadLocation(timeZone); err == nil {
			s.sessions.Put(ctx, sessionBrowserTZ, timeZone)
		}
	}
	if u.MustChangePassword {
		s.flash(c, "You signed in with a one-time password. Choose your own to go on.")
		return c.Redirect(http.StatusSeeOther, "/settings#password")
	}
	return c.Redirect(http.StatusSeeOther, localPath(next))
}

func (s *Server) logout(c echo.Context) error {
	ctx := c.Request().Context()
	if err := s.sessions.Destroy(ctx); err != nil {
		return err
	}
	s.flash(c, "You are signed out.")
	return c.Redirect(http.StatusSeeOther, "/login")
}

// localPath keeps a post-sign-in redirect on this site.
func localPath(p string) string {
	if len(p) > maxNext || !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") {
		return "/"
	}
	// Browsers drop tabs and newlines and read a backslash as a slash, so
	// "/\tevil.example" or "/\\evil.example" would leave the site.
	if strings.ContainsFunc(p, func(r rune) bool { return r < 0x20 || r == 0x7f || r == '\\' || r == utf8.RuneError }) {
		return "/"
	}
	u, err := url.Parse(p)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || !strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") {
		return "/"
	}
	return p
}

// maxNext is the longest address a sign-in returns to; a longer one is
// dropped, so no Location header grows past a few KB.
const maxNext = 2048
