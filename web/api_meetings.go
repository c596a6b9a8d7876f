package web

import (
	"context"
	"strings"
	"time"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
	"github.com/presale/presale/internal/service"
)

// meetingAPI serves the API's operations on meetings, their sync and the
// questions raised in them.
type meetingAPI struct{ svc *service.Service }

// localTime takes a time as RFC 3339 or as the forms type it (in loc),
// and gives it as the forms do.
func localTime(v string, loc *time.Location) string {
	if t, err := time.Parse(time.RFC3339, strings.TrimSpace(v)); err == nil {
		return t.In(loc).Format(domain.DateTimeLayout)
	}
	return v
}

func ids(vs []int64) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = idString(v)
	}
	return out
}

func (h *meetingAPI) apiDealMeetings(ctx context.Context, in *IDParam) (*list[apiMeeting], error) {
	rows, err := h.svc.Meetings.DealMeetings(ctx, in.ID)
	return listOf(mapped(rows, meetingRowOut), ""), err
}

func (h *meetingAPI) apiMeeting(ctx context.Context, in *IDParam) (*tagged[apiMeeting], error) {
	m, err := h.svc.Meetings.MeetingDetail(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	row, err := h.svc.Meetings.MeetingRow(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	out := meetingRowOut(row)
	out.ContactIDs = mapped(m.Contacts, func(c domain.Contact) int64 { return c.ID })
	out.InternalAttendeeIDs = mapped(m.Attendees, func(u domain.User) int64 { return u.ID })
	return withETag(m.Meeting.Version, out), nil
}

type meetingCreate struct {
	IDParam
	Body apiMeetingIn
}

func (h *meetingAPI) apiScheduleMeeting(ctx context.Context, in *meetingCreate) (*created[apiMeeting], error) {
	u := apiUser(ctx)
	loc := u.Location()
	b := in.Body
	mi := domain.MeetingInput{Title: b.Title, Type: string(b.Type), StartsAt: localTime(string(b.StartsAt), loc), EndsAt: localTime(string(b.EndsAt), loc),
		Location: b.Location, Agenda: b.Agenda, Goal: b.Goal, ContactIDs: ids(b.ContactIDs), InternalAttendeeIDs: ids(b.InternalAttendeeIDs)}
	if b.InternalAttendeeIDs == nil {
		// As the form pre-selects them: the deal's DevRel attend.
		_, team, err := h.svc.Deals.Deal(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		mi.InternalAttendeeIDs = ids(append([]int64{u.ID}, team.DevRelIDs...))
	}
	m, err := h.svc.Meetings.ScheduleMeeting(ctx, u, in.ID, mi, loc)
	if err != nil {
		return nil, err
	}
	out, err := h.apiMeeting(ctx, &IDParam{ID: m.ID})
	if err != nil {
		return nil, err
	}
	return createdAt("/meetings/", m.ID, out), nil
}

type meetingHeldIn struct {
	IDParam
	Body struct {
		OutcomeNotes string `json:"outcome_notes,omitempty" maxLength:"10000" doc:"What came of it."`
		Early        bool   `json:"early,omitempty" doc:"Mark it held before its start."`
	}
}

func (h *meetingAPI) apiMeetingHeld(ctx context.Context, in *meetingHeldIn) (*tagged[apiMeeting], error) {
	if _, err := h.svc.Meetings.MarkMeetingHeld(ctx, apiUser(ctx), in.ID, in.Body.OutcomeNotes, in.Body.Early); err != nil {
		return nil, err
	}
	return h.apiMeeting(ctx, &IDParam{ID: in.ID})
}

func (h *meetingAPI) apiMeetingCancel(ctx context.Context, in *IDParam) (*tagged[apiMeeting], error) {
	if _, err := h.svc.Meetings.CancelMeeting(ctx, apiUser(ctx), in.ID); err != nil {
		return nil, err
	}
	return h.apiMeeting(ctx, &IDParam{ID: in.ID})
}

func (h *meetingAPI) apiSync(ctx context.Context, in *IDParam) (*tagged[apiSync], error) {
	d, err := h.svc.Meetings.SyncDetail(ctx, apiUser(ctx), in.ID)
	if err != nil {
		return nil, err
	}
	sy := d.Sync
	return withETag(max(sy.Version, 1), apiSync{MeetingID: in.ID, State: choice[domain.SyncState](d.State),
		DevRelAttending: d.DevRelAttending, NeedsAttention: d.NeedsAttention, Notes: sy.Notes, MayRaise: sy.MayRaise, Avoid: sy.Avoid,
		SalesConfirmedAt: sy.SalesConfirmedAt, DevRelConfirmedAt: sy.DevRelConfirmedAt, Version: sy.Version}), nil
}

type syncRecord struct {
	IDParam
	VersionCheck
	Body struct {
		Notes    string `json:"notes,omitempty" maxLength:"10000"`
		MayRaise string `json:"may_raise,omitempty" maxLength:"10000" doc:"Which offers may be raised."`
		Avoid    string `json:"avoid,omitempty" maxLength:"10000" doc:"What to stay away from."`
		Version  *int64 `json:"version,omitempty" doc:"The version you read (or send If-Match)."`
	}
}

// apiRecordSync records what the sides agreed; a change withdraws both
// confirmations, as on the page.
func (h *meetingAPI) apiRecordSync(ctx context.Context, in *syncRecord) (*tagged[apiSync], error) {
	version, err := in.expected(in.Body.Version)
	if err != nil {
		return nil, err
	}
	b := in.Body
	if _, err := h.svc.Meetings.SaveSync(ctx, apiUser(ctx), in.ID, version, domain.SyncInput{Notes: b.Notes, MayRaise: b.MayRaise, Avoid: b.Avoid}); err != nil {
		return nil, err
	}
	return h.apiSync(ctx, &IDParam{ID: in.ID})
}

func (h *meetingAPI) apiConfirmSync(ctx context.Context, in *IDParam) (*tagged[apiSync], error) {
	if _, err := h.svc.Meetings.ConfirmSync(ctx, apiUser(ctx), in.ID); err != nil {
		return nil, err
	}
	return h.apiSync(ctx, &IDParam{ID: in.ID})
}

type questionOutput struct{ Body apiQuestion }

func (h *meetingAPI) apiQuestion(ctx context.Context, in *IDParam) (*questionOutput, error) {
	d, err := h.svc.Meetings.QuestionDetail(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	return &questionOutput{Body: questionOut(d.Question.Question)}, nil
}

type questionRaise struct {
	IDParam
	Body struct {
		Category    choice[domain.QuestionCategory] `json:"category"`
		Text        string                          `json:"text" minLength:"1" maxLength:"10000" pattern:"\\S"`
		RaisedByID  int64                           `json:"raised_by_id,omitempty" minimum:"1" doc:"The contact who raised it, one of the deal's account."`
		ProductArea string                          `json:"product_area,omitempty" maxLength:"60" doc:"The key of one of the organisation's product areas it is about; none unless given."`
	}
}

func (h *meetingAPI) apiRaiseQuestion(ctx context.Context, in *questionRaise) (*created[apiQuestion], error) {
	b := in.Body
	q, err := h.svc.Meetings.RaiseQuestion(ctx, apiUser(ctx), in.ID, domain.QuestionInput{Category: string(b.Category), Text: b.Text, RaisedByID: idString(b.RaisedByID),
		ProductArea: b.ProductArea})
	if err != nil {
		return nil, err
	}
	return createdAt("/questions/", q.ID, &tagged[apiQuestion]{Body: questionOut(q)}), nil
}

type questionAnswer struct {
	IDParam
	Body struct {
		Answer      string  `json:"answer" minLength:"1" maxLength:"10000" pattern:"\\S"`
		ProductArea *string `json:"product_area,omitempty" maxLength:"60" doc:"The key of one of the organisation's product areas it is about; empty for none; kept unless given."`
	}
}

func (h *meetingAPI) apiAnswerQuestion(ctx context.Context, in *questionAnswer) (*questionOutput, error) {
	q, err := h.svc.Meetings.AnswerQuestion(ctx, apiUser(ctx), in.ID, in.Body.Answer, in.Body.ProductArea)
	if err != nil {
		return nil, err
	}
	return &questionOutput{Body: questionOut(q)}, nil
}

// agendaIn pages the caller's upcoming meetings.
type agendaIn struct {
	Paging
	Everyone bool `query:"everyone" doc:"Everyone's meetings, not only those you own the deal of or attend."`
	Past     bool `query:"past" doc:"Past and no longer scheduled meetings, latest first."`
}

func (h *meetingAPI) apiAgenda(ctx context.Context, in *agendaIn) (*list[apiMeeting], error) {
	pg, err := in.page()
	if err != nil {
		return nil, err
	}
	f := read.AgendaFilter{Now: h.svc.Now(), Past: in.Past, Page: pg}
	if !in.Everyone {
		f.UserID = apiUser(ctx).ID
	}
	rows, more, err := h.svc.Meetings.Agenda(ctx, f)
	after := ""
	if more {
		after = cursor{Page: pg.Number + 1, Size: pg.Limit()}.String()
	}
	return listOf(mapped(rows, meetingRowOut), after), err
}
