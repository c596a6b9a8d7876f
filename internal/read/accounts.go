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

// AccountChoices are the accounts a form offers: all of them when they
// are few, else the first by name that match what was typed; and the
// accounts the form has chosen, whether or not they match.
type AccountChoices struct {
	Accounts []AccountChoice // those that match, by name
	Chosen   []AccountChoice // those chosen that do not match or were not listed
	More     bool            // more accounts match than are listed: the form offers a search
}

// AccountChoicesShown is how many accounts a form lists at most.
const AccountChoicesShown = 100

// ContactRow is a contact in the list, with their account.
type ContactRow struct {
	domain.Contact
	AccountName string
}
