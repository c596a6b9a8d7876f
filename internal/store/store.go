// Package store holds every query presale makes, one file per aggregate.
package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
	"gorm.io/gorm"
)

// Store reads through one pool and writes through another. Inside Tx both
// are the transaction, so a use case reads what it has just written. Its
// queries are in a type per area (Deals, Meetings…), each over the same
// pools: an area of a transaction's Store queries in the transaction.
type Store struct{ *core }

// core is what the areas share: the pools, and how to read, write and
// version through them.
type core struct {
	w, r   *gorm.DB
	common *commonWords // PostgreSQL's statistics of the words searched (search.go)
}

// New returns a store over a writer and a reader pool.
func New(write, read *gorm.DB) *Store {
	return &Store{&core{w: write, r: read, common: &commonWords{}}}
}

// Tx runs fn in one write transaction: all of it lands, or none.
func (s *Store) Tx(ctx context.Context, fn func(tx *Store) error) error {
	return s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return fn(&Store{&core{w: tx, r: tx, common: s.common}})
	})
}

// store is the Store over the same pools, for an area that asks another.
func (s *core) store() *Store { return &Store{s} }

// The store's areas, each over the core, reached from a Store
// (tx.Deals().DealByID): an area of a transaction queries in it.
type (
	// Deals: deals, their teams and notes (deals.go), next steps
	// (tasks.go), saved views (views.go), and the comments on offers and
	// notes (comments.go).
	Deals struct{ *core }
	// Accounts: accounts and contacts (accounts.go), look-alikes and
	// merges (merges.go).
	Accounts struct{ *core }
	// Meetings: meetings and their attendees (meetings.go), their sync
	// (syncs.go) and the questions raised in them (questions.go).
	Meetings struct{ *core }
	// Offers: offers (offers.go) and the promise register (promises.go).
	Offers struct{ *core }
	// Support: support requests, assignments and DevRels' loads
	// (support.go).
	Support struct{ *core }
	// People: people (users.go), API tokens (tokens.go) and e-mail
	// choices (emailprefs.go).
	People struct{ *core }
	// Organisation: the reporting currency, exchange rates and stage
	// probabilities (money.go), the lists of lost reasons and product
	// areas (choices.go).
	Organisation struct{ *core }
	// Events: the audit events, timelines and the inbox (events.go), and
	// who may see an event (reports.go).
	Events struct{ *core }
	// Deliveries: webhook endpoints, deliveries and reminders
	// (webhooks.go), e-mail and the digest (email.go).
	Deliveries struct{ *core }
	// Coverage: the coverage review's figures, read from the rollups
	// (rollups.go) or worked out from the rows (coverage.go).
	Coverage struct{ *core }
	// Derived: the derived state, kept in each change, rebuilt and
	// checked for drift (derived.go).
	Derived struct{ *core }
	// Imports: what an import is checked against, its batches, the
	// uploads and kept mappings (imports.go).
	Imports struct{ *core }
)

// Each area over this store's pools.
func (s *Store) Deals() Deals               { return Deals{s.core} }
func (s *Store) Accounts() Accounts         { return Accounts{s.core} }
func (s *Store) Meetings() Meetings         { return Meetings{s.core} }
func (s *Store) Offers() Offers             { return Offers{s.core} }
func (s *Store) Support() Support           { return Support{s.core} }
func (s *Store) People() People             { return People{s.core} }
func (s *Store) Organisation() Organisation { return Organisation{s.core} }
func (s *Store) Events() Events             { return Events{s.core} }
func (s *Store) Deliveries() Deliveries     { return Deliveries{s.core} }
func (s *Store) Coverage() Coverage         { return Coverage{s.core} }
func (s *Store) Derived() Derived           { return Derived{s.core} }
func (s *Store) Imports() Imports           { return Imports{s.core} }

func (s *core) read(ctx context.Context) *gorm.DB  { return s.r.WithContext(ctx) }
func (s *core) write(ctx context.Context) *gorm.DB { return s.w.WithContext(ctx) }

// postgres reports whether the store is on PostgreSQL, for the few
// queries the engines spell differently.
func (s *core) postgres() bool { return s.r.Dialector.Name() == "postgres" }

// notFound turns GORM's missing record into the domain's.
// total counts what q selects for a page's "of N", unless the page is
// uncounted (read.Top).
func total(q *gorm.DB, p read.Page) (int64, error) {
	var n int64
	if p.Uncounted {
		return 0, nil
	}
	return n, q.Session(&gorm.Session{}).Count(&n).Error
}

// liveTotal counts the rows of table that q selects whose deal is not
// archived, as all of them less those of archived deals: q must not check
// liveDeal itself. The archived deals are few, and a count that checks
// nothing row by row is read from an index (SQLite answers a bare count
// without reading the rows), where checking each row's deal took 7 ms
// over 50,000 promises.
func liveTotal(q *gorm.DB, table string, p read.Page) (int64, error) {
	var n int64
	if p.Uncounted {
		return 0, nil
	}
	all := q.Session(&gorm.Session{}).Select("count(*)")
	archived := q.Session(&gorm.Session{}).Where(table + ".deal_id IN (SELECT id FROM deals WHERE archived_at IS NOT NULL)").Select("count(*)")
	return n, q.Session(&gorm.Session{NewDB: true}).Raw("SELECT (?) - (?)", all, archived).Scan(&n).Error
}

func notFound(err error) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return domain.ErrNotFound
	}
	return err
}

// first loads one row by id into dst.
func first[T any](ctx context.Context, s *core, id int64) (T, error) {
	var v T
	err := s.read(ctx).First(&v, id).Error
	return v, notFound(err)
}

// updateVersioned writes cols to the row of table id if its version is
// still expected, and bumps the version. It reports false when someone
// saved first: the check is in the UPDATE's WHERE, so it holds across
// instances on PostgreSQL as well as on SQLite's single writer.
func (s *core) updateVersioned(ctx context.Context, table string, id, expected int64, cols map[string]any) (bool, error) {
	cols["version"] = expected + 1
	res := s.write(ctx).Table(table).Where("id = ? AND version = ?", id, expected).Updates(cols)
	return res.RowsAffected == 1, res.Error
}

// updateOwned writes only the columns an action owns and bumps the
// version, so a concurrent action on other columns is kept and a form
// opened before it is told it is stale.
func (s *core) updateOwned(ctx context.Context, table string, id int64, cols map[string]any) error {
	cols["version"] = gorm.Expr("version + 1")
	res := s.write(ctx).Table(table).Where("id = ?", id).Updates(cols)
	if res.Error == nil && res.RowsAffected == 0 {
		return domain.ErrNotFound
	}
	return res.Error
}

// Updates lists the last n update events of one entity, newest first:
// what someone else changed while a form was open.
func (s *Store) Updates(ctx context.Context, entity domain.Entity, id int64, n int) ([]read.TimelineEntry, error) {
	var es []read.TimelineEntry
	if n <= 0 {
		return nil, nil
	}
	err := s.timeline(ctx).Where("events.entity = ? AND events.entity_id = ? AND events.action <> 'created'", entity, id).
		Order("events.at DESC, events.id DESC").Limit(n).Scan(&es).Error
	return es, err
}

// versioned are the tables whose rows carry a version, by entity name.
var versioned = map[domain.Entity]string{domain.EntityAccount: "accounts", domain.EntityContact: "contacts", domain.EntityMeeting: "meetings",
	domain.EntitySync: "syncs", domain.EntityPromise: "promises", domain.EntitySupportRequest: "support_requests", domain.EntityDeal: "deals", domain.EntityOffer: "offers", domain.EntityTask: "tasks",
	domain.EntityComment: "comments"}

// VersionOf reads the current version of one entity.
func (s *Store) VersionOf(ctx context.Context, entity domain.Entity, id int64) (int64, error) {
	var v []int64
	err := s.read(ctx).Table(versioned[entity]).Where("id = ?", id).Pluck("version", &v).Error
	if err == nil && len(v) == 0 {
		err = domain.ErrNotFound
	}
	if err != nil {
		return 0, err
	}
	return v[0], nil
}

// SQLTx is the database transaction a store inside Tx writes through, for
// a job queue that enqueues in it; nil outside a transaction.
func (s *Store) SQLTx() *sql.Tx {
	tx, _ := s.w.Statement.ConnPool.(*sql.Tx)
	return tx
}
