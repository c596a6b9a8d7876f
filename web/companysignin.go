package web

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/presale/presale/internal/companysignin"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/views/pages"
)

// Company sign-in: the sign-in page's company button sends the browser to
// the organisation's identity provider, which sends it back to the
// callback (internal/companysignin speaks OpenID Connect; the service
// decides whom that lets in).

// CompanyCallbackPath is where the identity provider sends the browser
// back: register PRESALE_BASE_URL followed by it with the provider.
const CompanyCallbackPath = "/login/company/callback"

// sessionCompanyAttempt keeps the attempt under way (its state, nonce and
// PKCE verifier) in the browser's session, until the callback takes it.
const sessionCompanyAttempt = "company_sign_in"

func (s *Server) beginCompanySignIn(c echo.Context) error {
	if s.company == nil {
		return echo.ErrNotFound
	}
	ctx := c.Request().Context()
	next := localPath(c.FormValue("next"))
	tz := c.FormValue("time_zone")
	if len(tz) > 64 { // an IANA name is shorter; the session keeps no more
		tz = ""
	}
	a, to, err := s.company.Begin(ctx, next, tz)
	if err != nil {
		return s.companyRefused(c, next, err)
	}
	raw, err := json.Marshal(a)
	if err != nil {
		return err
	}
	// One attempt at a time: a newer one replaces an older one's.
	s.sessions.Put(ctx, sessionCompanyAttempt, string(raw))
	return c.Redirect(http.StatusSeeOther, to)
}

func (s *Server) finishCompanySignIn(c echo.Context) error {
	if s.company == nil {
		return echo.ErrNotFound
	}
	ctx := c.Request().Context()
	var a companysignin.Attempt
	if raw := s.sessions.PopString(ctx, sessionCompanyAttempt); raw != "" { // used once, whatever comes of it
		if err := json.Unmarshal([]byte(raw), &a); err != nil {
			a = companysignin.Attempt{}
		}
	}
	q := c.QueryParams()
	id, err := s.company.Finish(ctx, a, companysignin.Callback{State: q.Get("state"), Code: q.Get("code"),
		Error: q.Get("error"), ErrorDescription: q.Get("error_description")})
	if err != nil {
		return s.companyRefused(c, a.Next, err)
	}
	u, err := s.svc.People.SignInWithCompany(ctx, id)
	if _, ok := domain.IsSignInRefusal(err); ok {
		return s.companyRefused(c, a.Next, err)
	}
	if err != nil {
		return err
	}
	return s.startSession(c, u, a.TimeZone, a.Next)
}

// companyRefused shows the sign-in page with why company sign-in did not
// let the person in, and logs the cause (never a code or a token).
func (s *Server) companyRefused(c echo.Context, next string, err error) error {
	f := pages.LoginForm{Next: localPath(next)}
	status := http.StatusUnauthorized
	var failed *companysignin.Error
	var refusal *domain.SignInRefusal
	switch {
	case errors.As(err, &failed):
		f.Error = failed.Reason
		if errors.Is(err, companysignin.ErrUnreachable) {
			status = http.StatusServiceUnavailable
		}
		s.log.Warn("company sign-in failed", "cause", failed.Err.Error(), "id", c.Response().Header().Get(echo.HeaderXRequestID))
	case errors.As(err, &refusal):
		// The reason names the e-mail: the log has the request id only.
		f.Error, status = refusal.Reason, http.StatusForbidden
		s.log.Info("company sign-in refused", "id", c.Response().Header().Get(echo.HeaderXRequestID))
	default:
		return err
	}
	return s.loginPage(c, status, f)
}
