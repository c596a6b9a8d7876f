package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/presale/presale/db"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/testenv"
)

// PostgreSQL's search asks its statistics whether the words are rare
// before it goes to the index on finding none of them among the newest
// rows: a word in most older deals but none of the newest is common, a
// number in one deal's name is rare, and so is a word no deal holds. A
// word typed last counts every word it begins. Without statistics (as
// on SQLite, which never asks) every word is rare: a table never analysed
// is new or small, and its index quick.
func TestSearchAsksTheStatisticsWhichWordsAreRare(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := newStore(d)
		u := user("olive@example.com")
		u.Role = domain.RoleSales
		if err := s.People().CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		acc := &domain.Account{Name: "Zephyr", Version: 1}
		if err := d.Write.Create(acc).Error; err != nil {
			t.Fatal(err)
		}
		now := time.Now().UTC()
		deals := make([]domain.Deal, 900)
		for i := range deals {
			title := fmt.Sprintf("Quokka %06d", i)
			if i >= 600 {
				title = fmt.Sprintf("Wombat %06d", i)
			}
			deals[i] = domain.Deal{AccountID: acc.ID, Title: title, OwnerID: u.ID, Stage: domain.StageDiscovery,
				Currency: "USD", TechnicalStatus: domain.TechNotStarted, Version: 1, CreatedAt: now, UpdatedAt: now}
		}
		if err := d.Write.CreateInBatches(&deals, 300).Error; err != nil {
			t.Fatal(err)
		}
		pg := d.Dialect == db.Postgres
		if pg {
			if err := d.Write.Exec("ANALYZE deals").Error; err != nil {
				t.Fatal(err)
			}
		}
		for terms, rare := range map[string]bool{
			"quokka":        !pg, // in two thirds of the deals, none of the newest 300
			"quo":           !pg, // the start of it
			"quokka 000123": true,
			"zebra":         true,
		} {
			if got := s.RareWords(ctx, "deals", strings.Fields(terms)); got != rare {
				t.Errorf("%q rare: %v, want %v", terms, got, rare)
			}
		}
	})
}
