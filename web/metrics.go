package web

import (
	"crypto/subtle"
	"fmt"
	"net/http"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/presale/presale/internal/domain"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the server's Prometheus figures, in a registry of its own.
type metrics struct {
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newMetrics(extra []prometheus.Collector) *metrics {
	m := &metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "presale_http_requests_total", Help: "HTTP requests by route template, method and status.",
		}, []string{"method", "route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "presale_http_request_duration_seconds", Help: "Time to answer HTTP requests, by route template.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"method", "route"}),
	}
	m.registry.MustRegister(m.requests, m.duration, collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.registry.MustRegister(extra...)
	return m
}

// observe counts every request under its route template, never its raw
// path, so ids do not explode the series.
func (m *metrics) observe(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		route := c.Path()
		if route == "" {
			route = "unmatched"
		}
		method := c.Request().Method
		if head, _ := c.Get(ctxHead).(bool); head {
			method = http.MethodHead
		}
		if !slices.Contains(standardMethods, method) {
			method = "other" // anyone can send any method: it must not grow the series
		}
		m.requests.WithLabelValues(method, route, strconv.Itoa(c.Response().Status)).Inc()
		m.duration.WithLabelValues(method, route).Observe(time.Since(start).Seconds())
		return err
	}
}

// metricsHandler serves the figures to a scraper that presents the token,
// or to one on an allowed network (loopback unless configured) when no
// token is set. Anyone else is told there is nothing here.
func (s *Server) metricsHandler() echo.HandlerFunc {
	serve := echo.WrapHandler(promhttp.HandlerFor(s.metrics.registry, promhttp.HandlerOpts{}))
	networks := s.cfg.MetricsNetworks
	if networks == nil {
		networks = DefaultMetricsNetworks
	}
	return func(c echo.Context) error {
		token := s.cfg.MetricsToken
		if token != "" && subtle.ConstantTimeCompare([]byte(c.Request().Header.Get("Authorization")), []byte("Bearer "+token)) == 1 {
			return serve(c)
		}
		ip, err := netip.ParseAddr(c.RealIP())
		allowed := err == nil && slices.ContainsFunc(networks, func(p netip.Prefix) bool { return p.Contains(ip.Unmap()) })
		switch {
		case !allowed:
			return domain.ErrNotFound
		case token != "":
			return echo.NewHTTPError(http.StatusUnauthorized, "A metrics token is required.")
		}
		return serve(c)
	}
}

// DefaultMetricsNetworks may scrape /metrics when nothing else is
// configured: this machine only.
var DefaultMetricsNetworks = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}

// ParseNetworks reads a comma-separated list of CIDR prefixes or addresses.
func ParseNetworks(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(list, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		if !strings.Contains(f, "/") {
			a, err := netip.ParseAddr(f)
			if err != nil {
				return nil, fmt.Errorf("metrics network %q: %w", f, err)
			}
			out = append(out, netip.PrefixFrom(a, a.BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(f)
		if err != nil {
			return nil, fmt.Errorf("metrics network %q: %w", f, err)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}
