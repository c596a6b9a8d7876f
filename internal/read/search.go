package read

import "time"

// SearchKind is a group of the one search box's results.
type SearchKind string

const (
	SearchDeals    SearchKind = "deals"
	SearchAccounts SearchKind = "accounts"
	SearchContacts SearchKind = "contacts"
	SearchMeetings SearchKind = "meetings"
	SearchOffers   SearchKind = "offers"
)

// SearchKinds are the groups in the order the results show them.
var SearchKinds = []SearchKind{SearchDeals, SearchAccounts, SearchContacts, SearchMeetings, SearchOffers}

// SearchHit is one result: what it is called, and what places it.
type SearchHit struct {
	ID     int64
	Title  string
	Detail string // the account of a deal or contact, the deal of a meeting or offer
	Status string // a stored value for the page to label
	At     *time.Time
}

// SearchResults are the hits of one search by kind.
type SearchResults map[SearchKind][]SearchHit
