// Package store holds every query presale makes, one file per aggregate.
package store

import (
	"context"
	"errors"

	"github.com/presale/presale/internal/domain"
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

// notFound turns GORM's missing record into the domain's.
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
