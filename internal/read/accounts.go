package read

import (
	"strconv"
	"strings"
	"time"

	"github.com/presale/presale/internal/domain"
)

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
	Q        string          // what the form's search asked for; "" lists the first by name
}

// AccountChoicesShown is how many accounts a form lists at most.
const AccountChoicesShown = 100

// ContactRow is a contact in the list, with their account.
type ContactRow struct {
	domain.Contact
	AccountName string
}

// AccountMerge is one account merged into another, with what moved.
type AccountMerge struct {
	ID            int64
	FromAccountID int64
	IntoAccountID int64
	MergedByID    int64
	ContactIDs    string // comma-separated ids, for the undo
	DealIDs       string
	EventIDs      string
	MergedAt      time.Time
	UndoneAt      *time.Time
}

// IDList reads a comma-separated list of ids, as a merge keeps them.
func IDList(s string) []int64 {
	var ids []int64
	for _, p := range strings.Split(s, ",") {
		if id, err := strconv.ParseInt(p, 10, 64); err == nil {
			ids = append(ids, id)
		}
	}
	return ids
}
