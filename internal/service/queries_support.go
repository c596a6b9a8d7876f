package service

import (
	"context"
	"slices"
	"time"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
)

// SupportBoard lists one page of the support board.
func (s *Support) SupportBoard(ctx context.Context, f read.SupportFilter) ([]read.SupportRow, int64, error) {
	f.Now = time.Time{}
	return keptList(ctx, s.core, orgKey{what: "support board", args: argsOf(f)}, func(ctx context.Context) ([]read.SupportRow, int64, error) {
		f.Now = s.now().UTC()
		return s.store.Support().SupportBoard(ctx, f)
	})
}

// SupportBoardFor is one page of the board as viewer sees it: the kept
// rows, copied into cards that say whether this viewer may claim each now
// (or could, but is at capacity), and the viewer's load. Nothing of one
// viewer's is written into what is kept for all.
func (s *Support) SupportBoardFor(ctx context.Context, viewer domain.User, f read.SupportFilter) (cards []read.SupportCard, total int64, load int, err error) {
	rows, total, err := s.SupportBoard(ctx, f)
	if err != nil {
		return nil, 0, 0, err
	}
	if domain.Can(viewer, domain.ActionClaimSupport, domain.Organisation{}) {
		if load, err = s.DevRelLoad(ctx, viewer); err != nil {
			return nil, 0, 0, err
		}
	}
	room := viewer.HasRoomFor(load)
	cards = make([]read.SupportCard, len(rows))
	for i, r := range rows {
		could := r.Allows(viewer, domain.ActionClaimRequest, domain.DealTeam{})
		cards[i] = read.SupportCard{SupportRow: r, Claimable: could && room, AtCapacity: could && !room}
	}
	return cards, total, load, nil
}

// SupportDetail is what a support request's page shows.
type SupportDetail struct {
	Request read.SupportRow
	Team    domain.DealTeam
	DevRel  []read.DevRelLoad // for a manager's assignment
	Events  []read.TimelineEntry
}

// SupportDetail loads a support request with the deal team and, for the
// manager's choice, every DevRel's load.
func (s *Support) SupportDetail(ctx context.Context, id int64) (SupportDetail, error) {
	var d SupportDetail
	var err error
	if d.Request, err = s.store.Support().SupportRequestRow(ctx, id, s.now().UTC()); err != nil {
		return d, err
	}
	if d.Team, _, err = s.store.Deals().DealTeam(ctx, d.Request.DealID); err != nil {
		return d, err
	}
	if d.DevRel, err = s.store.Support().DevRelLoads(ctx); err != nil {
		return d, err
	}
	d.Events, err = s.store.Events().EntityTimeline(ctx, domain.EntitySupportRequest, id)
	return d, err
}

// DeskList is how many rows a list on a desk shows; each has a link to
// the whole list.
const DeskList = 20

// CarriedDeals lists the deals a DevRel is actively assigned to, each
// with its next meeting and that meeting's sync state.
func (s *Support) CarriedDeals(ctx context.Context, u domain.User) ([]read.CarriedDeal, error) {
	rows, err := s.store.Deals().AssignedDeals(ctx, u.ID, DeskList)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	upcoming, err := s.store.Meetings().UpcomingMeetingsOfDeals(ctx, ids, s.now().UTC())
	if err != nil {
		return nil, err
	}
	out := make([]read.CarriedDeal, len(rows))
	for i, r := range rows {
		out[i] = read.CarriedDeal{DealRow: r}
		// Soonest first: the first meeting of a deal is its next.
		if j := slices.IndexFunc(upcoming, func(m read.MeetingRow) bool { return m.DealID == r.ID }); j >= 0 {
			out[i].Next = &upcoming[j]
		}
	}
	return out, nil
}

// DevRelLoads lists every active DevRel with their load, for a manager
// choosing whom to assign.
func (s *Support) DevRelLoads(ctx context.Context) ([]read.DevRelLoad, error) {
	return s.store.Support().DevRelLoads(ctx)
}

// DevRelLoad is a DevRel's active deals against their capacity.
func (s *Support) DevRelLoad(ctx context.Context, u domain.User) (int, error) {
	return s.store.Support().ActiveLoad(ctx, u.ID)
}
