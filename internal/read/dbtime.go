package read

import (
	"database/sql/driver"
	"fmt"
	"time"
)

// DBTime reads a time that SQLite returns as text: the result of MAX() or
// a subquery has no declared type, so the driver cannot tell it is a time.
// PostgreSQL returns a time.Time, which passes through.
type DBTime struct {
	Time  time.Time
	Valid bool
}

// sqliteTimeLayouts are the forms the SQLite driver writes times in.
var sqliteTimeLayouts = []string{
	"2006-01-02 15:04:05.999999999-07:00",
	"2006-01-02T15:04:05.999999999-07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05",
	"2006-01-02T15:04:05Z07:00",
	"2006-01-02",
}

// Scan implements sql.Scanner.
func (t *DBTime) Scan(v any) error {
	switch v := v.(type) {
	case nil:
		*t = DBTime{}
		return nil
	case time.Time:
		*t = DBTime{Time: v.UTC(), Valid: true}
		return nil
	case []byte:
		return t.Scan(string(v))
	case string:
		for _, layout := range sqliteTimeLayouts {
			if parsed, err := time.Parse(layout, v); err == nil {
				*t = DBTime{Time: parsed.UTC(), Valid: true}
				return nil
			}
		}
		return fmt.Errorf("store: %q is not a time", v)
	}
	return fmt.Errorf("store: cannot read %T as a time", v)
}

// Value implements driver.Valuer.
func (t DBTime) Value() (driver.Value, error) {
	if !t.Valid {
		return nil, nil
	}
	return t.Time, nil
}

// Ptr is the time, or nil when there is none.
func (t DBTime) Ptr() *time.Time {
	if !t.Valid {
		return nil
	}
	return &t.Time
}
