package read

import (
	"time"

	"github.com/presale/presale/internal/domain"
)

// OfferRow is an offer with its deal and proposer.
type OfferRow struct {
	domain.Offer
	DealTitle    string
	AccountName  string
	OwnerID      int64
	ProposerName string
	MeetingTitle string
}

// OfferFilter selects offers for the review queue, or, from the coverage
// review, offers proposed in a period by where they stand now.
type OfferFilter struct {
	Status   domain.OfferStatus // proposed unless set
	OwnerID  int64              // the deals of this salesperson; 0 for all
	DevRelID int64              // the deals this DevRel is assigned to
	From, To time.Time          // proposed within, when set
	Page     Page
}
