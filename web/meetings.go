package web

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
	"github.com/presale/presale/internal/service"
	"github.com/presale/presale/views/components"
	"github.com/presale/presale/views/pages"
)

// meetingHandlers serve meetings: the agenda, a meeting's page and form,
// its status, the pre-meeting sync (syncs.go), the questions raised in it
// (questions.go) and its printable brief (brief.go).
type meetingHandlers struct {
	svc   *service.Service
	site  site
	deals *dealHandlers // a held meeting asks for the deal's next step
}

func (h *meetingHandlers) agenda(c echo.Context) error {
	loc := h.site.location(c)
	f := read.AgendaFilter{Past: c.QueryParam("past") == "1", Sync: domain.SyncState(c.QueryParam("sync")),
		DealOwnerID: queryID(c, "deal_owner"), DevRelID: queryID(c, "devrel_on"), Page: page(c)}
	if !slices.Contains(domain.SyncStates, f.Sync) && f.Sync != read.AnyDevRel {
		f.Sync = ""
	}
	if days, err := strconv.Atoi(c.QueryParam("days")); err == nil && days > 0 && days <= 366 {
		f.Days = days
	}
	mine := c.QueryParam("mine") == "1"
	if mine {
		f.UserID = signedIn(c).ID
	} else if person := queryID(c, "person"); person != 0 {
		f.UserID = person // one person's meetings, from the coverage review
	}
	rows, more, err := h.svc.Meetings.Agenda(c.Request().Context(), f)
	if err != nil {
		return err
	}
	scope, err := scopeNote(c, h.svc, f.DealOwnerID, f.DevRelID)
	if err != nil {
		return err
	}
	var days []pages.AgendaDay
	for _, m := range rows {
		heading := components.DayHeading(m.StartsAt, loc)
		if len(days) == 0 || days[len(days)-1].Heading != heading {
			days = append(days, pages.AgendaDay{Heading: heading})
		}
		days[len(days)-1].Meetings = append(days[len(days)-1].Meetings, m)
	}
	return h.site.render(c, http.StatusOK, pages.Agenda(h.site.shell(c, "Meetings"), pages.AgendaView{
		CanCreate: domain.Can(signedIn(c), domain.ActionCreateDeal, domain.Organisation{}),
		Now:       h.svc.Now(), Mine: mine, Past: f.Past, Query: c.QueryParams(), Days: days, Pager: pagerOpen(c, f.Page, more),
		Narrowed: agendaNarrowing(f, scope)}))
}

// agendaNarrowing says in words what a link from the coverage review
// narrowed the agenda to.
func agendaNarrowing(f read.AgendaFilter, scope string) string {
	var parts []string
	if scope != "" {
		parts = append(parts, scope)
	}
	if f.Days > 0 && !f.Past {
		parts = append(parts, "starting in the next "+strconv.Itoa(f.Days)+" days")
	}
	switch f.Sync {
	case domain.SyncNotNeeded:
		parts = append(parts, "without DevRel")
	case read.AnyDevRel:
		parts = append(parts, "with DevRel")
	case "":
	default:
		parts = append(parts, "whose sync is "+map[domain.SyncState]string{domain.SyncInSync: "in sync", domain.SyncStale: "stale", domain.SyncUnsynced: "not confirmed by both"}[f.Sync])
	}
	if len(parts) == 0 {
		return ""
	}
	return "Only meetings " + strings.Join(parts, ", ")
}

func (h *meetingHandlers) meeting(c echo.Context) error {
	return h.meetingPage(c, http.StatusOK, meetingForms{early: c.QueryParam("early") == "1"})
}

// meetingForms are the meeting page's forms as typed, when one was
// refused or needs confirming.
type meetingForms struct {
	question       domain.QuestionInput
	questionErrors domain.ValidationErrors
	early          bool // asked to mark held before the start
	outcome        string
	errors         domain.ValidationErrors
}

// meetingPage shows a meeting, with its forms as typed.
func (h *meetingHandlers) meetingPage(c echo.Context, status int, f meetingForms) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	m, err := h.svc.Meetings.MeetingDetail(c.Request().Context(), id)
	if err != nil {
		return err
	}
	u := signedIn(c)
	sync := h.svc.Meetings.SyncDetailOf(u, m)
	devrel := domain.DevRelAttending(m.Attendees)
	// Once held, the owner is asked for the deal's next step, until it has one.
	var next *pages.TasksView
	if m.Meeting.Status == domain.MeetingHeld && !m.Deal.Stage.Closed() && domain.Can(u, domain.ActionManageTasks, m.Team) {
		tasks, err := h.svc.Deals.DealTasks(c.Request().Context(), m.Deal.ID)
		if err != nil {
			return err
		}
		v := h.deals.tasksView(c, m.Deal, m.Team, m.Owner, m.Members, tasks, components.Path("/meetings/", id),
			&taskForm{in: domain.TaskInput{Title: "Follow up on " + m.Meeting.Title}})
		if !v.HasOpen() {
			next = &v
		}
	}
	return h.site.render(c, status, pages.Meeting(h.site.shell(c, m.Meeting.Title), pages.MeetingView{
		NextStep: next, Areas: m.Areas,
		Sync: func() pages.SyncPanel {
			p := syncPanel(sync)
			p.CanEdit = domain.Can(u, domain.ActionEditSync, m.Team)
			p.CanConfirm = domain.Can(u, domain.ActionConfirmSync, domain.SyncSubject{Team: m.Team, DevRelAttendees: devrel})
			p.OffTeam = domain.AttendsOffTeam(u, m.Team, devrel)
			p.Scheduled = m.Meeting.Status == domain.MeetingScheduled
			return p
		}(),
		Meeting: m.Meeting, Deal: m.Deal, Account: m.Account, Contacts: m.Contacts, Attendees: read.PeopleOf(m.Attendees),
		AccountContacts: m.AccountContacts, Questions: m.Questions,
		CanManage:      domain.Can(u, domain.ActionManageMeetings, m.Team),
		CanAddQuestion: domain.Can(u, domain.ActionAddQuestion, m.Team),
		CanAnswer:      domain.Can(u, domain.ActionAnswerQuestion, m.Team),
		Question:       f.question, QuestionErrors: f.questionErrors,
		Now: h.svc.Now(), ConfirmEarly: f.early && m.Meeting.Status == domain.MeetingScheduled && !m.Meeting.Started(h.svc.Now()),
		Outcome: f.outcome, Errors: f.errors,
	}))
}

// meetingForm shows the meeting form for a deal with its choices.
func (h *meetingHandlers) meetingForm(c echo.Context, status int, dealID int64, f pages.MeetingFormView) error {
	choices, err := h.svc.Meetings.MeetingChoices(c.Request().Context(), dealID)
	if err != nil {
		return err
	}
	if err := domain.Authorize(signedIn(c), domain.ActionManageMeetings, choices.Team); err != nil {
		return err
	}
	f.Deal, f.Account, f.Contacts, f.Users = choices.Deal, choices.Account, choices.Contacts, read.PeopleOf(choices.Users)
	f.ZoneName = h.site.location(c).String()
	return h.site.render(c, status, pages.MeetingForm(h.site.shell(c, "Meeting"), f))
}

func (h *meetingHandlers) newMeeting(c echo.Context) error {
	dealID := queryID(c, "deal")
	if dealID == 0 {
		return h.meetingDeal(c)
	}
	choices, err := h.svc.Meetings.MeetingChoices(c.Request().Context(), dealID)
	if err != nil {
		return err
	}
	// The next working hour in the person's zone, for an hour; the owner
	// and the deal's DevRel are in the room by default.
	loc := h.site.location(c)
	start := domain.NextWorkingHour(h.svc.Now(), loc)
	in := domain.MeetingInput{Type: string(domain.MeetingDiscovery), StartsAt: components.FormLocal(start, loc),
		EndsAt: components.FormLocal(start.Add(time.Hour), loc)}
	in.InternalAttendeeIDs = append(in.InternalAttendeeIDs, components.ID(choices.Deal.OwnerID))
	for _, id := range choices.Team.DevRelIDs {
		in.InternalAttendeeIDs = append(in.InternalAttendeeIDs, components.ID(id))
	}
	return h.meetingForm(c, http.StatusOK, dealID, pages.MeetingFormView{Input: in})
}

// meetingDeal asks which deal a new meeting is for: the open deals the
// viewer owns (a manager's: everyone's), searched by name.
func (h *meetingHandlers) meetingDeal(c echo.Context) error {
	u := signedIn(c)
	f := read.DealFilter{Q: strings.TrimSpace(c.QueryParam("q")), Open: "open", Sort: "close", Page: page(c)}
	if !domain.Can(u, domain.ActionSeeAllDeals, domain.Organisation{}) {
		f.OwnerID = u.ID
	}
	list, err := h.svc.Deals.Pipeline(c.Request().Context(), f)
	if err != nil {
		return err
	}
	return h.site.render(c, http.StatusOK, pages.MeetingDeal(h.site.shell(c, "New meeting"),
		pages.MeetingDealView{Q: f.Q, Rows: list.Rows, Pager: pager(c, f.Page, list.Total, "deals")}))
}

func (h *meetingHandlers) editMeeting(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	m, err := h.svc.Meetings.MeetingDetail(c.Request().Context(), id)
	if err != nil {
		return err
	}
	loc := h.site.location(c)
	in := domain.MeetingInput{Title: m.Meeting.Title, Type: string(m.Meeting.Type), StartsAt: components.FormLocal(m.Meeting.StartsAt, loc),
		EndsAt: components.FormLocal(m.Meeting.EndsAt, loc), Location: m.Meeting.Location, Agenda: m.Meeting.Agenda, Goal: m.Meeting.Goal}
	for _, ct := range m.Contacts {
		in.ContactIDs = append(in.ContactIDs, components.ID(ct.ID))
	}
	for _, u := range m.Attendees {
		in.InternalAttendeeIDs = append(in.InternalAttendeeIDs, components.ID(u.ID))
	}
	return h.meetingForm(c, http.StatusOK, m.Deal.ID, pages.MeetingFormView{ID: id, Version: m.Meeting.Version, Input: in})
}

func meetingInput(c echo.Context) domain.MeetingInput {
	return domain.MeetingInput{Title: c.FormValue("title"), Type: c.FormValue("type"), StartsAt: c.FormValue("starts_at"),
		EndsAt: c.FormValue("ends_at"), Location: c.FormValue("location"), Agenda: c.FormValue("agenda"), Goal: c.FormValue("goal"),
		ContactIDs: formValues(c, "contact_ids"), InternalAttendeeIDs: formValues(c, "internal_attendee_ids"),
		AlreadyHeld: slices.Contains([]string{"1", "on", "true"}, c.FormValue("already_held")), OutcomeNotes: c.FormValue("outcome_notes")}
}

func (h *meetingHandlers) createMeeting(c echo.Context) error {
	dealID, err := idParam(c)
	if err != nil {
		return err
	}
	in := meetingInput(c)
	m, err := h.svc.Meetings.ScheduleMeeting(c.Request().Context(), signedIn(c), dealID, in, h.site.location(c))
	return h.site.saved(c, err, func(p formProblem) error {
		return h.meetingForm(c, p.Status, dealID, pages.MeetingFormView{Input: in, Errors: p.Errors})
	}, components.Path("/meetings/", m.ID), "Meeting “"+m.Title+"” scheduled.")
}

func (h *meetingHandlers) updateMeeting(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	in := meetingInput(c)
	version := formVersion(c)
	_, err = h.svc.Meetings.UpdateMeeting(c.Request().Context(), signedIn(c), id, version, in, h.site.location(c))
	return h.site.saved(c, err, func(p formProblem) error {
		current, err := h.svc.Meetings.MeetingDetail(c.Request().Context(), id)
		if err != nil {
			return err
		}
		dealID := current.Deal.ID
		return h.meetingForm(c, p.Status, dealID, pages.MeetingFormView{ID: id, Version: p.version(version), Input: in, Errors: p.Errors, Stale: p.Stale})
	}, components.Path("/meetings/", id), "Meeting saved.")
}

// meetingHeld records the outcome. Before the meeting's start it asks
// first: the page comes back with the notes kept and a confirming button.
func (h *meetingHandlers) meetingHeld(c echo.Context) error {
	outcome := c.FormValue("outcome")
	early := c.FormValue("early") == "1"
	return h.meetingStatus(c, "marked held", func(ctx context.Context, u domain.User, id int64) (domain.Meeting, error) {
		return h.svc.Meetings.MarkMeetingHeld(ctx, u, id, outcome, early)
	}, func(p formProblem) error {
		return h.meetingPage(c, p.Status, meetingForms{early: true, outcome: outcome, errors: p.Errors})
	})
}

func (h *meetingHandlers) meetingReopen(c echo.Context) error {
	return h.meetingStatus(c, "reopened", h.svc.Meetings.ReopenMeeting, nil)
}

func (h *meetingHandlers) meetingCancel(c echo.Context) error {
	return h.meetingStatus(c, "cancelled", h.svc.Meetings.CancelMeeting, nil)
}

// meetingStatus runs a meeting's status change and goes back to where it
// was asked from; reshow, if given, answers invalid input.
func (h *meetingHandlers) meetingStatus(c echo.Context, done string, change func(context.Context, domain.User, int64) (domain.Meeting, error), reshow func(formProblem) error) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	m, err := change(c.Request().Context(), signedIn(c), id)
	var invalid domain.ValidationErrors
	if reshow != nil && errors.As(err, &invalid) {
		return reshow(formProblem{Status: http.StatusUnprocessableEntity, Errors: invalid})
	}
	if err != nil {
		return err
	}
	msg := "“" + m.Title + "” " + done + "."
	if undo, ok := domain.UndoOfMeeting(m, signedIn(c).ID, h.svc.Now()); ok {
		h.site.flashUndo(c, msg, undo)
	} else {
		h.site.flash(c, msg)
	}
	return back(c, components.Path("/meetings/", id))
}
