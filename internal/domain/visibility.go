package domain

import "strings"

// Report is an event with what it is about as things stand now: the deal's
// team of the moment and, when the event is about an offer or its thread,
// the offer in its present state. Whether its reader may see it is asked
// where it leaves presale (a page, the timeline, an inbox, an e-mail, a
// webhook, Slack) at the moment it leaves, never when it was recorded: an
// idea cleared and then held in reserve leaves no trace outside the team.
type Report struct {
	Event     Event
	Team      DealTeam
	DealTitle string // the deal's, which everyone may see
	Offer     *Offer // nil when the event is about no offer
}

// Outsider reads an organisation-wide channel (a webhook endpoint, a Slack
// channel): somebody in the organisation on no deal team and no manager.
// Its id is no person's, not even the zero of a team that failed to load.
var Outsider = User{ID: -1, Active: true}

// SeenBy is the one visibility rule of what leaves presale: may u see the
// event now? Team-only events (the reserve, sync notes, notes, offer
// threads) are the deal team's and managers'; an event about an offer is
// seen by whoever may see that offer now.
func (r Report) SeenBy(u User) bool {
	if !u.Active || r.Event.ID == 0 {
		return false // a report that was not found shows nothing
	}
	if r.Event.TeamOnly && !Can(u, ActionSeeReserve, r.Team) {
		return false
	}
	return r.Offer == nil || Can(u, ActionViewOffer, OfferSubject{Offer: *r.Offer, Team: r.Team})
}

// QuoteLength is how much of what was written an inbox line quotes.
const QuoteLength = 140

// Quote is the start of what the event wrote (a note, a comment), on one
// line, for an inbox line to quote; "" when it wrote none. Ask SeenBy
// first: the words are the event's, as private as it is.
func (r Report) Quote() string {
	for _, c := range DecodeChanges(r.Event.Before, r.Event.After) {
		if c.Field != "note" && c.Field != "comment" {
			continue
		}
		words := []rune(strings.Join(strings.Fields(c.New), " "))
		if len(words) > QuoteLength {
			return strings.TrimSpace(string(words[:QuoteLength-1])) + "…"
		}
		return string(words)
	}
	return ""
}

// Unseen is what an inbox says in place of news its reader may no longer
// see: that something changed, not what.
const Unseen = "Something on a deal changed that you can no longer see."

// UnseenNews is Unseen naming the deal, when there is one.
func (r Report) UnseenNews() string {
	if r.DealTitle == "" {
		return Unseen
	}
	return "Something on “" + r.DealTitle + "” changed that you can no longer see."
}
