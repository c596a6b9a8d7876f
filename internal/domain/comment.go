package domain

import (
	"strings"
	"time"
	"unicode"
)

// Comment is one message in the conversation on an offer (sales and
// DevRel talking an idea through before it is decided) or on a deal note.
// It is seen by exactly who may see what it is on.
type Comment struct {
	ID        int64
	DealID    int64
	OfferID   *int64
	NoteID    *int64
	AuthorID  int64
	Body      string
	CreatedAt time.Time
	EditedAt  *time.Time // when its author last changed its words
	Version   int64      `gorm:"default:1"`
}

// ParseCommentBody checks a comment as typed.
func ParseCommentBody(body string) (string, error) {
	body = strings.TrimSpace(body)
	errs := ValidationErrors{}
	if body == "" {
		errs.Add("body", "Write the comment first.")
	}
	errs.Fit("body", body, MaxBody)
	return body, errs.Err()
}

// OpenForComment reports whether the offer's conversation is open: until
// it is decided. A thread stays readable afterwards.
func (o Offer) OpenForComment() bool { return o.Status == OfferDraft || o.Status == OfferProposed }

// Handle is how a comment mentions the user: @ and their e-mail's name
// ("@dana" for dana@example.com).
func (u User) Handle() string {
	local, _, _ := strings.Cut(strings.ToLower(u.Email), "@")
	return local
}

// Mentioned lists the users a text names with @: by handle, or by first
// name when only one of them has it. Each user once, in the order of users.
func Mentioned(text string, users []User) []User {
	words := map[string]bool{}
	for i, r := range text {
		if r != '@' || i > 0 && isHandleRune(rune(text[i-1])) {
			continue // an e-mail address, not a mention
		}
		end := i + 1
		for end < len(text) && isHandleRune(rune(text[end])) {
			end++
		}
		if w := strings.TrimRight(strings.ToLower(text[i+1:end]), "._-"); w != "" {
			words[w] = true
		}
	}
	if len(words) == 0 {
		return nil
	}
	firsts := map[string]int{}
	for _, u := range users {
		firsts[firstName(u)]++
	}
	var out []User
	for _, u := range users {
		if words[u.Handle()] || firsts[firstName(u)] == 1 && words[firstName(u)] {
			out = append(out, u)
		}
	}
	return out
}

func firstName(u User) string {
	f, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(u.Name)), " ")
	return f
}

func isHandleRune(r rune) bool {
	return r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == '_' || r == '-' || r == '+')
}
