package web

import (
	"crypto/rand"
	"time"

	"crypto/subtle"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/time/rate"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/service"
)

// Session keys.
const (
	sessionUserID = "user_id"
	sessionCSRF   = "csrf"
	sessionFlash  = "flash"
	sessionUndo   = "undo"       // the last one-click change, to take back
	sessionOffer  = "flash_undo" // the flash offers Undo
	// sessionBrowserTZ is the browser's time zone, sent at sign-in, used
	// until the user picks one.
	sessionBrowserTZ = "browser_tz"
	// sessionEpoch is the user's session epoch at sign-in; a password
	// change moves the user's on, which ends this session.
	sessionEpoch = "epoch"
	// sessionSeen is when the session was last seen in use (Unix seconds),
	// refreshed at most every seenEvery: how an idle session ends without
	// writing the session on every request.
	sessionSeen = "seen"
	ctxUser     = "user"
	ctxSession  = "session" // true once the session middleware has run
)

// unsubscribePath starts the one-click unsubscribe addresses in e-mails.
const unsubscribePath = "/email/unsubscribe/"

var errCSRF = domain.Forbiddenf("This form has expired or did not come from presale. Reload the page and try again.")

// errNotText refuses text that is not UTF-8: a browser never sends it
// (every page is UTF-8), and PostgreSQL would refuse to store it.
var errNotText = echo.NewHTTPError(http.StatusBadRequest, "What was sent is not text presale can read: it is not UTF-8.")

// validText refuses a request whose query or form holds text that is not
// UTF-8, before any handler stores or searches for it. A JSON body needs
// no check: decoding it replaces such bytes. The API's bodies are JSON
// only, so its form bodies are left for it to refuse (415).
func validText(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if !utf8Values(c.Request().URL.Query()) {
			return errNotText
		}
		ct := c.Request().Header.Get(echo.HeaderContentType)
		form := strings.HasPrefix(ct, echo.MIMEApplicationForm) || strings.HasPrefix(ct, echo.MIMEMultipartForm)
		if form && !strings.HasPrefix(c.Request().URL.Path, apiBase+"/") {
			if form, err := c.FormParams(); err == nil && !utf8Values(form) {
				return errNotText
			}
		}
		return next(c)
	}
}

func utf8Values(vs url.Values) bool {
	for k, list := range vs {
		if !utf8.ValidString(k) {
			return false
		}
		for _, v := range list {
			if !utf8.ValidString(v) {
				return false
			}
		}
	}
	return true
}

// verifyCSRF refuses every state-changing request whose token (form field
// _csrf or header X-CSRF-Token) does not match the one in its session. It
// runs for every route, so none can forget it.
func (s *Server) verifyCSRF(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		switch c.Request().Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			return next(c)
		}
		if strings.HasPrefix(c.Request().URL.Path, unsubscribePath) {
			return next(c) // its token is its credential; a mail client posts it in one click
		}
		want := s.sessions.GetString(c.Request().Context(), sessionCSRF)
		got := c.Request().Header.Get("X-CSRF-Token")
		if got == "" {
			got = c.FormValue("_csrf")
		}
		if want == "" || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
			return errCSRF
		}
		return next(c)
	}
}

// csrfToken returns the session's token, making one on first use.
func (s *Server) csrfToken(c echo.Context) string {
	ctx := c.Request().Context()
	tok := s.sessions.GetString(ctx, sessionCSRF)
	if tok == "" {
		tok = rand.Text()
		s.sessions.Put(ctx, sessionCSRF, tok)
	}
	return tok
}

// Idle sessions: one unused for idleTimeout ends. Use is recorded at most
// every seenEvery, so a signed-in GET writes nothing to the database.
const (
	idleTimeout = 4 * time.Hour
	seenEvery   = 5 * time.Minute
)

// loadUser puts the signed-in, still active user on the context.
func (s *Server) loadUser(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		id := s.sessions.GetInt64(ctx, sessionUserID)
		if id == 0 {
			return next(c)
		}
		now := s.svc.Now().Unix()
		switch seen := s.sessions.GetInt64(ctx, sessionSeen); {
		case now-seen > int64(idleTimeout.Seconds()):
			if err := s.sessions.Destroy(ctx); err != nil {
				return err
			}
			return next(c)
		case now-seen >= int64(seenEvery.Seconds()):
			s.sessions.Put(ctx, sessionSeen, now)
		}
		u, err := s.svc.People.User(ctx, id)
		switch {
		case errors.Is(err, domain.ErrNotFound) || (err == nil && (!u.Active || u.SessionEpoch != s.sessions.GetInt64(ctx, sessionEpoch))):
			if err := s.sessions.Destroy(ctx); err != nil {
				return err
			}
		case err != nil:
			return err
		default:
			c.Set(ctxUser, &u)
			c.SetRequest(c.Request().WithContext(service.Reading(ctx, u)))
		}
		return next(c)
	}
}

// requireUser turns anonymous visitors away: pages send them to sign in.
func (s *Server) requireUser(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		u := currentUser(c)
		if u == nil {
			return domain.ErrUnauthorized
		}
		if u.MustChangePassword && !slices.Contains([]string{"/settings", "/settings/password", "/logout"}, c.Path()) {
			if c.Request().Method == http.MethodGet {
				return c.Redirect(http.StatusSeeOther, "/settings#password")
			}
			return domain.Forbiddenf("You signed in with a one-time password: choose your own on the settings page first.")
		}
		return next(c)
	}
}

// currentUser is the signed-in user, or nil.
func currentUser(c echo.Context) *domain.User {
	u, _ := c.Get(ctxUser).(*domain.User)
	return u
}

// renderErrors draws errors inside the session middleware, so an error
// page still knows who is signed in.
func (s *Server) renderErrors(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if err := next(c); err != nil {
			s.handleError(err, c)
		}
		return nil
	}
}

func (s *Server) requestLog() echo.MiddlewareFunc {
	return middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		LogStatus: true, LogURI: true, LogMethod: true, LogLatency: true, LogRequestID: true, LogRemoteIP: true,
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			attrs := []slog.Attr{
				slog.String("id", v.RequestID), slog.String("method", v.Method), slog.String("uri", loggedURI(c.Request())),
				slog.Int("status", v.Status), slog.Duration("latency", v.Latency), slog.String("ip", v.RemoteIP),
			}
			if u := currentUser(c); u != nil {
				attrs = append(attrs, slog.Int64("user", u.ID))
			}
			s.log.LogAttrs(c.Request().Context(), slog.LevelInfo, "request", attrs...)
			return nil
		},
	})
}

func (s *Server) logPanic(c echo.Context, err error, stack []byte) error {
	s.log.Error("panic", "err", err, "id", c.Response().Header().Get(echo.HeaderXRequestID), "stack", string(stack))
	return err
}

// cacheAssets lets browsers keep static files for an hour; htmx's file
// name carries its version.
func cacheAssets(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if strings.HasPrefix(c.Request().URL.Path, "/assets/") {
			c.Response().Header().Set("Cache-Control", "public, max-age=3600")
		}
		return next(c)
	}
}

// signInLimit slows password guessing: per client address, a burst of 10
// sign-in attempts, then one every 6 seconds. The limit lives in this
// instance's memory; several instances each apply it.
func signInLimit() echo.MiddlewareFunc {
	return middleware.RateLimiterWithConfig(middleware.RateLimiterConfig{
		Store: middleware.NewRateLimiterMemoryStoreWithConfig(middleware.RateLimiterMemoryStoreConfig{
			Rate: rate.Every(6 * time.Second), Burst: 10, ExpiresIn: 15 * time.Minute}),
		IdentifierExtractor: func(c echo.Context) (string, error) { return c.RealIP(), nil },
		DenyHandler: func(c echo.Context, _ string, _ error) error {
			return echo.NewHTTPError(http.StatusTooManyRequests, "Too many sign-in attempts from here. Wait a minute and try again.")
		},
		ErrorHandler: func(c echo.Context, err error) error { return err },
	})
}

// loggedURI is the request's address as logs show it: a calendar feed's
// address is its credential, so its token is left out.
func loggedURI(r *http.Request) string {
	if strings.HasPrefix(r.URL.Path, "/calendar/") {
		return "/calendar/(token).ics"
	}
	if r.URL.Path == CompanyCallbackPath { // a sign-in's code and state
		return CompanyCallbackPath
	}
	if strings.HasPrefix(r.URL.Path, "/email/unsubscribe/") { // the token is the credential
		return "/email/unsubscribe/(token)?" + r.URL.RawQuery
	}
	return r.URL.RequestURI()
}

// standardMethods are the methods of RFC 9110 (and PATCH); any other is
// not implemented, and never becomes a metrics label.
var standardMethods = []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
	http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace}

// servedMethods are the methods presale answers anywhere, in the order an
// Allow header lists them.
var servedMethods = []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPatch, http.MethodOptions}

// onlyServedMethods answers what an address does not serve before anything
// else runs (the CSRF check would call it forbidden): 405 with the
// address's own methods in Allow; OPTIONS with 204 and the same Allow (RFC
// 9110, sections 9.3.7 and 15.5.6); 404 for an address with no route; 501
// for a method no standard defines.
func onlyServedMethods(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if !slices.Contains(standardMethods, r.Method) {
			return c.String(http.StatusNotImplemented, "presale does not know this method.\n")
		}
		allow := allowedAt(c)
		asked := r.Method
		if asked == http.MethodHead {
			asked = http.MethodGet // headAsGet answers it with the GET route
		}
		switch {
		case asked != http.MethodOptions && slices.Contains(allow, asked):
			return next(c)
		case allow == nil && (asked == http.MethodGet || asked == http.MethodPost):
			return next(c) // the router answers 404, after the session, as for any unknown address
		case allow == nil:
			return echo.ErrNotFound
		}
		c.Response().Header().Set(echo.HeaderAllow, strings.Join(allow, ", "))
		switch {
		case r.Method == http.MethodOptions:
			return c.NoContent(http.StatusNoContent)
		case isAPI(r):
			// The API answers in its own words: a problem document.
			return echo.NewHTTPError(http.StatusMethodNotAllowed)
		}
		return c.String(http.StatusMethodNotAllowed, "This address takes "+strings.Join(allow, ", ")+".\n")
	}
}

// allowedAt lists the methods served at the request's address, in
// servedMethods' order: HEAD wherever GET is, OPTIONS wherever anything is;
// nil where no route is. The router, asked for OPTIONS, which no route
// registers, says what the address does take.
func allowedAt(c echo.Context) []string {
	e := c.Echo()
	probe := e.AcquireContext()
	defer e.ReleaseContext(probe)
	probe.Reset(c.Request(), nil)
	e.Router().Find(http.MethodOptions, echo.GetPath(c.Request()), probe)
	routed, _ := probe.Get(echo.ContextKeyHeaderAllow).(string)
	if routed == "" {
		return nil
	}
	listed := strings.Split(routed, ", ")
	var allow []string
	for _, m := range servedMethods {
		if slices.Contains(listed, m) || m == http.MethodOptions || (m == http.MethodHead && slices.Contains(listed, http.MethodGet)) {
			allow = append(allow, m)
		}
	}
	return allow
}

// headAsGet answers HEAD on every GET route, as RFC 9110 requires: the GET
// handler runs (an error's answer too), its body is counted and dropped,
// and the answer carries the Content-Length the GET's would (section 8.6).
func headAsGet(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if r.Method != http.MethodHead {
			return next(c)
		}
		r.Method = http.MethodGet
		c.Set(ctxHead, true)
		w := &headWriter{ResponseWriter: c.Response().Writer}
		c.Response().Writer = w
		if err := next(c); err != nil {
			c.Error(err) // measured like any other answer
		}
		// A HEAD again: net/http sends no body and keeps the length set
		// (for a GET it would answer Content-Length: 0).
		r.Method = http.MethodHead
		w.send()
		return nil
	}
}

const ctxHead = "head"

// headWriter holds a response's status, counts its body and drops it.
type headWriter struct {
	http.ResponseWriter
	status int
	length int64
}

func (w *headWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
}

func (w *headWriter) Write(b []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	w.length += int64(len(b))
	return len(b), nil
}

// Flush sends nothing yet: the length is known only at the end.
func (w *headWriter) Flush() {}

// Unwrap lets http.ResponseController reach the connection.
func (w *headWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// send writes the status held, with the length counted unless the handler
// gave one or the status has no body.
func (w *headWriter) send() {
	if w.status == 0 {
		return
	}
	h := w.Header()
	bodied := w.status >= 200 && w.status != http.StatusNoContent && w.status != http.StatusNotModified
	if bodied && h.Get(echo.HeaderContentLength) == "" && h.Get("Transfer-Encoding") == "" {
		h.Set(echo.HeaderContentLength, strconv.FormatInt(w.length, 10))
	}
	w.ResponseWriter.WriteHeader(w.status)
}

// pagesOnly runs mw for the pages and not for the JSON API, which knows
// no session: its token is its credential, so a cookie a browser sends
// along can make it do nothing (and it needs no CSRF token).
func pagesOnly(mw echo.MiddlewareFunc) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		withMW := mw(next)
		return func(c echo.Context) error {
			if isAPI(c.Request()) {
				return next(c)
			}
			return withMW(c)
		}
	}
}

// markSession records that the session is loaded, so an error drawn
// before it (by the body limit, say) does not ask for it.
func markSession(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Set(ctxSession, true)
		return next(c)
	}
}
