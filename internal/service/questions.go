package service

import (
	"context"
	"errors"
	"fmt"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
	"github.com/presale/presale/internal/store"
)

func questionSnapshot(q domain.Question, raisedBy string, areas domain.Choices) domain.Snapshot {
	return domain.Snapshot{{Field: "category", New: string(q.Category)}, {Field: "question", New: q.Text},
		{Field: "raised_by", New: raisedBy}, {Field: "product_area", New: areaLabel(areas, q.ProductArea)},
		{Field: "status", New: string(q.Status)}, {Field: "answer", New: q.Answer}}
}

// withArea sets *key to the product area typed, when one is (nil keeps
// it), adding what is wrong with it to err, the rest of the change's
// outcome.
func withArea(err error, areas domain.Choices, typed *string, key *string) error {
	if typed == nil {
		return err
	}
	var errs domain.ValidationErrors
	if !errors.As(err, &errs) {
		if err != nil {
			return err
		}
		errs = domain.ValidationErrors{}
	}
	*key = areas.Pick(errs, "product_area", *typed, *key)
	return errs.Err()
}

// areaLabel is how a product area's key reads; empty for none.
func areaLabel(areas domain.Choices, key string) string {
	if key == "" {
		return ""
	}
	return areas.Label(key)
}

// RaiseQuestion records a customer's technical question at a meeting.
func (s *Meetings) RaiseQuestion(ctx context.Context, actor domain.User, meetingID int64, in domain.QuestionInput) (domain.Question, error) {
	var q domain.Question
	err := s.write(ctx, &actor, func(tx *store.Store) ([]Change, error) {
		m, err := tx.Meetings().MeetingByID(ctx, meetingID)
		if err != nil {
			return nil, err
		}
		team, err := dealAllows(ctx, tx, actor, m.DealID, domain.ActionAddQuestion)
		if err != nil {
			return nil, err
		}
		q = domain.Question{DealID: m.DealID, MeetingID: &m.ID}
		if in.Areas, err = tx.Organisation().Choices(ctx, domain.ListProductAreas); err != nil {
			return nil, err
		}
		if err := in.Apply(&q); err != nil {
			return nil, err
		}
		raisedBy := ""
		if q.RaisedByID != nil {
			deal, err := tx.Deals().DealByID(ctx, m.DealID)
			if err != nil {
				return nil, err
			}
			c, err := tx.Accounts().ContactByID(ctx, *q.RaisedByID)
			if err != nil || c.AccountID != deal.AccountID {
				return nil, domain.ValidationErrors{"raised_by_id": "Choose who asked from the customer's contacts."}
			}
			raisedBy = c.Name
		}
		now := s.now().UTC()
		q.CreatedAt, q.UpdatedAt = now, now
		if err := tx.Meetings().CreateQuestion(ctx, &q); err != nil {
			return nil, err
		}
		c := created(domain.EntityQuestion, q.ID, &q.DealID, questionSnapshot(q, raisedBy, in.Areas))
		c.Event.Action = "raised"
		c.Notify = team.DevRelIDs
		c.Text = fmt.Sprintf("New %s question on %q: %s", domain.InSentence(q.Category.Label()), m.Title, q.Text)
		c.Link = fmt.Sprintf("/meetings/%d", m.ID)
		return []Change{c}, nil
	})
	return q, err
}

// AnswerQuestion records DevRel's answer to a customer question and,
// when area is given, the product area it is about (empty for none).
func (s *Meetings) AnswerQuestion(ctx context.Context, actor domain.User, id int64, answer string, area *string) (domain.Question, error) {
	var q domain.Question
	err := s.write(ctx, &actor, func(tx *store.Store) ([]Change, error) {
		var err error
		if q, err = tx.Meetings().QuestionByID(ctx, id); err != nil {
			return nil, err
		}
		team, err := dealAllows(ctx, tx, actor, q.DealID, domain.ActionAnswerQuestion)
		if err != nil {
			return nil, err
		}
		areas, err := tx.Organisation().Choices(ctx, domain.ListProductAreas)
		if err != nil {
			return nil, err
		}
		before := questionSnapshot(q, "", areas)
		if err := withArea(q.AnswerWith(answer, actor, s.now().UTC()), areas, area, &q.ProductArea); err != nil {
			return nil, err
		}
		q.UpdatedAt = s.now().UTC()
		if ok, err := tx.Meetings().AnswerQuestion(ctx, &q); err != nil || !ok {
			if err == nil {
				err = domain.Conflictf("Someone answered this question a moment ago. Reload it to read their answer.")
			}
			return nil, err
		}
		c := changed(domain.EntityQuestion, q.ID, &q.DealID, before, questionSnapshot(q, "", areas))
		c[0].Event.Action = "answered"
		c[0].Notify, c[0].Text, c[0].Link = []int64{team.OwnerID}, fmt.Sprintf("%s answered: %q", actor.Name, q.Text), fmt.Sprintf("/questions/%d", q.ID)
		return c, nil
	})
	return q, err
}

// QuestionDetail is a question's page.
type QuestionDetail struct {
	Question read.QuestionRow
	Deal     domain.Deal
	Team     domain.DealTeam
	Meeting  *domain.Meeting
}

// QuestionDetail loads one question with its deal.
func (s *Meetings) QuestionDetail(ctx context.Context, id int64) (QuestionDetail, error) {
	var d QuestionDetail
	var err error
	if d.Question, err = s.store.Meetings().QuestionRow(ctx, id); err != nil {
		return d, err
	}
	q := d.Question
	if d.Deal, err = s.store.Deals().DealByID(ctx, q.DealID); err != nil {
		return d, err
	}
	if d.Team, _, err = s.store.Deals().DealTeam(ctx, q.DealID); err != nil {
		return d, err
	}
	if q.MeetingID != nil {
		if m, err := s.store.Meetings().MeetingByID(ctx, *q.MeetingID); err == nil {
			d.Meeting = &m
		}
	}
	return d, nil
}

// OpenQuestionsOf lists open questions on the deals a DevRel carries.
func (s *Meetings) OpenQuestionsOf(ctx context.Context, u domain.User) ([]read.QuestionRow, error) {
	return s.store.Meetings().OpenQuestionsOf(ctx, u.ID)
}
