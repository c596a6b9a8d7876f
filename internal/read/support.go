package read

import (
	"time"

	"github.com/presale/presale/internal/domain"
)

// DevRelLoad is a DevRel with their active deals and capacity.
type DevRelLoad struct {
	domain.User
	Load int
}

// SupportRow is a request on the board with its deal and what comes next.
type SupportRow struct {
	domain.SupportRequest
	DealTitle        string
	DealStage        domain.Stage
	AmountMinor      int64
	Currency         string
	AccountName      string
	RequestedByName  string
	ClaimedByName    string
	NextMeetingID    *int64
	NextMeetingTitle string
	NextMeetingAt    DBTime
}

// SupportCard is a request on the board as one viewer sees it: the row,
// kept for everyone and never changed, and what this viewer may do with
// it, decided per request.
type SupportCard struct {
	SupportRow
	Claimable  bool // the viewer may claim it now
	AtCapacity bool // the viewer could claim it but has no room left
}

// Amount is the deal's value.
func (r SupportRow) Amount() string { return domain.FormatAmount(r.AmountMinor, r.Currency) }

// SupportFilter narrows the board.
type SupportFilter struct {
	Status  domain.SupportStatus // default open
	Kind    domain.SupportKind
	Overdue bool   // past the needed-by date
	Age     string // one of SupportAgeBands, or ""
	// Narrowed as the coverage review was.
	DealOwnerID, DevRelID int64
	Now                   time.Time
	Page                  Page
}

// SupportAgeBands are how long open requests have waited, in days, as the
// coverage review counts them.
var SupportAgeBands = map[string][2]int{"0-2": {0, 2}, "2-7": {2, 7}, "7-14": {7, 14}, "14+": {14, 0}}
