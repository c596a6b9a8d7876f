package read

import "github.com/presale/presale/internal/domain"

// OfferRow is an offer with its deal and proposer.
type OfferRow struct {
	domain.Offer
	DealTitle    string
	AccountName  string
	OwnerID      int64
	ProposerName string
	MeetingTitle string
}
