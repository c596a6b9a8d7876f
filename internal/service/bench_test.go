package service_test

import (
	"testing"

	"github.com/presale/presale/internal/service"
)

// BenchmarkVerifyPassword is the cost of one sign-in: argon2id at OWASP's
// parameters is meant to be slow.
func BenchmarkVerifyPassword(b *testing.B) {
	h, err := service.HashPassword("correct horse battery")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if ok, _ := service.VerifyPassword(h, "correct horse battery"); !ok {
			b.Fatal("verify failed")
		}
	}
}
