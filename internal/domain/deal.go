package domain

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Stage is where a deal stands in the pipeline.
type Stage string

const (
	StageProspecting Stage = "prospecting"
	StageDiscovery   Stage = "discovery"
	StageEvaluation  Stage = "evaluation"
	StageProposal    Stage = "proposal"
	StageNegotiation Stage = "negotiation"
	StageClosedWon   Stage = "closed_won"
	StageClosedLost  Stage = "closed_lost"
)

// Stages lists the pipeline in order.
var Stages = []Stage{StageProspecting, StageDiscovery, StageEvaluation, StageProposal, StageNegotiation, StageClosedWon, StageClosedLost}

// Order is the stage's place in Stages, -1 for an unknown stage: a
// switch, since sorting asks it of many rows.
func (s Stage) Order() int {
	switch s {
	case StageProspecting:
		return 0
	case StageDiscovery:
		return 1
	case StageEvaluation:
		return 2
	case StageProposal:
		return 3
	case StageNegotiation:
		return 4
	case StageClosedWon:
		return 5
	case StageClosedLost:
		return 6
	}
	return -1
}

// Valid reports whether s is a known stage.
func (s Stage) Valid() bool { return oneOf(s, Stages) }

// Closed reports whether the deal is won or lost.
func (s Stage) Closed() bool { return oneOf(s, ClosedStages) }

// ClosedStages end a deal; every other stage is open. Queries that count
// open deals exclude exactly these.
var ClosedStages = []Stage{StageClosedWon, StageClosedLost}

// Label is the stage's name for people.
func (s Stage) Label() string { return label(string(s)) }

// TechnicalStatus is DevRel's read of the technical side of a deal.
type TechnicalStatus string

const (
	TechNotStarted TechnicalStatus = "not_started"
	TechInProgress TechnicalStatus = "in_progress"
	TechWin        TechnicalStatus = "technical_win"
	TechLoss       TechnicalStatus = "technical_loss"
	TechAtRisk     TechnicalStatus = "at_risk"
)

// TechnicalStatuses lists every technical status.
var TechnicalStatuses = []TechnicalStatus{TechNotStarted, TechInProgress, TechWin, TechLoss, TechAtRisk}

// Valid reports whether t is a known technical status.
func (t TechnicalStatus) Valid() bool { return oneOf(t, TechnicalStatuses) }

// Label is the status's name for people.
func (t TechnicalStatus) Label() string { return label(string(t)) }

// Currencies are the ISO 4217 codes a deal may be priced in.
var Currencies = []string{"USD", "EUR", "GBP", "JPY", "CHF", "CAD", "AUD", "SEK", "NOK", "DKK", "INR", "BRL", "SGD", "NZD", "PLN"}

// ValidCurrency reports whether c is an accepted ISO 4217 code.
func ValidCurrency(c string) bool { return oneOf(c, Currencies) }

// Deal is a customer opportunity owned by a salesperson.
type Deal struct {
	ID                int64
	AccountID         int64
	Title             string
	OwnerID           int64
	Stage             Stage
	AmountMinor       int64
	Currency          string
	ExpectedCloseDate *time.Time
	TechnicalStatus   TechnicalStatus
	Description       string
	Version           int64
	CreatedAt         time.Time
	UpdatedAt         time.Time
	ClosedAt          *time.Time
	LastActivityAt    *time.Time
	ArchivedAt        *time.Time // archived deals leave lists, search, desks and coverage
	ExternalID        string     // its id in the system it was imported from
	LostReason        string     // the key of why it was lost, kept when it is reopened
	LostNote          string
}

// SetStage moves the deal to s, stamping or clearing closed_at.
func (d *Deal) SetStage(s Stage, now time.Time) {
	switch {
	case s.Closed() && !d.Stage.Closed():
		d.ClosedAt = &now
	case !s.Closed():
		d.ClosedAt = nil
	}
	d.Stage = s
}

// Amount formats the deal's value in major units with its currency.
func (d *Deal) Amount() string { return FormatAmount(d.AmountMinor, d.Currency) }

// ParseAmount reads a non-negative decimal in major units with at most two
// places ("125000.50") into minor units.
func ParseAmount(s string) (int64, error) {
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", "")
	if s == "" {
		return 0, nil
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	if whole == "" || strings.HasPrefix(whole, "-") || strings.HasPrefix(whole, "+") || (hasFrac && (frac == "" || len(frac) > 2)) {
		return 0, fmt.Errorf("enter a positive amount with at most two decimal places")
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || w > 1e15 {
		return 0, fmt.Errorf("enter a positive amount with at most two decimal places")
	}
	var f int64
	if hasFrac {
		if len(frac) == 1 {
			frac += "0"
		}
		f, err = strconv.ParseInt(frac, 10, 64)
		if err != nil || f < 0 {
			return 0, fmt.Errorf("enter a positive amount with at most two decimal places")
		}
	}
	return w*100 + f, nil
}

// DecimalAmount writes minor units as a form value: "125000.50", or
// "125000" for a whole amount.
func DecimalAmount(minor int64) string {
	if minor%100 == 0 {
		return strconv.FormatInt(minor/100, 10)
	}
	return fmt.Sprintf("%d.%02d", minor/100, minor%100)
}

// FormatAmount writes minor units as "125,000.50 EUR".
func FormatAmount(minor int64, currency string) string {
	whole, frac := minor/100, minor%100
	digits := strconv.FormatInt(whole, 10)
	var b strings.Builder
	for i, r := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if frac != 0 {
		fmt.Fprintf(&b, ".%02d", frac)
	}
	return b.String() + " " + currency
}

// labels keeps the labels of the codes seen, at most maxLabels of them
// (codes are a few dozen): a board draws seven stage labels on each of its
// 150 cards, and working them out again each time was 5 % of its time.
var (
	labels   sync.Map // code → label
	labelled atomic.Int32
)

const maxLabels = 512

// label turns a snake_case code into "Snake case".
func label(code string) string {
	if l, ok := labels.Load(code); ok {
		return l.(string)
	}
	l := spell(code)
	if labelled.Load() < maxLabels {
		labelled.Add(1)
		labels.Store(code, l)
	}
	return l
}

// spell is label worked out.
func spell(code string) string {
	words := strings.Split(code, "_")
	for i, w := range words {
		if a, ok := acronyms[w]; ok {
			words[i] = a
		}
	}
	s := strings.Join(words, " ")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// InSentence is a label as it reads mid-sentence: "Deep dive" becomes
// "deep dive"; "POC" and "DevRel" keep their capitals.
func InSentence(l string) string {
	first, _, _ := strings.Cut(l, " ")
	for _, a := range acronyms {
		if first == a {
			return l
		}
	}
	if l == "" {
		return l
	}
	return strings.ToLower(l[:1]) + l[1:]
}

// Article puts "a" or "an" before a phrase, by its first letter.
func Article(phrase string) string {
	if phrase != "" && strings.ContainsRune("aeiouAEIOU", rune(phrase[0])) {
		return "an " + phrase
	}
	return "a " + phrase
}

// acronyms are the words of codes that people write in capitals.
var acronyms = map[string]string{"poc": "POC", "devrel": "DevRel"}

// codedFields are the snapshot fields whose values are codes, such as a
// stage or a status: timelines show their labels.
var codedFields = map[string]bool{"stage": true, "technical_status": true, "kind": true, "type": true, "status": true,
	"feasibility": true, "category": true, "role": true}

// ValueLabel is a recorded field value as people read it: "In progress",
// not in_progress.
func ValueLabel(field, value string) string {
	if codedFields[field] {
		return label(value)
	}
	return value
}

// Snapshot is the deal as the timeline shows it; names stand for ids
// and the lost reason's label for its key.
func (d *Deal) Snapshot(accountName, ownerName string, reasons Choices) Snapshot {
	lost := ""
	if d.LostReason != "" {
		lost = reasons.Label(d.LostReason)
	}
	return Snapshot{
		{Field: "title", New: d.Title},
		{Field: "account", New: accountName},
		{Field: "owner", New: ownerName},
		{Field: "stage", New: string(d.Stage)},
		{Field: "amount", New: d.Amount()},
		{Field: "expected_close_date", New: formatDate(d.ExpectedCloseDate)},
		{Field: "technical_status", New: string(d.TechnicalStatus)},
		{Field: "description", New: d.Description},
		{Field: "lost_reason", New: lost},
		{Field: "lost_note", New: d.LostNote},
	}
}

// DealNote is an internal note on a deal by its team; customers never
// see it.
type DealNote struct {
	ID        int64
	DealID    int64
	AuthorID  int64
	Body      string
	CreatedAt time.Time
}

func formatDate(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format(DateLayout)
}
