package domain

import (
	"strings"
	"time"
)

// QuestionCategory groups the customer's technical questions and objections.
type QuestionCategory string

const (
	QuestionSecurity    QuestionCategory = "security"
	QuestionIntegration QuestionCategory = "integration"
	QuestionPerformance QuestionCategory = "performance"
	QuestionCompliance  QuestionCategory = "compliance"
	QuestionPricing     QuestionCategory = "pricing"
	QuestionRoadmap     QuestionCategory = "roadmap"
	QuestionOther       QuestionCategory = "other"
)

// QuestionCategories lists every category.
var QuestionCategories = []QuestionCategory{QuestionSecurity, QuestionIntegration, QuestionPerformance, QuestionCompliance, QuestionPricing, QuestionRoadmap, QuestionOther}

// Valid reports whether c is a known category.
func (c QuestionCategory) Valid() bool { return oneOf(c, QuestionCategories) }

// QuestionStatus is whether a question still needs an answer.
type QuestionStatus string

const (
	QuestionOpen     QuestionStatus = "open"
	QuestionAnswered QuestionStatus = "answered"
)

// Question is a technical question or objection raised by the customer.
type Question struct {
	ID           int64
	DealID       int64
	MeetingID    *int64
	RaisedByID   *int64 // a contact
	Category     QuestionCategory
	Text         string
	Status       QuestionStatus
	Answer       string
	AnsweredByID *int64
	AnsweredAt   *time.Time
	ProductArea  string // a key of the organisation's product areas, or empty
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Label is the category's name for people.
func (c QuestionCategory) Label() string { return label(string(c)) }

// AnswerWith records DevRel's answer to an open question.
func (q *Question) AnswerWith(answer string, by User, now time.Time) error {
	answer = strings.TrimSpace(answer)
	if q.Status != QuestionOpen {
		return Conflictf("This question was already answered.")
	}
	if answer == "" {
		return ValidationErrors{"answer": "Write the answer you gave or will give the customer."}
	}
	errs := ValidationErrors{}
	if errs.Fit("answer", answer, MaxBody); len(errs) > 0 {
		return errs
	}
	q.Status, q.Answer, q.AnsweredByID, q.AnsweredAt = QuestionAnswered, answer, &by.ID, &now
	return nil
}
