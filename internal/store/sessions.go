package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// session is a row of the sessions table, owned by scs.
type session struct {
	Token  string `gorm:"primaryKey"`
	Data   []byte
	Expiry time.Time
}

// Sessions is an scs.CtxStore over the sessions table, so any number of
// presale instances share sign-ins. Rows are keyed by the token's SHA-256:
// a copy of the table (or a logged query) signs nobody in.
type Sessions struct{ s *Store }

// Sessions returns the session store.
func (s *Store) Sessions() *Sessions { return &Sessions{s: s} }

// FindCtx returns the data of an unexpired session.
func (ss *Sessions) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	var row session
	err := ss.s.read(ctx).Where("token = ? AND expiry > ?", sessionKey(token), time.Now().UTC()).First(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, false, nil
	}
	return row.Data, err == nil, err
}

// CommitCtx inserts or replaces a session.
func (ss *Sessions) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	return ss.s.write(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "token"}},
		DoUpdates: clause.AssignmentColumns([]string{"data", "expiry"}),
	}).Create(&session{Token: sessionKey(token), Data: b, Expiry: expiry.UTC()}).Error
}

// DeleteCtx removes a session; a missing one is no error.
func (ss *Sessions) DeleteCtx(ctx context.Context, token string) error {
	return ss.s.write(ctx).Where("token = ?", sessionKey(token)).Delete(&session{}).Error
}

// Find, Commit and Delete satisfy scs.Store; scs prefers the Ctx forms.
func (ss *Sessions) Find(token string) ([]byte, bool, error) {
	return ss.FindCtx(context.Background(), token)
}

func (ss *Sessions) Commit(token string, b []byte, expiry time.Time) error {
	return ss.CommitCtx(context.Background(), token, b, expiry)
}

func (ss *Sessions) Delete(token string) error { return ss.DeleteCtx(context.Background(), token) }

// DeleteExpired removes sessions past their expiry and says how many.
func (ss *Sessions) DeleteExpired(ctx context.Context) (int64, error) {
	res := ss.s.write(ctx).Where("expiry <= ?", time.Now().UTC()).Delete(&session{})
	return res.RowsAffected, res.Error
}

// sessionKey is what the table stores for a session token.
func sessionKey(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
