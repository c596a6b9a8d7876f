package web

import (
	"reflect"
	"slices"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
)

// What the API reads and writes. Fields carry the domain's names in
// snake_case, as the forms do; amounts are decimals in major units
// ("125000.50"), dates YYYY-MM-DD, times RFC 3339 in UTC.

// choice is a string field limited to one of the domain's values; the
// description's enum comes from the domain's own list, so it cannot drift.
type choice[T ~string] string

// Schema describes the choice as an enum of its domain values.
func (choice[T]) Schema(huma.Registry) *huma.Schema {
	return &huma.Schema{Type: huma.TypeString, Enum: choices[reflect.TypeFor[T]()]}
}

var choices = map[reflect.Type][]any{
	reflect.TypeFor[domain.Stage]():            values(domain.Stages),
	reflect.TypeFor[domain.TechnicalStatus]():  values(domain.TechnicalStatuses),
	reflect.TypeFor[domain.MeetingType]():      values(domain.MeetingTypes),
	reflect.TypeFor[domain.MeetingStatus]():    values([]domain.MeetingStatus{domain.MeetingScheduled, domain.MeetingHeld, domain.MeetingCancelled}),
	reflect.TypeFor[domain.SyncState]():        values(domain.SyncStates),
	reflect.TypeFor[domain.OfferStatus]():      values(domain.OfferStatuses),
	reflect.TypeFor[domain.OfferKind]():        values(domain.OfferKinds),
	reflect.TypeFor[domain.SupportKind]():      values(domain.SupportKinds),
	reflect.TypeFor[domain.SupportStatus]():    values([]domain.SupportStatus{domain.SupportOpen, domain.SupportClaimed, domain.SupportFulfilled, domain.SupportCancelled}),
	reflect.TypeFor[domain.QuestionCategory](): values(domain.QuestionCategories),
	reflect.TypeFor[domain.QuestionStatus]():   values([]domain.QuestionStatus{domain.QuestionOpen, domain.QuestionAnswered}),
	reflect.TypeFor[domain.PromiseKind]():      values(domain.PromiseKinds),
	reflect.TypeFor[domain.Feasibility]():      values(domain.Feasibilities),
	reflect.TypeFor[domain.PromiseStatus]():    values([]domain.PromiseStatus{domain.PromiseOpen, domain.PromiseKept, domain.PromiseDropped}),
	reflect.TypeFor[domain.Role]():             values(domain.Roles),
	reflect.TypeFor[currency]():                values(domain.Currencies),
}

// currency is an ISO 4217 code a deal may be priced in.
type currency string

func values[T ~string](vs []T) []any {
	out := make([]any, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

// Strings the API reads in a shape: each schema says what the domain
// accepts, so a request the description allows is not refused for its
// shape (and Huma refuses one it does not allow, naming the field).

// day is a calendar date, or empty for none.
type day string

func (day) Schema(huma.Registry) *huma.Schema {
	return orEmpty(&huma.Schema{Type: huma.TypeString, Format: "date"})
}

// emailAddress is an address alone (no name, no comment), or empty.
type emailAddress string

func (emailAddress) Schema(huma.Registry) *huma.Schema {
	return orEmpty(&huma.Schema{Type: huma.TypeString, Format: "email", Pattern: `^[^\s<>()]+@[^\s<>()]+$`})
}

// webDomain is a customer's domain (example.com) or website address, or
// empty.
type webDomain string

func (webDomain) Schema(huma.Registry) *huma.Schema {
	return orEmpty(&huma.Schema{Type: huma.TypeString, Format: "hostname"},
		&huma.Schema{Type: huma.TypeString, Format: "uri", Pattern: `^https?://\S+$`})
}

// meetingTime is a meeting's start or end: RFC 3339, or as the form types
// it, in the caller's time zone.
type meetingTime string

func (meetingTime) Schema(huma.Registry) *huma.Schema {
	return &huma.Schema{Type: huma.TypeString, AnyOf: []*huma.Schema{{Type: huma.TypeString, Format: "date-time"},
		{Type: huma.TypeString, Pattern: `^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}$`, Description: "YYYY-MM-DDTHH:MM"}}}
}

// orEmpty is a string in one of the shapes, or the empty string.
func orEmpty(shapes ...*huma.Schema) *huma.Schema {
	none := 0
	return &huma.Schema{Type: huma.TypeString, AnyOf: append(shapes, &huma.Schema{Type: huma.TypeString, MaxLength: &none})}
}

// requiring marks fields of an object schema required: the fields a
// create needs that an update of the same shape does not.
func requiring(s *huma.Schema, fields ...string) *huma.Schema {
	for _, f := range fields {
		if !slices.Contains(s.Required, f) {
			s.Required = append(s.Required, f)
		}
	}
	return s
}

// User is a person as the API shows them.
type apiUserOut struct {
	ID    int64               `json:"id"`
	Name  string              `json:"name"`
	Email string              `json:"email" format:"email"`
	Role  choice[domain.Role] `json:"role"`
	Admin bool                `json:"admin"`
}

type apiAccount struct {
	ID         int64      `json:"id"`
	Name       string     `json:"name"`
	Domain     string     `json:"domain"`
	Industry   string     `json:"industry"`
	Notes      string     `json:"notes"`
	Version    int64      `json:"version"`
	CreatedAt  time.Time  `json:"created_at"`
	UpdatedAt  time.Time  `json:"updated_at"`
	ArchivedAt *time.Time `json:"archived_at,omitempty"`
}

func accountOut(a domain.Account) apiAccount {
	return apiAccount{ID: a.ID, Name: a.Name, Domain: a.Domain, Industry: a.Industry, Notes: a.Notes, Version: a.Version,
		CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt, ArchivedAt: a.ArchivedAt}
}

type apiAccountIn struct {
	Name     *string    `json:"name,omitempty" minLength:"1" maxLength:"200" pattern:"\\S" doc:"Required on create."`
	Domain   *webDomain `json:"domain,omitempty" maxLength:"200" doc:"The customer's web domain, like example.com, or a website address."`
	Industry *string    `json:"industry,omitempty" maxLength:"200"`
	Notes    *string    `json:"notes,omitempty" maxLength:"10000"`
	Version  *int64     `json:"version,omitempty" minimum:"0" doc:"On update, the version you read (or send If-Match)."`
}

// over writes the given fields over in.
func (b apiAccountIn) over(in domain.AccountInput) domain.AccountInput {
	str(&in.Name, b.Name)
	str(&in.Domain, (*string)(b.Domain))
	str(&in.Industry, b.Industry)
	str(&in.Notes, b.Notes)
	return in
}

// accountNew is an account as created: its name is required.
type accountNew apiAccountIn

func (accountNew) TransformSchema(_ huma.Registry, s *huma.Schema) *huma.Schema {
	return requiring(s, "name")
}

type apiContact struct {
	ID         int64      `json:"id"`
	AccountID  int64      `json:"account_id"`
	Name       string     `json:"name"`
	Title      string     `json:"title"`
	Email      string     `json:"email"`
	Phone      string     `json:"phone"`
	Version    int64      `json:"version"`
	CreatedAt  time.Time  `json:"created_at"`
	UpdatedAt  time.Time  `json:"updated_at"`
	ArchivedAt *time.Time `json:"archived_at,omitempty"`
}

func contactOut(c domain.Contact) apiContact {
	return apiContact{ID: c.ID, AccountID: c.AccountID, Name: c.Name, Title: c.Title, Email: c.Email, Phone: c.Phone,
		Version: c.Version, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt, ArchivedAt: c.ArchivedAt}
}

type apiContactIn struct {
	AccountID *int64        `json:"account_id,omitempty" minimum:"1" doc:"Required on create; a contact stays with its account."`
	Name      *string       `json:"name,omitempty" minLength:"1" maxLength:"200" pattern:"\\S" doc:"Required on create."`
	Title     *string       `json:"title,omitempty" maxLength:"200"`
	Email     *emailAddress `json:"email,omitempty" maxLength:"200"`
	Phone     *string       `json:"phone,omitempty" maxLength:"50"`
	Version   *int64        `json:"version,omitempty" minimum:"0" doc:"On update, the version you read (or send If-Match)."`
}

func (b apiContactIn) over(in domain.ContactInput) domain.ContactInput {
	str(&in.Name, b.Name)
	str(&in.Title, b.Title)
	str(&in.Email, (*string)(b.Email))
	str(&in.Phone, b.Phone)
	return in
}

// contactNew is a contact as created: its account and name are required.
type contactNew apiContactIn

func (contactNew) TransformSchema(_ huma.Registry, s *huma.Schema) *huma.Schema {
	return requiring(s, "account_id", "name")
}

type apiDeal struct {
	ID                int64                          `json:"id"`
	Title             string                         `json:"title"`
	AccountID         int64                          `json:"account_id"`
	AccountName       string                         `json:"account_name,omitempty"`
	OwnerID           int64                          `json:"owner_id"`
	OwnerName         string                         `json:"owner_name,omitempty"`
	Stage             choice[domain.Stage]           `json:"stage"`
	Amount            string                         `json:"amount" doc:"Decimal in major units of currency."`
	Currency          string                         `json:"currency" doc:"ISO 4217."`
	ExpectedCloseDate *string                        `json:"expected_close_date,omitempty" format:"date"`
	TechnicalStatus   choice[domain.TechnicalStatus] `json:"technical_status"`
	Description       string                         `json:"description"`
	DevRelIDs         []int64                        `json:"devrel_ids,omitempty" doc:"The DevRel actively assigned (on one deal)."`
	Version           int64                          `json:"version"`
	CreatedAt         time.Time                      `json:"created_at"`
	UpdatedAt         time.Time                      `json:"updated_at"`
	ClosedAt          *time.Time                     `json:"closed_at,omitempty"`
	ArchivedAt        *time.Time                     `json:"archived_at,omitempty"`
	LostReason        string                         `json:"lost_reason,omitempty" doc:"The key of why it was lost (kept when reopened); the organisation's lost reasons name it."`
	LostNote          string                         `json:"lost_note,omitempty"`
}

func dealOut(d domain.Deal) apiDeal {
	return apiDeal{ID: d.ID, Title: d.Title, AccountID: d.AccountID, OwnerID: d.OwnerID, Stage: choice[domain.Stage](d.Stage),
		Amount: domain.DecimalAmount(d.AmountMinor), Currency: d.Currency, ExpectedCloseDate: date(d.ExpectedCloseDate),
		TechnicalStatus: choice[domain.TechnicalStatus](d.TechnicalStatus), Description: d.Description, Version: d.Version,
		CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt, ClosedAt: d.ClosedAt, ArchivedAt: d.ArchivedAt, LostReason: d.LostReason, LostNote: d.LostNote}
}

func dealRowOut(r read.DealRow) apiDeal {
	d := dealOut(r.Deal)
	d.AccountName, d.OwnerName = r.AccountName, r.OwnerName
	return d
}

type apiDealIn struct {
	Title             *string                         `json:"title,omitempty" minLength:"1" maxLength:"200" pattern:"\\S" doc:"Required on create."`
	AccountID         *int64                          `json:"account_id,omitempty" minimum:"1" doc:"Required on create."`
	OwnerID           *int64                          `json:"owner_id,omitempty" minimum:"1" doc:"Another owner than yourself: managers only."`
	Stage             *choice[domain.Stage]           `json:"stage,omitempty" doc:"On create, prospecting unless given."`
	Amount            *string                         `json:"amount,omitempty" pattern:"^([0-9][0-9,]*(\\.[0-9]{1,2})?)?$" doc:"Decimal in major units, such as 125000.50; empty for none."`
	Currency          *choice[currency]               `json:"currency,omitempty" doc:"ISO 4217; on create, USD unless given."`
	ExpectedCloseDate *day                            `json:"expected_close_date,omitempty" doc:"YYYY-MM-DD, or empty for none."`
	TechnicalStatus   *choice[domain.TechnicalStatus] `json:"technical_status,omitempty" doc:"On create, not_started unless given."`
	Description       *string                         `json:"description,omitempty" maxLength:"10000"`
	Version           *int64                          `json:"version,omitempty" minimum:"0" doc:"On update, the version you read (or send If-Match)."`
	LostReason        *string                         `json:"lost_reason,omitempty" maxLength:"60" doc:"Why it was lost: the key of one of the organisation's lost reasons. Required when the stage becomes closed_lost."`
	LostNote          *string                         `json:"lost_note,omitempty" maxLength:"1000" doc:"A note on why it was lost."`
}

// dealNew is a deal as created: its title and account are required.
type dealNew apiDealIn

func (dealNew) TransformSchema(_ huma.Registry, s *huma.Schema) *huma.Schema {
	return requiring(s, "title", "account_id")
}

func (b apiDealIn) over(in domain.DealInput) domain.DealInput {
	str(&in.Title, b.Title)
	if b.AccountID != nil {
		in.AccountID = idString(*b.AccountID)
	}
	if b.OwnerID != nil {
		in.OwnerID = idString(*b.OwnerID)
	}
	str(&in.Stage, (*string)(b.Stage))
	str(&in.Amount, b.Amount)
	str(&in.Currency, (*string)(b.Currency))
	str(&in.ExpectedCloseDate, (*string)(b.ExpectedCloseDate))
	str(&in.TechnicalStatus, (*string)(b.TechnicalStatus))
	str(&in.Description, b.Description)
	str(&in.LostReason, b.LostReason)
	str(&in.LostNote, b.LostNote)
	return in
}

type apiMeeting struct {
	ID                  int64                        `json:"id"`
	DealID              int64                        `json:"deal_id"`
	Title               string                       `json:"title"`
	Type                choice[domain.MeetingType]   `json:"type"`
	StartsAt            time.Time                    `json:"starts_at"`
	EndsAt              time.Time                    `json:"ends_at"`
	Location            string                       `json:"location"`
	Agenda              string                       `json:"agenda"`
	Goal                string                       `json:"goal"`
	Status              choice[domain.MeetingStatus] `json:"status"`
	OutcomeNotes        string                       `json:"outcome_notes"`
	SyncState           choice[domain.SyncState]     `json:"sync_state,omitempty"`
	ContactIDs          []int64                      `json:"contact_ids,omitempty"`
	InternalAttendeeIDs []int64                      `json:"internal_attendee_ids,omitempty"`
	Version             int64                        `json:"version"`
	CreatedAt           time.Time                    `json:"created_at"`
	UpdatedAt           time.Time                    `json:"updated_at"`
}

func meetingOut(m domain.Meeting) apiMeeting {
	return apiMeeting{ID: m.ID, DealID: m.DealID, Title: m.Title, Type: choice[domain.MeetingType](m.Type), StartsAt: m.StartsAt.UTC(),
		EndsAt: m.EndsAt.UTC(), Location: m.Location, Agenda: m.Agenda, Goal: m.Goal, Status: choice[domain.MeetingStatus](m.Status),
		OutcomeNotes: m.OutcomeNotes, Version: m.Version, CreatedAt: m.CreatedAt, UpdatedAt: m.UpdatedAt}
}

func meetingRowOut(r read.MeetingRow) apiMeeting {
	m := meetingOut(r.Meeting)
	m.SyncState = choice[domain.SyncState](r.SyncState())
	return m
}

type apiMeetingIn struct {
	Title               string                     `json:"title" minLength:"1" maxLength:"200" pattern:"\\S"`
	Type                choice[domain.MeetingType] `json:"type"`
	StartsAt            meetingTime                `json:"starts_at" doc:"YYYY-MM-DDTHH:MM in your time zone (settings), or RFC 3339; not in the past."`
	EndsAt              meetingTime                `json:"ends_at" doc:"YYYY-MM-DDTHH:MM in your time zone (settings), or RFC 3339; after the start."`
	Location            string                     `json:"location,omitempty" maxLength:"500"`
	Agenda              string                     `json:"agenda,omitempty" maxLength:"10000"`
	Goal                string                     `json:"goal,omitempty" maxLength:"10000"`
	ContactIDs          []int64                    `json:"contact_ids,omitempty"`
	InternalAttendeeIDs []int64                    `json:"internal_attendee_ids,omitempty" doc:"The deal's assigned DevRel are added unless you list attendees."`
}

type apiSync struct {
	MeetingID         int64                    `json:"meeting_id"`
	State             choice[domain.SyncState] `json:"state"`
	DevRelAttending   bool                     `json:"devrel_attending"`
	NeedsAttention    bool                     `json:"needs_attention"`
	Notes             string                   `json:"notes" doc:"Empty outside the deal team."`
	MayRaise          string                   `json:"may_raise" doc:"Empty outside the deal team."`
	Avoid             string                   `json:"avoid" doc:"Empty outside the deal team."`
	SalesConfirmedAt  *time.Time               `json:"sales_confirmed_at,omitempty"`
	DevRelConfirmedAt *time.Time               `json:"devrel_confirmed_at,omitempty"`
	Version           int64                    `json:"version" doc:"0 until the sync is first recorded."`
}

type apiOffer struct {
	ID              int64                      `json:"id"`
	DealID          int64                      `json:"deal_id"`
	ProposedByID    int64                      `json:"proposed_by_id"`
	Title           string                     `json:"title"`
	Detail          string                     `json:"detail"`
	Kind            choice[domain.OfferKind]   `json:"kind"`
	EstimatedEffort string                     `json:"estimated_effort"`
	Status          choice[domain.OfferStatus] `json:"status"`
	HoldTrigger     string                     `json:"hold_trigger,omitempty" doc:"Only for the deal team and managers."`
	DeclineReason   string                     `json:"decline_reason,omitempty"`
	SharedMeetingID *int64                     `json:"shared_meeting_id,omitempty"`
	DecidedAt       *time.Time                 `json:"decided_at,omitempty"`
	Version         int64                      `json:"version"`
	CreatedAt       time.Time                  `json:"created_at"`
	UpdatedAt       time.Time                  `json:"updated_at"`
}

// offerOut shows an offer; the trigger only to who may see the reserve.
func offerOut(o domain.Offer, insider bool) apiOffer {
	out := apiOffer{ID: o.ID, DealID: o.DealID, ProposedByID: o.ProposedByID, Title: o.Title, Detail: o.Detail,
		Kind: choice[domain.OfferKind](o.Kind), EstimatedEffort: o.EstimatedEffort, Status: choice[domain.OfferStatus](o.Status),
		DeclineReason: o.DeclineReason, SharedMeetingID: o.SharedMeetingID, DecidedAt: o.DecidedAt, Version: o.Version,
		CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt}
	if insider {
		out.HoldTrigger = o.HoldTrigger
	}
	return out
}

type apiSupport struct {
	ID            int64                        `json:"id"`
	DealID        int64                        `json:"deal_id"`
	RequestedByID int64                        `json:"requested_by_id"`
	Kind          choice[domain.SupportKind]   `json:"kind"`
	NeededBy      *string                      `json:"needed_by,omitempty" format:"date"`
	Details       string                       `json:"details"`
	Status        choice[domain.SupportStatus] `json:"status"`
	ClaimedByID   *int64                       `json:"claimed_by_id,omitempty"`
	ClaimedAt     *time.Time                   `json:"claimed_at,omitempty"`
	Version       int64                        `json:"version"`
	CreatedAt     time.Time                    `json:"created_at"`
}

func supportOut(r domain.SupportRequest) apiSupport {
	return apiSupport{ID: r.ID, DealID: r.DealID, RequestedByID: r.RequestedByID, Kind: choice[domain.SupportKind](r.Kind),
		NeededBy: date(r.NeededBy), Details: r.Details, Status: choice[domain.SupportStatus](r.Status), ClaimedByID: r.ClaimedByID,
		ClaimedAt: r.ClaimedAt, Version: r.Version, CreatedAt: r.CreatedAt}
}

type apiQuestion struct {
	ID           int64                           `json:"id"`
	DealID       int64                           `json:"deal_id"`
	MeetingID    *int64                          `json:"meeting_id,omitempty"`
	RaisedByID   *int64                          `json:"raised_by_id,omitempty" doc:"A contact."`
	Category     choice[domain.QuestionCategory] `json:"category"`
	Text         string                          `json:"text"`
	Status       choice[domain.QuestionStatus]   `json:"status"`
	Answer       string                          `json:"answer"`
	AnsweredByID *int64                          `json:"answered_by_id,omitempty"`
	AnsweredAt   *time.Time                      `json:"answered_at,omitempty"`
	ProductArea  string                          `json:"product_area,omitempty" doc:"The key of one of the organisation's product areas, if it has one."`
	CreatedAt    time.Time                       `json:"created_at"`
}

func questionOut(q domain.Question) apiQuestion {
	return apiQuestion{ID: q.ID, DealID: q.DealID, MeetingID: q.MeetingID, RaisedByID: q.RaisedByID,
		Category: choice[domain.QuestionCategory](q.Category), Text: q.Text, Status: choice[domain.QuestionStatus](q.Status),
		Answer: q.Answer, AnsweredByID: q.AnsweredByID, AnsweredAt: q.AnsweredAt, ProductArea: q.ProductArea, CreatedAt: q.CreatedAt}
}

type apiPromise struct {
	ID              int64                        `json:"id"`
	DealID          int64                        `json:"deal_id"`
	MeetingID       *int64                       `json:"meeting_id,omitempty"`
	OfferID         *int64                       `json:"offer_id,omitempty"`
	MadeByID        int64                        `json:"made_by_id"`
	OwnerID         int64                        `json:"owner_id"`
	Text            string                       `json:"text"`
	Kind            choice[domain.PromiseKind]   `json:"kind"`
	Feasibility     choice[domain.Feasibility]   `json:"feasibility"`
	FeasibilityNote string                       `json:"feasibility_note"`
	ReviewedAt      *time.Time                   `json:"reviewed_at,omitempty"`
	DueDate         *string                      `json:"due_date,omitempty" format:"date"`
	Status          choice[domain.PromiseStatus] `json:"status"`
	ProductArea     string                       `json:"product_area,omitempty" doc:"The key of one of the organisation's product areas, if it has one."`
	Version         int64                        `json:"version"`
	CreatedAt       time.Time                    `json:"created_at"`
}

func promiseOut(p domain.Promise) apiPromise {
	return apiPromise{ID: p.ID, DealID: p.DealID, MeetingID: p.MeetingID, OfferID: p.OfferID, MadeByID: p.MadeByID, OwnerID: p.OwnerID,
		Text: p.Text, Kind: choice[domain.PromiseKind](p.Kind), Feasibility: choice[domain.Feasibility](p.Feasibility),
		FeasibilityNote: p.FeasibilityNote, ReviewedAt: p.ReviewedAt, DueDate: date(p.DueDate),
		Status: choice[domain.PromiseStatus](p.Status), ProductArea: p.ProductArea, Version: p.Version, CreatedAt: p.CreatedAt}
}

type apiNotification struct {
	ID        int64      `json:"id"`
	Message   string     `json:"message"`
	Link      string     `json:"link" doc:"The page it is about, relative to presale's address."`
	ReadAt    *time.Time `json:"read_at,omitempty"`
	CreatedAt time.Time  `json:"created_at"`
}

func notificationOut(n domain.Notification) apiNotification {
	return apiNotification{ID: n.ID, Message: n.Message, Link: n.Link, ReadAt: n.ReadAt, CreatedAt: n.CreatedAt}
}
