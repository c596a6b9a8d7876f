package read

import "github.com/presale/presale/internal/domain"

// AccountRow is an account in the list with its open-deal count.
type AccountRow struct {
	domain.Account
	OpenDeals int
	Contacts  int
}

// AccountChoice is an account as a form's select shows it.
type AccountChoice struct {
	ID   int64
	Name string
}

// ContactRow is a contact in the list, with their account.
type ContactRow struct {
	domain.Contact
	AccountName string
}
