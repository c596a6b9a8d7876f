// Package store holds every query presale makes, one file per aggregate.
package store

import (
	"context"
	"errors"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
	"gorm.io/gorm"
)

// Store reads through one pool and writes through another. Inside Tx both
// are the transaction, so a use case reads what it has just written.
type Store struct {
	w, r *gorm.DB
}

// New returns a store over a writer and a reader pool.
func New(write, read *gorm.DB) *Store { return &Store{w: write, r: read} }

// Tx runs fn in one write transaction: all of it lands, or none.
func (s *Store) Tx(ctx context.Context, fn func(tx *Store) error) error {
	return s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return fn(&Store{w: tx, r: tx})
	})
}

func (s *Store) read(ctx context.Context) *gorm.DB  { return s.r.WithContext(ctx) }
func (s *Store) write(ctx context.Context) *gorm.DB { return s.w.WithContext(ctx) }

// postgres reports whether the store is on PostgreSQL, for the few
// queries the engines spell differently.
func (s *Store) postgres() bool { return s.r.Dialector.Name() == "postgres" }

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
func first[T any](ctx context.Context, s *Store, id int64) (T, error) {
	var v T
	err := s.read(ctx).First(&v, id).Error
	return v, notFound(err)
}

// updateVersioned writes cols to the row of table id if its version is
// still expected, and bumps the version. It reports false when someone
// saved first: the check is in the UPDATE's WHERE, so it holds across
// instances on PostgreSQL as well as on SQLite's single writer.
func (s *Store) updateVersioned(ctx context.Context, table string, id, expected int64, cols map[string]any) (bool, error) {
	cols["version"] = expected + 1
	res := s.write(ctx).Table(table).Where("id = ? AND version = ?", id, expected).Updates(cols)
	return res.RowsAffected == 1, res.Error
}

// updateOwned writes only the columns an action owns and bumps the
// version, so a concurrent action on other columns is kept and a form
// opened before it is told it is stale.
func (s *Store) updateOwned(ctx context.Context, table string, id int64, cols map[string]any) error {
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
	domain.EntitySync: "syncs", domain.EntityPromise: "promises", domain.EntitySupportRequest: "support_requests", domain.EntityDeal: "deals", domain.EntityOffer: "offers", domain.EntityTask: "tasks"}

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
