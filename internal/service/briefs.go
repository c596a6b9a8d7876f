package service

import (
	"context"
	"time"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
)

// Brief is the one-page plan for a meeting.
type Brief struct {
	MeetingDetail
	Sync        SyncDetail
	ShowReserve bool
	BriefPlan
}

// BriefPlan is what a brief adds to the meeting's page: the talking
// points by status, open questions, promises so far and the last outcome.
// It is the same for every viewer who sees the reserve, and for every one
// who does not.
type BriefPlan struct {
	Cleared     []read.OfferRow
	Reserved    []read.OfferRow
	Declined    []read.OfferRow
	Open        []read.QuestionRow
	Promises    []read.PromiseRow
	LastOutcome *read.MeetingRow
}

// Brief assembles a meeting's plan for a viewer. What is held in reserve
// is in it only for the deal team and managers. As with the meeting's
// page, the plan read last is used again while the deal's revision and
// the directory's are unchanged; what is returned is shared.
func (s *Meetings) Brief(ctx context.Context, viewer domain.User, meetingID int64) (Brief, error) {
	var b Brief
	var rev read.Revision
	var err error
	if b.MeetingDetail, rev, err = s.meetingDetail(ctx, meetingID); err != nil {
		return b, err
	}
	b.Sync = s.SyncDetailOf(viewer, b.MeetingDetail)
	b.ShowReserve = domain.Can(viewer, domain.ActionSeeReserve, b.Team)
	now := s.now().UTC()
	b.BriefPlan, _, err = s.briefPlans.through(keptKey{meetingID, b.ShowReserve}, rev, now, time.Time{}, func() (BriefPlan, time.Time, error) {
		plan, err := s.briefPlan(ctx, b.MeetingDetail, b.ShowReserve)
		return plan, now.Add(keptFor), err
	})
	return b, err
}

// briefPlan reads a brief's plan from the database.
func (s *Meetings) briefPlan(ctx context.Context, m MeetingDetail, reserve bool) (BriefPlan, error) {
	var b BriefPlan
	offers, err := s.store.Offers().OffersOfDeal(ctx, m.Deal.ID, reserve)
	if err != nil {
		return b, err
	}
	for _, o := range offers {
		switch o.Status {
		case domain.OfferCleared:
			b.Cleared = append(b.Cleared, o)
		case domain.OfferReserved:
			b.Reserved = append(b.Reserved, o)
		case domain.OfferDeclined:
			b.Declined = append(b.Declined, o)
		}
	}
	questions, err := s.store.Meetings().Questions(ctx, m.Deal.ID, 0)
	if err != nil {
		return b, err
	}
	for _, q := range questions {
		if q.Status == domain.QuestionOpen {
			b.Open = append(b.Open, q)
		}
	}
	if b.Promises, _, err = s.store.Offers().Promises(ctx, read.PromiseFilter{DealID: m.Deal.ID, Page: read.Top(200)}); err != nil {
		return b, err
	}
	// The last outcome is the latest held meeting before this one: which
	// meetings are upcoming now does not change it.
	meetings, err := s.store.Meetings().MeetingsOfDeal(ctx, m.Deal.ID, m.Meeting.StartsAt)
	if err != nil {
		return b, err
	}
	for i, o := range meetings {
		if o.Status == domain.MeetingHeld && o.ID != m.Meeting.ID && o.StartsAt.Before(m.Meeting.StartsAt) &&
			(b.LastOutcome == nil || o.StartsAt.After(b.LastOutcome.StartsAt)) {
			b.LastOutcome = &meetings[i]
		}
	}
	return b, nil
}
