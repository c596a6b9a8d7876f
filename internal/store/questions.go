package store

import (
	"context"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
)

// QuestionByID loads one question.
func (s Meetings) QuestionByID(ctx context.Context, id int64) (domain.Question, error) {
	return first[domain.Question](ctx, s.core, id)
}

// QuestionRow loads one question with who asked and who answered.
func (s Meetings) QuestionRow(ctx context.Context, id int64) (read.QuestionRow, error) {
	var qs []read.QuestionRow
	err := s.read(ctx).Table("questions").
		Select("questions.*, contacts.name AS raised_by_name, users.name AS answered_by").
		Joins("LEFT JOIN contacts ON contacts.id = questions.raised_by_id").
		Joins("LEFT JOIN users ON users.id = questions.answered_by_id").
		Where("questions.id = ?", id).Scan(&qs).Error
	if err == nil && len(qs) == 0 {
		err = domain.ErrNotFound
	}
	if err != nil {
		return read.QuestionRow{}, err
	}
	return qs[0], nil
}

// AnswerQuestion writes the answer of a question that is still open;
// false means someone answered it first.
func (s Meetings) AnswerQuestion(ctx context.Context, q *domain.Question) (bool, error) {
	res := s.write(ctx).Table("questions").Where("id = ? AND status = ?", q.ID, domain.QuestionOpen).Updates(map[string]any{
		"status": q.Status, "answer": q.Answer, "answered_by_id": q.AnsweredByID, "answered_at": q.AnsweredAt, "product_area": q.ProductArea,
		"updated_at": q.UpdatedAt})
	return res.RowsAffected == 1, res.Error
}

// OpenQuestionsOf lists the open questions on the deals a DevRel carries.
func (s Meetings) OpenQuestionsOf(ctx context.Context, userID int64) ([]read.QuestionRow, error) {
	var qs []read.QuestionRow
	err := s.read(ctx).Table("questions").
		Select("questions.*, contacts.name AS raised_by_name, '' AS answered_by").
		Joins("LEFT JOIN contacts ON contacts.id = questions.raised_by_id").
		Where("questions.status = 'open' AND questions.deal_id IN (SELECT deal_id FROM assignments WHERE user_id = ? AND active)", userID).
		Order("questions.created_at, questions.id").Scan(&qs).Error
	return qs, err
}
