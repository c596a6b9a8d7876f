package read

import (
	"strconv"
	"strings"
	"time"

	"github.com/presale/presale/internal/domain"
)

// TaskRow is a next step with the names it is shown with.
type TaskRow struct {
	domain.Task
	AssigneeName string
	DealTitle    string
}

// CommentRow is a comment with its author's name.
type CommentRow struct {
	domain.Comment
	AuthorName string
}

// SavedView is a pipeline filter a user named and kept.
type SavedView struct {
	ID        int64
	UserID    int64
	Name      string
	Query     string // the pipeline's URL query, without page
	CreatedAt time.Time
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

// TokenRow is an API token with its user's name, as administrators see
// every token.
type TokenRow struct {
	domain.APIToken
	UserName string
}

// ImportRow is an upload in the list of imports, without its file, with
// who brought it.
type ImportRow struct {
	domain.Import
	CreatorName string
}
