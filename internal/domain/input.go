package domain

import (
	"net/mail"
	"strconv"
	"strings"
	"time"
)

// DateLayout is how forms write a calendar date.
const DateLayout = "2006-01-02"

// DateTimeLayout is how forms write a local date and time (HTML
// datetime-local).
const DateTimeLayout = "2006-01-02T15:04"

// AccountInput is an account form as typed.
type AccountInput struct {
	Name, Domain, Industry, Notes string
}

// Apply validates the input and writes it onto a.
func (in AccountInput) Apply(a *Account) error {
	errs := ValidationErrors{}
	a.Name = Line(in.Name)
	a.Domain = strings.ToLower(Line(in.Domain))
	a.Industry = Line(in.Industry)
	a.Notes = strings.TrimSpace(in.Notes)
	if a.Name == "" {
		errs.Add("name", "Enter the customer's name.")
	}
	errs.Fit("name", a.Name, MaxLine)
	errs.Fit("domain", a.Domain, MaxLine)
	errs.Fit("industry", a.Industry, MaxLine)
	errs.Fit("notes", a.Notes, MaxBody)
	if a.Domain != "" && (strings.ContainsAny(a.Domain, " /@") && !strings.HasPrefix(a.Domain, "http")) {
		errs.Add("domain", "Enter a domain like example.com or a website address.")
	}
	return errs.Err()
}

// ContactInput is a contact form as typed.
type ContactInput struct {
	Name, Title, Email, Phone string
}

// Apply validates the input and writes it onto c.
func (in ContactInput) Apply(c *Contact) error {
	errs := ValidationErrors{}
	c.Name = Line(in.Name)
	c.Title = Line(in.Title)
	c.Email = Line(in.Email)
	c.Phone = Line(in.Phone)
	if c.Name == "" {
		errs.Add("name", "Enter the contact's name.")
	}
	errs.Fit("name", c.Name, MaxLine)
	errs.Fit("title", c.Title, MaxLine)
	errs.Fit("email", c.Email, MaxLine)
	errs.Fit("phone", c.Phone, 50)
	if c.Email != "" {
		if a, err := mail.ParseAddress(c.Email); err != nil || a.Address != c.Email {
			errs.Add("email", "Enter an e-mail address like name@example.com, or leave it empty.")
		}
	}
	return errs.Err()
}

// DealInput is a deal form as typed. AccountID and OwnerID are checked
// against the database by the service.
type DealInput struct {
	Title, AccountID, OwnerID, Stage, Amount, Currency, ExpectedCloseDate, TechnicalStatus, Description string
	LostReason, LostNote                                                                                string // when it becomes closed lost

	Reasons  Choices // the organisation's lost reasons, given by the service
	Imported bool    // from a file: a deal lost already may come without a reason
}

// Input is the deal as its form shows it, to edit.
func (d Deal) Input() DealInput {
	in := DealInput{Title: d.Title, AccountID: strconv.FormatInt(d.AccountID, 10), OwnerID: strconv.FormatInt(d.OwnerID, 10),
		Stage: string(d.Stage), Currency: d.Currency, TechnicalStatus: string(d.TechnicalStatus), Description: d.Description,
		Amount: DecimalAmount(d.AmountMinor)}
	if d.Stage == StageClosedLost { // a deal lost again is asked again
		in.LostReason, in.LostNote = d.LostReason, d.LostNote
	}
	if d.ExpectedCloseDate != nil {
		in.ExpectedCloseDate = d.ExpectedCloseDate.Format(DateLayout)
	}
	return in
}

// Apply validates the input and writes it onto d, moving the stage (and
// closed_at) with the clock.
func (in DealInput) Apply(d *Deal, now time.Time) error {
	errs := ValidationErrors{}
	d.Title = Line(in.Title)
	if d.Title == "" {
		errs.Add("title", "Enter a title for the deal.")
	}
	errs.Fit("title", d.Title, MaxLine)
	if id, ok := parseID(in.AccountID); ok {
		d.AccountID = id
	} else {
		errs.Add("account_id", "Choose the customer account.")
	}
	if in.OwnerID != "" {
		if id, ok := parseID(in.OwnerID); ok {
			d.OwnerID = id
		} else {
			errs.Add("owner_id", "Choose the salesperson who owns the deal.")
		}
	}
	stage := Stage(strings.TrimSpace(in.Stage))
	if stage == "" {
		stage = StageProspecting
	}
	if !stage.Valid() {
		errs.Add("stage", "Choose a stage from the list.")
	}
	tech := TechnicalStatus(strings.TrimSpace(in.TechnicalStatus))
	if tech == "" {
		tech = TechNotStarted
	}
	if tech.Valid() {
		d.TechnicalStatus = tech
	} else {
		errs.Add("technical_status", "Choose a technical status from the list.")
	}
	if amount, err := ParseAmount(in.Amount); err == nil {
		d.AmountMinor = amount
	} else {
		errs.Add("amount", "Enter a positive amount with at most two decimal places, like 125000.50.")
	}
	d.Currency = strings.ToUpper(strings.TrimSpace(in.Currency))
	if !ValidCurrency(d.Currency) {
		errs.Add("currency", "Choose a currency from the list.")
	}
	d.ExpectedCloseDate = nil
	if s := strings.TrimSpace(in.ExpectedCloseDate); s != "" {
		if t, err := time.Parse(DateLayout, s); err == nil {
			d.ExpectedCloseDate = &t
		} else {
			errs.Add("expected_close_date", "Enter a real date as YYYY-MM-DD.")
		}
	}
	d.Description = strings.TrimSpace(in.Description)
	errs.Fit("description", d.Description, MaxBody)
	if stage.Valid() {
		DealLoss{Reason: in.LostReason, Note: in.LostNote}.applyLoss(errs, d, d.Stage, stage, in.Reasons, in.Imported)
	}
	if err := errs.Err(); err != nil {
		return err
	}
	d.SetStage(stage, now)
	return nil
}

// MeetingInput is a meeting form as typed; times are in the viewer's zone.
type MeetingInput struct {
	Title, Type, StartsAt, EndsAt, Location, Agenda, Goal string
	ContactIDs, InternalAttendeeIDs                       []string
	AlreadyHeld                                           bool
	OutcomeNotes                                          string
}

// MeetingPlan is a validated meeting with its attendees.
type MeetingPlan struct {
	Meeting     Meeting
	ContactIDs  []int64
	AttendeeIDs []int64
}

// Plan validates the input against the clock. A meeting whose start has
// passed can only be logged as already held; one still ahead cannot be.
func (in MeetingInput) Plan(m Meeting, loc *time.Location, now time.Time) (MeetingPlan, error) {
	errs := ValidationErrors{}
	m.Title = Line(in.Title)
	if m.Title == "" {
		errs.Add("title", "Enter a title, like \"Security deep dive\".")
	}
	errs.Fit("title", m.Title, MaxLine)
	m.Type = MeetingType(in.Type)
	if !m.Type.Valid() {
		errs.Add("type", "Choose the kind of meeting.")
	}
	start, err := time.ParseInLocation(DateTimeLayout, strings.TrimSpace(in.StartsAt), loc)
	if err != nil {
		errs.Add("starts_at", "Enter the start as a date and time.")
	}
	end, err2 := time.ParseInLocation(DateTimeLayout, strings.TrimSpace(in.EndsAt), loc)
	if err2 != nil {
		errs.Add("ends_at", "Enter the end as a date and time.")
	}
	if err == nil && err2 == nil && !end.After(start) {
		errs.Add("ends_at", "The meeting must end after it starts.")
	}
	if err == nil {
		switch {
		case in.AlreadyHeld && start.After(now):
			errs.Add("starts_at", "This time is still ahead, so the meeting cannot be logged as held yet.")
		case !in.AlreadyHeld && m.Status != MeetingHeld && start.Before(now) && m.ID == 0:
			errs.Add("starts_at", "This time has passed. Tick \"Already held\" to log a past meeting.")
		}
	}
	m.StartsAt, m.EndsAt = start.UTC(), end.UTC()
	m.Location = Line(in.Location)
	m.Agenda = strings.TrimSpace(in.Agenda)
	m.Goal = strings.TrimSpace(in.Goal)
	errs.Fit("location", m.Location, 500) // a meeting link can be long
	errs.Fit("agenda", m.Agenda, MaxBody)
	errs.Fit("goal", m.Goal, MaxBody)
	errs.Fit("outcome_notes", strings.TrimSpace(in.OutcomeNotes), MaxBody)
	if m.ID == 0 {
		m.Status = MeetingScheduled
		if in.AlreadyHeld {
			m.Status = MeetingHeld
			m.OutcomeNotes = strings.TrimSpace(in.OutcomeNotes)
		}
	}
	plan := MeetingPlan{Meeting: m}
	for _, s := range in.ContactIDs {
		if id, ok := parseID(s); ok {
			plan.ContactIDs = append(plan.ContactIDs, id)
		}
	}
	for _, s := range in.InternalAttendeeIDs {
		if id, ok := parseID(s); ok {
			plan.AttendeeIDs = append(plan.AttendeeIDs, id)
		}
	}
	return plan, errs.Err()
}

// QuestionInput is a customer question as typed at a meeting.
type QuestionInput struct {
	Category, Text, RaisedByID, ProductArea string

	Areas Choices // the organisation's product areas, given by the service
}

// Apply validates the input onto q.
func (in QuestionInput) Apply(q *Question) error {
	errs := ValidationErrors{}
	q.Category = QuestionCategory(in.Category)
	if !q.Category.Valid() {
		errs.Add("category", "Choose a category.")
	}
	q.Text = strings.TrimSpace(in.Text)
	if q.Text == "" {
		errs.Add("text", "Write down the question as the customer asked it.")
	}
	errs.Fit("text", q.Text, MaxBody)
	q.RaisedByID = nil
	if in.RaisedByID != "" {
		if id, ok := parseID(in.RaisedByID); ok {
			q.RaisedByID = &id
		} else {
			errs.Add("raised_by_id", "Choose who asked, or leave it empty.")
		}
	}
	q.ProductArea = in.Areas.Pick(errs, "product_area", in.ProductArea, q.ProductArea)
	q.Status = QuestionOpen
	return errs.Err()
}

// ParseID reads a positive database id from a form or URL.
func ParseID(s string) (int64, bool) { return parseID(s) }

func parseID(s string) (int64, bool) {
	var n int64
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 18 {
		return 0, false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return 0, false
		}
		n = n*10 + int64(r-'0')
	}
	return n, n > 0
}
