package store

import "context"

// RareWords is rareWords, for the tests.
func (s *Store) RareWords(ctx context.Context, table string, terms []string) bool {
	return s.rareWords(ctx, table, terms)
}
