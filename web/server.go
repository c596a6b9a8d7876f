// Package web is presale's HTTP face: the echo server, its routes (all in
// routes.go), middleware, handlers and the one error handler.
package web

import (
	"context"
	"log/slog"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"
	"github.com/alexedwards/scs/v2"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/presale/presale/internal/companysignin"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/service"
	"github.com/presale/presale/views/layouts"
	"github.com/presale/presale/views/pages"
	"github.com/prometheus/client_golang/prometheus"
)

// Config is what the web layer needs to know about its deployment.
type Config struct {
	BaseURL      string // https:// makes cookies Secure
	Version      string
	TrustProxy   bool   // take the client address from X-Forwarded-For
	MetricsToken string // if set, /metrics wants "Authorization: Bearer TOKEN"
	// MetricsNetworks may scrape /metrics without a token (when none is
	// set); nil means DefaultMetricsNetworks, loopback only.
	MetricsNetworks []netip.Prefix
	APIRate         APIRate                // per token; zero means DefaultAPIRate
	Collectors      []prometheus.Collector // more figures for /metrics, such as the database pools
	// CompanySignIn is the organisation's identity provider; nil when
	// people sign in with passwords only.
	CompanySignIn *companysignin.Client
}

// Server serves presale's pages and its JSON API. It holds what every area
// shares (the router, the sessions, a page's frame, the error handler) and
// the areas, each a small type with its handlers.
type Server struct {
	echo     *echo.Echo
	svc      *service.Service
	sessions *scs.SessionManager
	ready    func(context.Context) error
	cfg      Config
	company  *companysignin.Client // nil: no company sign-in
	log      *slog.Logger
	pages    map[string]bool // GET paths that exist, for the navigation
	metrics  *metrics
	// apiReference is the API's description as its docs page shows it.
	apiReference pages.APIReference
	openAPI      []byte // the API's description, as served

	// The pages' areas; routes.go says which URL is whose.
	deals    *dealHandlers
	accounts *accountHandlers
	meetings *meetingHandlers
	offers   *offerHandlers
	support  *supportHandlers
	desk     *deskHandlers
	coverage *coverageHandlers
	evidence *evidenceHandlers
	settings *settingsHandlers
	admin    *adminHandlers
	imports  *importHandlers

	// The JSON API's areas (apiRoutes).
	accountAPI  *accountAPI
	dealAPI     *dealAPI
	meetingAPI  *meetingAPI
	offerAPI    *offerAPI
	supportAPI  *supportAPI
	deskAPI     *deskAPI
	coverageAPI *coverageAPI
	evidenceAPI *evidenceAPI
}

// site is what a page handler needs of the server beside the service:
// drawing a page in its request's frame (render.go), the session's
// messages and time zone (forms.go). *Server is the one.
type site interface {
	render(c echo.Context, status int, page templ.Component) error
	shell(c echo.Context, title string) layouts.Shell
	flash(c echo.Context, msg string)
	flashUndo(c echo.Context, msg string, u domain.Undo)
	saved(c echo.Context, err error, reshow func(formProblem) error, to, flash string) error
	location(c echo.Context) *time.Location
}

// New wires the server. sessionStore keeps sessions in the database;
// ready reports whether the database can serve.
func New(cfg Config, svc *service.Service, sessionStore scs.CtxStore, ready func(context.Context) error, log *slog.Logger) *Server {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	sm := scs.New()
	sm.Store = sessionStore
	sm.Lifetime = 12 * time.Hour
	// No scs IdleTimeout: it saves the session on every request. loadUser
	// ends idle sessions from a timestamp it refreshes every few minutes.
	sm.Cookie.Name = "presale_session"
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Secure = strings.HasPrefix(cfg.BaseURL, "https://")
	sm.ErrorFunc = func(w http.ResponseWriter, r *http.Request, err error) {
		log.Error("session store", "err", err, "uri", loggedURI(r))
		http.Error(w, "Sessions are unavailable; try again shortly.", http.StatusServiceUnavailable)
	}

	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	// The default trusts X-Forwarded-For from anyone; only a configured
	// proxy may tell us the client's address.
	e.IPExtractor = echo.ExtractIPDirect()
	if cfg.TrustProxy {
		e.IPExtractor = echo.ExtractIPFromXFFHeader()
	}
	s := &Server{echo: e, svc: svc, sessions: sm, ready: ready, cfg: cfg, company: cfg.CompanySignIn, log: log, metrics: newMetrics(cfg.Collectors)}
	s.deals = &dealHandlers{svc: svc, site: s}
	s.accounts = &accountHandlers{svc: svc, site: s}
	s.meetings = &meetingHandlers{svc: svc, site: s, deals: s.deals}
	s.offers = &offerHandlers{svc: svc, site: s, deals: s.deals}
	s.support = &supportHandlers{svc: svc, site: s, deals: s.deals}
	s.desk = &deskHandlers{svc: svc, site: s}
	s.coverage = &coverageHandlers{svc: svc, site: s}
	s.evidence = &evidenceHandlers{svc: svc, site: s}
	s.settings = &settingsHandlers{svc: svc, site: s, sessions: sm, baseURL: cfg.BaseURL}
	s.admin = &adminHandlers{svc: svc, site: s, company: cfg.CompanySignIn}
	s.imports = &importHandlers{svc: svc, site: s}
	s.accountAPI, s.dealAPI, s.meetingAPI = &accountAPI{svc}, &dealAPI{svc}, &meetingAPI{svc}
	s.offerAPI, s.supportAPI, s.deskAPI, s.coverageAPI = &offerAPI{svc}, &supportAPI{svc}, &deskAPI{svc}, &coverageAPI{svc}
	s.evidenceAPI = &evidenceAPI{svc}
	e.HTTPErrorHandler = s.handleError
	e.Pre(onlyServedMethods, headAsGet)

	e.Use(
		middleware.RequestID(),
		s.requestLog(),
		s.metrics.observe,
		middleware.SecureWithConfig(middleware.SecureConfig{
			XSSProtection:         "0",
			ContentTypeNosniff:    "nosniff",
			XFrameOptions:         "DENY",
			ReferrerPolicy:        "same-origin",
			ContentSecurityPolicy: contentSecurityPolicy(nil),
		}),
		middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{Limit: "2M", Skipper: importUpload}),
		middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{Limit: strconv.Itoa(maxImportUpload/1024) + "K", Skipper: func(c echo.Context) bool { return !importUpload(c) }}),
		middleware.ContextTimeoutWithConfig(middleware.ContextTimeoutConfig{Timeout: 30 * time.Second}),
		cacheAssets,
		pagesOnly(echo.WrapMiddleware(sm.LoadAndSave)),
		pagesOnly(markSession),
		s.renderErrors,
		validText,
		middleware.RecoverWithConfig(middleware.RecoverConfig{DisableStackAll: true, LogErrorFunc: s.logPanic}),
		pagesOnly(s.verifyCSRF),
		pagesOnly(s.loadUser),
	)
	s.routes()
	s.newAPI()
	s.pages = map[string]bool{}
	for _, r := range e.Routes() {
		if r.Method == http.MethodGet {
			s.pages[r.Path] = true
		}
	}
	return s
}

// contentSecurityPolicy is every page's policy; formTargets are origins
// beside presale's own a form may lead to (the sign-in page's company
// button, to the identity provider).
func contentSecurityPolicy(formTargets []string) string {
	return "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action " +
		strings.Join(append([]string{"'self'"}, formTargets...), " ") + "; base-uri 'self'"
}

// ServeHTTP makes the server an http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.echo.ServeHTTP(w, r) }

// Routes lists every registered route, for tests that walk them all.
func (s *Server) Routes() []*echo.Route { return s.echo.Routes() }

// Sessions exposes the session manager, for tests that inspect sign-in.
func (s *Server) Sessions() *scs.SessionManager { return s.sessions }
