package domain

import (
	"strconv"
	"strings"
	"time"
)

// ChoiceList names a short list the organisation edits: why deals are
// lost, and the product areas questions and promises are about.
type ChoiceList string

const (
	ListLostReasons  ChoiceList = "lost_reason"
	ListProductAreas ChoiceList = "product_area"
)

// ChoiceLists are the lists an administrator edits, in the order shown.
var ChoiceLists = []ChoiceList{ListLostReasons, ListProductAreas}

// Valid reports whether l is a known list.
func (l ChoiceList) Valid() bool { return oneOf(l, ChoiceLists) }

// Label is the list's name for people.
func (l ChoiceList) Label() string {
	if l == ListLostReasons {
		return "Reasons a deal is lost"
	}
	return "Product areas"
}

// Noun is one entry of the list in a sentence.
func (l ChoiceList) Noun() string {
	if l == ListLostReasons {
		return "reason"
	}
	return "product area"
}

// LostMissingCapability is the lost reason the evidence page's product
// gaps read: its key stays whatever the label becomes.
const LostMissingCapability = "missing_capability"

// MaxChoiceLabel bounds an entry's label: it is read in a menu.
const MaxChoiceLabel = 60

// Choice is one entry of an organisation's list. Its key is stable and
// stored on records; its label is what people read and may be renamed. A
// retired entry stays on the records that have it but is not offered.
type Choice struct {
	ID        int64
	List      ChoiceList
	Key       string
	Label     string
	Position  int
	RetiredAt *time.Time
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Retired reports whether the entry is no longer offered.
func (c Choice) Retired() bool { return c.RetiredAt != nil }

// Choices is one list's entries, in their order.
type Choices []Choice

// Lists are the organisation's lists by name.
type Lists map[ChoiceList]Choices

// Offered are the entries a form offers: those not retired.
func (cs Choices) Offered() Choices {
	var out Choices
	for _, c := range cs {
		if !c.Retired() {
			out = append(out, c)
		}
	}
	return out
}

// Find is the entry with key.
func (cs Choices) Find(key string) (Choice, bool) {
	for _, c := range cs {
		if c.Key == key {
			return c, true
		}
	}
	return Choice{}, false
}

// Label is how people read key: its entry's label, retired or not; a key
// the list does not hold reads as its words.
func (cs Choices) Label(key string) string {
	if c, ok := cs.Find(key); ok {
		return c.Label
	}
	return label(key)
}

// Pick checks a key typed for field: empty, one offered, or kept (the one
// the record already has, even retired). It answers the key to store.
func (cs Choices) Pick(errs ValidationErrors, field, key, kept string) string {
	key = strings.TrimSpace(key)
	if key == "" || key == kept {
		return key
	}
	if c, ok := cs.Find(key); !ok || c.Retired() {
		errs.Add(field, "Choose one from the list.")
		return kept
	}
	return key
}

// ChoiceLabel validates a label typed for an entry of list: present,
// short, and not another entry's (retired ones included, so a retired
// entry is restored rather than made twice). self is the entry renamed.
func (cs Choices) ChoiceLabel(list ChoiceList, typed string, self int64) (string, error) {
	errs := ValidationErrors{}
	l := Line(typed)
	if l == "" {
		errs.Add("label", "Enter the "+list.Noun()+" as people should read it.")
	}
	errs.Fit("label", l, MaxChoiceLabel)
	for _, c := range cs {
		if c.ID != self && strings.EqualFold(c.Label, l) {
			msg := "“" + c.Label + "” is already in the list."
			if c.Retired() {
				msg = "“" + c.Label + "” is in the list, retired: restore it instead."
			}
			errs.Add("label", msg)
		}
	}
	return l, errs.Err()
}

// NewChoice is a new entry of list labelled l (checked with ChoiceLabel),
// last in the list, with a key made from its label that no entry has.
func (cs Choices) NewChoice(list ChoiceList, l string, now time.Time) Choice {
	var b strings.Builder
	for _, r := range strings.ToLower(l) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "_"):
			b.WriteByte('_')
		}
	}
	base := strings.TrimSuffix(b.String(), "_")
	if len(base) > 40 {
		base = strings.TrimSuffix(base[:40], "_")
	}
	if base == "" {
		base = string(list)
	}
	key := base
	for n := 2; ; n++ {
		if _, taken := cs.Find(key); !taken {
			break
		}
		key = base + "_" + strconv.Itoa(n)
	}
	pos := 0
	for _, c := range cs {
		pos = max(pos, c.Position)
	}
	return Choice{List: list, Key: key, Label: l, Position: pos + 1, CreatedAt: now, UpdatedAt: now}
}

// DealLoss is why a deal was lost, as typed when it is moved to Closed
// lost (the deal form, a move, a bulk change, the API).
type DealLoss struct {
	Reason, Note string
}

// MaxLostNote bounds the note beside a lost reason.
const MaxLostNote = 1000

// applyLoss records why d, moving from stage from to Closed lost, was
// lost: a reason from the organisation's list is needed each time a deal
// becomes lost (not when it was lost already, nor for one imported lost).
// Other stages keep the reason as history. It adds what is wrong to errs.
func (in DealLoss) applyLoss(errs ValidationErrors, d *Deal, from, to Stage, reasons Choices, optional bool) {
	if to != StageClosedLost {
		return
	}
	// The reason it was lost with before may be given again, retired or not
	// (an undone reopening puts it back).
	reason := reasons.Pick(errs, "lost_reason", in.Reason, d.LostReason)
	switch {
	case reason == "" && from == StageClosedLost:
		reason = d.LostReason
	case reason == "" && !optional:
		errs.Add("lost_reason", "Choose why the deal was lost.")
	}
	note := strings.TrimSpace(in.Note)
	errs.Fit("lost_note", note, MaxLostNote)
	d.LostReason = reason
	d.LostNote = note
}
