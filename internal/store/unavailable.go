package store

import (
	"database/sql/driver"
	"errors"
	"io"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
)

// Unavailable reports whether err is the database away for a moment, not
// a fault of the request: PostgreSQL shutting down or restarting (SQLSTATE
// class 57P: 57P01 admin_shutdown, 57P02, 57P03), a connection refused or
// broken (class 08, a dial that failed, a connection closed mid-query).
// Such a request is answered 503 with Retry-After, not 500.
func Unavailable(err error) bool {
	if err == nil {
		return false
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return strings.HasPrefix(pg.Code, "57P") || strings.HasPrefix(pg.Code, "08") && pg.Code != "08P01" // not a protocol violation
	}
	var dial *pgconn.ConnectError
	return errors.As(err, &dial) || errors.Is(err, driver.ErrBadConn) || errors.Is(err, io.ErrUnexpectedEOF) ||
		pgconn.SafeToRetry(err) || strings.Contains(err.Error(), "conn closed")
}
