package store

import (
	"context"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
	"gorm.io/gorm"
)

// CreateOffer inserts o.
func (s Offers) CreateOffer(ctx context.Context, o *domain.Offer) error {
	o.Version = 1
	return s.write(ctx).Create(o).Error
}

// OfferByID loads one offer.
func (s Offers) OfferByID(ctx context.Context, id int64) (domain.Offer, error) {
	return first[domain.Offer](ctx, s.core, id)
}

// MoveOffer writes a lifecycle step if the offer is still at version
// expected; false means someone moved it first.
func (s Offers) MoveOffer(ctx context.Context, o *domain.Offer, expected int64) (bool, error) {
	ok, err := s.updateVersioned(ctx, "offers", o.ID, expected, map[string]any{
		"status": o.Status, "hold_trigger": o.HoldTrigger, "decline_reason": o.DeclineReason, "shared_meeting_id": o.SharedMeetingID,
		"decided_by_id": o.DecidedByID, "decided_at": o.DecidedAt, "updated_at": o.UpdatedAt,
	})
	if ok {
		o.Version = expected + 1
	}
	return ok, err
}

func (s Offers) offerRows(ctx context.Context) *gorm.DB {
	return s.read(ctx).Table("offers").
		Select(`offers.*, deals.title AS deal_title, deals.owner_id AS owner_id,
			(SELECT name FROM accounts WHERE accounts.id = deals.account_id) AS account_name,
			(SELECT name FROM users WHERE users.id = offers.proposed_by_id) AS proposer_name,
			(SELECT title FROM meetings WHERE meetings.id = offers.shared_meeting_id) AS meeting_title`).
		Joins("JOIN deals ON deals.id = offers.deal_id")
}

// OfferRow loads one offer with its names.
func (s Offers) OfferRow(ctx context.Context, id int64) (read.OfferRow, error) {
	var rows []read.OfferRow
	if err := s.offerRows(ctx).Where("offers.id = ?", id).Scan(&rows).Error; err != nil {
		return read.OfferRow{}, err
	}
	if len(rows) == 0 {
		return read.OfferRow{}, domain.ErrNotFound
	}
	return rows[0], nil
}

// OffersOfDeal lists a deal's offers in lifecycle order, oldest first.
// Private ones (reserved, drafts) only when withPrivate: outside the deal
// team they do not exist.
func (s Offers) OffersOfDeal(ctx context.Context, dealID int64, withPrivate bool) ([]read.OfferRow, error) {
	q := s.offerRows(ctx).Where("offers.deal_id = ?", dealID)
	if !withPrivate {
		cond, args := offerSeen("offers", nil)
		q = q.Where(cond, args...)
	}
	var rows []read.OfferRow
	return rows, q.Order("offers.created_at, offers.id").Scan(&rows).Error
}

// ReviewQueue lists proposed offers awaiting the salesperson's decision,
// oldest first: on ownerID's deals, or every deal when ownerID is 0.
func (s Offers) ReviewQueue(ctx context.Context, f read.OfferFilter) ([]read.OfferRow, int64, error) {
	p := f.Page
	status := f.Status
	if status == "" {
		status = domain.OfferProposed
	}
	q := s.read(ctx).Table("offers").Where("offers.status = ?", status)
	if f.OwnerID != 0 {
		q = q.Where("offers.deal_owner_id = ?", f.OwnerID)
	}
	if f.DevRelID != 0 {
		q = q.Where("offers.deal_id IN (SELECT deal_id FROM assignments WHERE user_id = ? AND active)", f.DevRelID)
	}
	if !f.From.IsZero() && !f.To.IsZero() {
		q = q.Where("offers.created_at >= ? AND offers.created_at < ?", f.From, f.To)
	}
	n, err := liveTotal(q, "offers", p)
	if err != nil {
		return nil, 0, err
	}
	q = q.Where(liveDeal("offers"))
	var ids []int64
	if err := q.Order("offers.updated_at, offers.id").Limit(p.Limit()).Offset(p.Offset()).Pluck("offers.id", &ids).Error; err != nil {
		return nil, 0, err
	}
	var rows []read.OfferRow
	if len(ids) == 0 {
		return rows, n, nil
	}
	err = s.offerRows(ctx).Where("offers.id IN ?", ids).Order("offers.updated_at, offers.id").Scan(&rows).Error
	return rows, n, err
}

// withoutPrivateOffers leaves out, for viewers outside a deal team, every
// event of an offer they may not see now (offerSeen), so a reserved idea
// leaves no trace on timelines.
func withoutPrivateOffers(q *gorm.DB) *gorm.DB {
	private, args := privateOffer("o")
	return q.Where("NOT (events.entity = ? AND events.entity_id IN (SELECT o.id FROM offers o WHERE "+private+"))", append([]any{domain.EntityOffer}, args...)...)
}

// offerSeen is the reserve's rule (domain.ActionViewOffer) written once
// for SQL, as the condition that the offer alias names is one viewer may
// see; every query that leaves private offers out asks it. A nil viewer is
// anyone outside the deal's team, who sees no private offer
// (domain.PrivateOfferStatuses: reserved, draft, withdrawn). Otherwise
// managers and the deal team see every offer, and a proposer their own
// draft. TestSearchAgreesWithTheOfferPolicy holds it to the domain's rule.
func offerSeen(alias string, viewer *domain.User) (string, []any) {
	private, args := privateOffer(alias)
	public := "NOT (" + private + ")"
	switch {
	case viewer == nil:
		return public, args
	case !viewer.Active:
		return "1 = 0", nil
	case viewer.IsManager():
		return "1 = 1", nil
	}
	// Each test is asked of the offer's own deal (a key's look-up), not of
	// a set of every deal the viewer owns built first: a search finds few
	// offers, and building the set was most of its time.
	return "(" + public + " OR EXISTS (SELECT 1 FROM deals vd WHERE vd.id = " + alias + ".deal_id AND vd.owner_id = ?)" +
			" OR EXISTS (SELECT 1 FROM assignments va WHERE va.deal_id = " + alias + ".deal_id AND va.user_id = ? AND va.active)" +
			" OR (" + alias + ".status = ? AND " + alias + ".proposed_by_id = ?))",
		append(args, viewer.ID, viewer.ID, domain.OfferDraft, viewer.ID)
}

// privateOffer is the condition that the offer alias names is private
// now (domain.PrivateOfferStatuses), for offerSeen and for the events of
// such offers (an index on the status finds them).
func privateOffer(alias string) (string, []any) {
	return alias + ".status IN ?", []any{domain.PrivateOfferStatuses}
}
