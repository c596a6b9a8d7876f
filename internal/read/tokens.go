package read

import "github.com/presale/presale/internal/domain"

// TokenRow is an API token with its user's name, as administrators see
// every token.
type TokenRow struct {
	domain.APIToken
	UserName string
}
