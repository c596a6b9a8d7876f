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
	Claimable        bool `gorm:"-"` // the viewer may claim it now; set for the board
	AtCapacity       bool `gorm:"-"` // the viewer could claim it but has no room left
}

// Amount is the deal's value.
func (r SupportRow) Amount() string { return domain.FormatAmount(r.AmountMinor, r.Currency) }

// SupportFilter narrows the board.
type SupportFilter struct {
	Status domain.SupportStatus // default open
	Kind   domain.SupportKind
	Now    time.Time
	Page   Page
}
