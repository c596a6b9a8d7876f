package web

import (
	"context"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
)

// API operations on offers, support requests, promises, coverage and the
// caller's notifications.

// apiDealOffers lists the offers of a deal the caller may see: the
// reserve only for the deal team and managers.
func (s *Server) apiDealOffers(ctx context.Context, in *IDParam) (*list[apiOffer], error) {
	u := apiUser(ctx)
	_, team, err := s.svc.Deal(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	rows, err := s.svc.DealOffers(ctx, u, in.ID, team)
	insider := domain.Can(u, domain.ActionSeeReserve, team)
	return listOf(mapped(rows, func(r read.OfferRow) apiOffer { return offerOut(r.Offer, insider) }), ""), err
}

// apiOffer shows an offer; one the caller may not see is not found.
func (s *Server) apiOffer(ctx context.Context, in *IDParam) (*tagged[apiOffer], error) {
	u := apiUser(ctx)
	d, err := s.svc.OfferDetail(ctx, u, in.ID)
	if err != nil {
		return nil, err
	}
	o := d.Offer.Offer
	return withETag(o.Version, offerOut(o, domain.Can(u, domain.ActionSeeReserve, d.Team))), nil
}

type offerPropose struct {
	IDParam
	Body struct {
		Title           string                   `json:"title" minLength:"1" maxLength:"200" pattern:"\\S"`
		Detail          string                   `json:"detail,omitempty" maxLength:"10000"`
		Kind            choice[domain.OfferKind] `json:"kind"`
		EstimatedEffort string                   `json:"estimated_effort,omitempty" maxLength:"200"`
		Submit          bool                     `json:"submit,omitempty" doc:"Send it to the salesperson's review at once; otherwise it stays a draft."`
	}
}

func (s *Server) apiProposeOffer(ctx context.Context, in *offerPropose) (*created[apiOffer], error) {
	b := in.Body
	o, err := s.svc.ProposeOffer(ctx, apiUser(ctx), in.ID, domain.OfferProposal{Title: b.Title, Detail: b.Detail, Kind: string(b.Kind), EstimatedEffort: b.EstimatedEffort}, b.Submit)
	if err != nil {
		return nil, err
	}
	out, err := s.apiOffer(ctx, &IDParam{ID: o.ID})
	if err != nil {
		return nil, err
	}
	return createdAt("/offers/", o.ID, out), nil
}

// An offer's lifecycle steps: most need only the offer; a hold, a decline
// and a share each need one thing more, which their bodies require.
type (
	offerStep struct{ IDParam }
	offerHold struct {
		IDParam
		Body struct {
			Trigger string `json:"trigger" minLength:"1" maxLength:"400" pattern:"\\S" doc:"When to bring it out."`
		}
	}
	offerDecline struct {
		IDParam
		Body struct {
			Reason string `json:"reason" minLength:"1" maxLength:"10000" pattern:"\\S" doc:"Why not."`
		}
	}
	offerShare struct {
		IDParam
		Body struct {
			MeetingID int64 `json:"meeting_id" minimum:"1" doc:"The deal's meeting it was shared in."`
		}
	}
)

func (in *offerStep) step() (int64, domain.OfferInput) { return in.ID, domain.OfferInput{} }
func (in *offerHold) step() (int64, domain.OfferInput) {
	return in.ID, domain.OfferInput{Trigger: in.Body.Trigger}
}
func (in *offerDecline) step() (int64, domain.OfferInput) {
	return in.ID, domain.OfferInput{Reason: in.Body.Reason}
}
func (in *offerShare) step() (int64, domain.OfferInput) {
	return in.ID, domain.OfferInput{MeetingID: &in.Body.MeetingID}
}

// offerStepIn is the input of a step: the offer, and what the step needs.
type offerStepIn[I any] interface {
	*I
	step() (int64, domain.OfferInput)
}

// apiMoveOffer takes one lifecycle step; a step the offer's state or the
// caller's role does not allow is refused and changes nothing.
func apiMoveOffer[I any, P offerStepIn[I]](s *Server, action domain.OfferAction) func(context.Context, *I) (*tagged[apiOffer], error) {
	return func(ctx context.Context, in *I) (*tagged[apiOffer], error) {
		id, step := P(in).step()
		if _, _, err := s.svc.MoveOffer(ctx, apiUser(ctx), id, action, step); err != nil {
			return nil, err
		}
		return s.apiOffer(ctx, &IDParam{ID: id})
	}
}

func (s *Server) apiSupportRequest(ctx context.Context, in *IDParam) (*tagged[apiSupport], error) {
	d, err := s.svc.SupportDetail(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	return withETag(d.Request.Version, supportOut(d.Request.SupportRequest)), nil
}

type supportBoardIn struct {
	Paging
	Status  choice[domain.SupportStatus] `query:"status" doc:"open unless given"`
	Kind    choice[domain.SupportKind]   `query:"kind"`
	Overdue bool                         `query:"overdue" doc:"Past their needed-by date."`
}

func (s *Server) apiSupportBoard(ctx context.Context, in *supportBoardIn) (*list[apiSupport], error) {
	pg, err := in.page()
	if err != nil {
		return nil, err
	}
	f := read.SupportFilter{Status: domain.SupportStatus(in.Status), Kind: domain.SupportKind(in.Kind), Overdue: in.Overdue, Page: pg}
	if f.Status == "" {
		f.Status = domain.SupportOpen
	}
	rows, total, err := s.svc.SupportBoard(ctx, f)
	return listOf(mapped(rows, func(r read.SupportRow) apiSupport { return supportOut(r.SupportRequest) }), next(pg, len(rows), total)), err
}

type supportCreate struct {
	IDParam
	Body struct {
		Kind     choice[domain.SupportKind] `json:"kind"`
		NeededBy day                        `json:"needed_by,omitempty" doc:"YYYY-MM-DD, today or later; or empty for no date."`
		Details  string                     `json:"details" minLength:"1" maxLength:"10000" pattern:"\\S" doc:"What the customer needs."`
	}
}

func (s *Server) apiRequestSupport(ctx context.Context, in *supportCreate) (*created[apiSupport], error) {
	b := in.Body
	r, err := s.svc.RequestSupport(ctx, apiUser(ctx), in.ID, domain.SupportInput{Kind: string(b.Kind), NeededBy: string(b.NeededBy), Details: b.Details})
	if err != nil {
		return nil, err
	}
	out, err := s.apiSupportRequest(ctx, &IDParam{ID: r.ID})
	if err != nil {
		return nil, err
	}
	return createdAt("/support-requests/", r.ID, out), nil
}

// apiClaimSupport claims a request for the caller, within their capacity.
func (s *Server) apiClaimSupport(ctx context.Context, in *IDParam) (*tagged[apiSupport], error) {
	if _, err := s.svc.ClaimSupport(ctx, apiUser(ctx), in.ID); err != nil {
		return nil, err
	}
	return s.apiSupportRequest(ctx, in)
}

type supportRelease struct {
	IDParam
	Body *struct {
		Done bool `json:"done,omitempty" doc:"The work is finished: the request is fulfilled. Otherwise it opens again."`
	}
}

func (s *Server) apiReleaseSupport(ctx context.Context, in *supportRelease) (*tagged[apiSupport], error) {
	done := in.Body != nil && in.Body.Done
	if _, _, err := s.svc.ReleaseSupport(ctx, apiUser(ctx), in.ID, done); err != nil {
		return nil, err
	}
	return s.apiSupportRequest(ctx, &in.IDParam)
}

func (s *Server) apiPromise(ctx context.Context, in *IDParam) (*tagged[apiPromise], error) {
	d, err := s.svc.PromiseDetail(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	return withETag(d.Promise.Version, promiseOut(d.Promise.Promise)), nil
}

type promisesIn struct {
	Paging
	DealID      int64                        `query:"deal_id"`
	OwnerID     int64                        `query:"owner_id"`
	Feasibility choice[domain.Feasibility]   `query:"feasibility"`
	Status      choice[domain.PromiseStatus] `query:"status"`
	Due         string                       `query:"due" enum:"overdue,soon" doc:"Past due, or due in the next 30 days."`
}

func (s *Server) apiPromises(ctx context.Context, in *promisesIn) (*list[apiPromise], error) {
	pg, err := in.page()
	if err != nil {
		return nil, err
	}
	f := read.PromiseFilter{DealID: in.DealID, OwnerID: in.OwnerID, Feasibility: domain.Feasibility(in.Feasibility),
		Status: domain.PromiseStatus(in.Status), Due: in.Due, Page: pg}
	rows, total, err := s.svc.Promises(ctx, f)
	return listOf(mapped(rows, func(r read.PromiseRow) apiPromise { return promiseOut(r.Promise) }), next(pg, len(rows), total)), err
}

type promiseRecord struct {
	IDParam
	Body struct {
		Text      string                     `json:"text" minLength:"1" maxLength:"10000" pattern:"\\S"`
		Kind      choice[domain.PromiseKind] `json:"kind"`
		OwnerID   int64                      `json:"owner_id,omitempty" minimum:"1" doc:"Who keeps it; the deal's owner unless given."`
		DueDate   day                        `json:"due_date,omitempty" doc:"YYYY-MM-DD, or empty for none."`
		MeetingID int64                      `json:"meeting_id,omitempty" minimum:"1" doc:"The deal's meeting it was made in."`
	}
}

func (s *Server) apiRecordPromise(ctx context.Context, in *promiseRecord) (*created[apiPromise], error) {
	b := in.Body
	owner := b.OwnerID
	if owner == 0 {
		d, _, err := s.svc.Deal(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		owner = d.OwnerID
	}
	p, err := s.svc.RecordPromise(ctx, apiUser(ctx), in.ID, domain.PromiseInput{Text: b.Text, Kind: string(b.Kind), OwnerID: idString(owner),
		DueDate: string(b.DueDate), MeetingID: idString(b.MeetingID)})
	if err != nil {
		return nil, err
	}
	out, err := s.apiPromise(ctx, &IDParam{ID: p.ID})
	if err != nil {
		return nil, err
	}
	return createdAt("/promises/", p.ID, out), nil
}

type promiseReview struct {
	IDParam
	Body struct {
		Feasibility string `json:"feasibility" enum:"feasible,risky,infeasible"`
		Note        string `json:"note,omitempty" maxLength:"10000" doc:"Required for risky or infeasible: what makes it so."`
	}
}

// apiReviewPromise is DevRel's feasibility rating.
func (s *Server) apiReviewPromise(ctx context.Context, in *promiseReview) (*tagged[apiPromise], error) {
	if _, err := s.svc.ReviewPromise(ctx, apiUser(ctx), in.ID, domain.Feasibility(in.Body.Feasibility), in.Body.Note); err != nil {
		return nil, err
	}
	return s.apiPromise(ctx, &in.IDParam)
}

// apiCoverageOut is the manager's coverage review in counts.
type apiCoverageOut struct {
	Body struct {
		From          string            `json:"from" format:"date"`
		To            string            `json:"to" format:"date" doc:"The last day of the period."`
		OpenDeals     int64             `json:"open_deals"`
		CoveredDeals  int64             `json:"covered_deals" doc:"Open deals with at least one DevRel assigned."`
		ByStage       []apiCoverageRow  `json:"by_stage"`
		BySalesperson []apiCoverageRow  `json:"by_salesperson"`
		Meetings      apiMeetingsCover  `json:"meetings" doc:"Scheduled in the next 14 days."`
		Support       apiSupportAges    `json:"support" doc:"Open requests by age."`
		DevRel        []apiDevRelLoad   `json:"devrel"`
		Offers        map[string]int64  `json:"offers" doc:"Offers proposed in the period, by where they stand now."`
		Promises      apiPromiseRisk    `json:"promises"`
		Trend         []apiCoverageWeek `json:"trend" doc:"Open and covered deals at the end of each of the last 12 weeks."`
	}
}

type apiSupportAges struct {
	UnderTwoDays    int64 `json:"under_2_days"`
	TwoToSeven      int64 `json:"2_to_7_days"`
	SevenToFourteen int64 `json:"7_to_14_days"`
	OverFourteen    int64 `json:"over_14_days"`
	PastNeededBy    int64 `json:"past_needed_by"`
}

type apiPromiseRisk struct {
	Unreviewed int64 `json:"unreviewed"`
	Risky      int64 `json:"risky"`
	Infeasible int64 `json:"infeasible"`
	Overdue    int64 `json:"overdue"`
}

type apiCoverageRow struct {
	Key     string `json:"key" doc:"The stage, or the salesperson's name."`
	OwnerID int64  `json:"owner_id,omitempty"`
	Deals   int64  `json:"deals"`
	Covered int64  `json:"covered"`
}

type apiMeetingsCover struct {
	WithDevRel    int64            `json:"with_devrel"`
	WithoutDevRel int64            `json:"without_devrel"`
	BySync        map[string]int64 `json:"by_sync"`
}

type apiDevRelLoad struct {
	UserID   int64  `json:"user_id"`
	Name     string `json:"name"`
	Load     int    `json:"load"`
	Capacity int    `json:"capacity"`
	Meetings int    `json:"meetings"`
}

type apiCoverageWeek struct {
	Ending  string `json:"ending" format:"date"`
	Open    int64  `json:"open"`
	Covered int64  `json:"covered"`
}

type coverageIn struct {
	OwnerID  int64  `query:"owner_id"`
	DevRelID int64  `query:"devrel_id"`
	From     string `query:"from" format:"date"`
	To       string `query:"to" format:"date"`
}

func (s *Server) apiCoverage(ctx context.Context, in *coverageIn) (*apiCoverageOut, error) {
	f, err := coveragePeriod(in.OwnerID, in.DevRelID, in.From, in.To, apiUser(ctx).Location())
	if err != nil {
		return nil, err
	}
	cov, err := s.svc.Coverage(ctx, apiUser(ctx), f)
	if err != nil {
		return nil, err
	}
	out := &apiCoverageOut{}
	b := &out.Body
	b.From, b.To = cov.Filter.From.Format("2006-01-02"), cov.Filter.To.Add(-1).Format("2006-01-02")
	b.OpenDeals, b.CoveredDeals = cov.Total.Deals, cov.Total.Covered
	row := func(r read.CoverageRow) apiCoverageRow {
		return apiCoverageRow{Key: r.Key, OwnerID: r.OwnerID, Deals: r.Deals, Covered: r.Covered}
	}
	b.ByStage, b.BySalesperson = mapped(cov.ByStage, row), mapped(cov.BySalesperson, row)
	b.Meetings = apiMeetingsCover{WithDevRel: cov.WithDevRel, WithoutDevRel: cov.WithoutDevRel, BySync: map[string]int64{}}
	for st, n := range cov.Meetings {
		b.Meetings.BySync[string(st)] = n
	}
	b.Support = apiSupportAges(cov.Support)
	b.Promises = apiPromiseRisk(cov.Promises)
	b.DevRel = mapped(cov.DevRel, func(d read.DevRelCoverage) apiDevRelLoad {
		return apiDevRelLoad{UserID: d.UserID, Name: d.Name, Load: d.Load, Capacity: d.EffectiveCapacity(), Meetings: d.Meetings}
	})
	b.Offers = map[string]int64{}
	for st, n := range cov.Offers {
		b.Offers[string(st)] = n
	}
	b.Trend = mapped(cov.Trend, func(w read.WeekCoverage) apiCoverageWeek {
		return apiCoverageWeek{Ending: w.Ending().Format("2006-01-02"), Open: w.Open, Covered: w.Covered}
	})
	return out, nil
}

type notificationsIn struct {
	Paging
}

func (s *Server) apiNotifications(ctx context.Context, in *notificationsIn) (*list[apiNotification], error) {
	pg, err := in.page()
	if err != nil {
		return nil, err
	}
	rows, total, err := s.svc.Notifications(ctx, apiUser(ctx), pg)
	return listOf(mapped(rows, notificationOut), next(pg, len(rows), total)), err
}

type readOutput struct {
	Body struct {
		Read bool `json:"read"`
	}
}

func (s *Server) apiMarkRead(ctx context.Context, in *IDParam) (*readOutput, error) {
	if err := s.svc.MarkRead(ctx, apiUser(ctx), in.ID); err != nil {
		return nil, err
	}
	out := &readOutput{}
	out.Body.Read = true
	return out, nil
}
