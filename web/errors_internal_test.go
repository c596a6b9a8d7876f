package web

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/labstack/echo/v4"
	"github.com/presale/presale/internal/domain"
)

// The one error handler maps each kind of refusal to its status.
func TestClassifyMapsDomainErrorsToStatuses(t *testing.T) {
	cases := []struct {
		err    error
		status int
	}{
		{domain.ErrNotFound, http.StatusNotFound},
		{fmt.Errorf("loading deal 7: %w", domain.ErrNotFound), http.StatusNotFound},
		{domain.Forbiddenf("Only the owner may."), http.StatusForbidden},
		{domain.ErrForbidden, http.StatusForbidden},
		{domain.Conflictf("This offer is declined."), http.StatusConflict},
		{domain.ErrConflict, http.StatusConflict},
		{domain.ValidationErrors{"title": "Enter a title."}, http.StatusUnprocessableEntity},
		{domain.ErrUnauthorized, http.StatusUnauthorized},
		{echo.ErrMethodNotAllowed, http.StatusMethodNotAllowed},
		{errors.New("disk on fire"), http.StatusInternalServerError},
		{fmt.Errorf("loading deal 7: %w", &pgconn.PgError{Code: "57P01", Message: "terminating connection due to administrator command"}), http.StatusServiceUnavailable},
		{&pgconn.ConnectError{Config: &pgconn.Config{}}, http.StatusServiceUnavailable},
	}
	for _, c := range cases {
		p := classify(c.err, time.UTC)
		if p.Status != c.status || p.Heading == "" || p.Message == "" {
			t.Errorf("%v → %+v, want %d", c.err, p, c.status)
		}
	}
	if p := classify(errors.New("secret detail"), time.UTC); p.Message == "secret detail" {
		t.Error("a 500 leaks the error text")
	}
	if p := classify(domain.Conflictf("This offer is declined."), time.UTC); p.Message != "This offer is declined." {
		t.Errorf("a conflict lost its reason: %q", p.Message)
	}
}

// The database away for a moment (PostgreSQL restarting) answers 503 with
// Retry-After on the API too, as on the pages.
func TestTheAPISaysWhenToTryAgain(t *testing.T) {
	err := (&Server{}).apiProblem(fmt.Errorf("listing deals: %w", &pgconn.PgError{Code: "57P01", Message: "terminating connection due to administrator command"}))
	var status huma.StatusError
	var headers huma.HeadersError
	if !errors.As(err, &status) || status.GetStatus() != http.StatusServiceUnavailable || !errors.As(err, &headers) || headers.GetHeaders().Get("Retry-After") != retryAfter {
		t.Fatalf("the API's answer: %#v", err)
	}
	if strings.Contains(err.Error(), "administrator command") {
		t.Error("the database's words reach the client")
	}
}
