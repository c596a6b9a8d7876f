package domain

import "time"

// Account is a customer company.
type Account struct {
	ID         int64
	Name       string
	Domain     string
	Industry   string
	Notes      string
	Version    int64 `gorm:"default:1"` // optimistic locking: bumped by every update
	CreatedAt  time.Time
	UpdatedAt  time.Time
	ArchivedAt *time.Time // archived: out of lists and search, kept in timelines
	ExternalID string     // its id in the system it was imported from
}

// Contact is a person at a customer account.
type Contact struct {
	ID         int64
	AccountID  int64
	Name       string
	Title      string
	Email      string
	Phone      string
	ExternalID string // its id in the system it was imported from
	Version    int64  `gorm:"default:1"` // optimistic locking: bumped by every update
	CreatedAt  time.Time
	UpdatedAt  time.Time
	ArchivedAt *time.Time // archived: out of lists and search, kept in timelines
}
