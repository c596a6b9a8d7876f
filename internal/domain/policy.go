package domain

// DealTeam is who works a deal: its owner and the DevRel actively assigned.
type DealTeam struct {
	DealID    int64
	OwnerID   int64
	DevRelIDs []int64
}

// Includes reports whether u is the owner or an assigned DevRel.
func (t DealTeam) Includes(u User) bool { return u.ID == t.OwnerID || t.HasDevRel(u.ID) }

// HasDevRel reports whether the user is an assigned DevRel.
func (t DealTeam) HasDevRel(id int64) bool { return oneOf(id, t.DevRelIDs) }

// Action is something a user may try to do.
type Action string

const (
	// Organisation-wide.
	ActionManageUsers    Action = "manage_users"
	ActionViewCoverage   Action = "view_coverage"
	ActionCreateDeal     Action = "create_deal"
	ActionManageAccounts Action = "manage_accounts"
	ActionClaimSupport   Action = "claim_support"
	ActionAssignDevRel   Action = "assign_devrel"
	ActionHandOverDeal   Action = "hand_over_deal" // name another owner

	// On a deal (subject: DealTeam).
	ActionReadDeal       Action = "read_deal"
	ActionEditDeal       Action = "edit_deal"
	ActionManageMeetings Action = "manage_meetings"
	ActionRequestSupport Action = "request_support"
	ActionProposeOffer   Action = "propose_offer"
	ActionAddQuestion    Action = "add_question"
	ActionAnswerQuestion Action = "answer_question"
	ActionAddNote        Action = "add_note"
	ActionRecordPromise  Action = "record_promise"
	ActionReviewPromise  Action = "review_promise"
	ActionEditSync       Action = "edit_sync"
	ActionSeeReserve     Action = "see_reserve"
	ActionReleaseSupport Action = "release_support"

	// On an offer (subject: OfferSubject).
	ActionViewOffer Action = "view_offer"
)

// Subject is what an action is taken on.
type Subject interface{ subject() }

// Organisation is the subject of organisation-wide actions.
type Organisation struct{}

// OfferSubject is an offer seen with its deal team.
type OfferSubject struct {
	Offer Offer
	Team  DealTeam
}

func (Organisation) subject() {}
func (DealTeam) subject()     {}
func (OfferSubject) subject() {}

// Can is presale's one permission policy: handlers ask it, templates hide
// only what it forbids. Inactive users may do nothing.
func Can(u User, a Action, s Subject) bool {
	if !u.Active {
		return false
	}
	switch s := s.(type) {
	case Organisation:
		switch a {
		case ActionManageUsers:
			return u.Admin
		case ActionViewCoverage, ActionAssignDevRel, ActionHandOverDeal:
			return u.IsManager()
		case ActionCreateDeal, ActionManageAccounts:
			return u.Role == RoleSales || u.IsManager()
		case ActionClaimSupport:
			return u.Role == RoleDevRel
		}
	case DealTeam:
		owner := u.ID == s.OwnerID || u.IsManager()
		team := owner || s.HasDevRel(u.ID)
		switch a {
		case ActionReadDeal:
			return true
		case ActionEditDeal, ActionManageMeetings, ActionRequestSupport:
			return owner
		case ActionProposeOffer, ActionAddQuestion, ActionAddNote, ActionRecordPromise, ActionEditSync, ActionSeeReserve:
			return team
		case ActionAnswerQuestion, ActionReviewPromise:
			return (u.Role == RoleDevRel && s.HasDevRel(u.ID)) || u.IsManager()
		case ActionReleaseSupport:
			return s.HasDevRel(u.ID) || u.IsManager()
		}
	case OfferSubject:
		if a != ActionViewOffer {
			return false
		}
		// The reserve is a negotiation lever and a draft is not ready:
		// outside the deal team (and, for a draft, its author) neither exists.
		if s.Offer.Private() {
			return Can(u, ActionSeeReserve, s.Team) || (s.Offer.Status == OfferDraft && u.ID == s.Offer.ProposedByID)
		}
		return true
	}
	return false
}
