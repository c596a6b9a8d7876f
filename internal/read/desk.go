package read

import (
	"time"

	"github.com/presale/presale/internal/domain"
)

// Desk is what a person's desk lists; which lists are filled depends on
// their role.
type Desk struct {
	Tasks     []TaskRow    // everyone: my next steps overdue or due today
	Today     time.Time    // in the person's time zone
	Meetings  []MeetingRow // sales: next 7 days; DevRel: needing my sync; manager: at risk this week
	Syncs     []MeetingRow // sales: syncs waiting for my confirmation
	Review    []OfferRow   // sales: offers awaiting my decision
	Uncovered []DealRow    // sales: no DevRel, meeting coming
	NoNext    int64        // sales: my open deals without a next step
	Promises  []PromiseRow // sales: due soon; DevRel: to rate
	Load      int          // DevRel: deals I carry
	Requests  []SupportRow // DevRel: open requests I could claim
	Carried   []CarriedDeal
	Questions []QuestionRow // DevRel: open on my deals
	Total     CoverageRow   // manager: the open pipeline
	Support   SupportAges   // manager
	Risk      PromiseRisk   // manager
}

// InboxLine is a notification as its reader's inbox shows it, worked out
// when the inbox is drawn: the deal it is about, linked, and the start of
// what was written (a note, a comment), when the reader may see it.
type InboxLine struct {
	domain.Notification
	DealID    int64
	DealTitle string
	Quote     string
}
