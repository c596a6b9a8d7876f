package domain

import "slices"

// DealTeam is who works a deal: its owner and the DevRel actively assigned.
type DealTeam struct {
	DealID    int64
	OwnerID   int64
	DevRelIDs []int64
}

// Includes reports whether u is the owner or an assigned DevRel.
func (t DealTeam) Includes(u User) bool { return t.HasMember(u.ID) }

// HasMember reports whether the user with this id is the owner or an
// assigned DevRel.
func (t DealTeam) HasMember(id int64) bool { return id == t.OwnerID || t.HasDevRel(id) }

// HasDevRel reports whether the user is an assigned DevRel.
func (t DealTeam) HasDevRel(id int64) bool { return oneOf(id, t.DevRelIDs) }

// Action is something a user may try to do.
type Action string

const (
	// Organisation-wide (subject: Organisation).
	ActionManageUsers     Action = "manage_users"
	ActionManageSettings  Action = "manage_settings"
	ActionManageLists     Action = "manage_lists" // lost reasons and product areas
	ActionViewCoverage    Action = "view_coverage"
	ActionCreateDeal      Action = "create_deal"
	ActionManageAccounts  Action = "manage_accounts"
	ActionClaimSupport    Action = "claim_support" // take support requests at all
	ActionUseSupportBoard Action = "use_support_board"
	ActionReviewOffers    Action = "review_offers" // the review queue
	ActionSeeAllDeals     Action = "see_all_deals" // lists of every salesperson's deals, not only one's own
	ActionAssignDevRel    Action = "assign_devrel"
	ActionHandOverDeal    Action = "hand_over_deal" // name another owner
	ActionBulkEdit        Action = "bulk_edit"      // reassign or move many deals at once
	ActionImport          Action = "import"         // bring accounts, contacts and deals from a CSV file
	ActionViewEvidence    Action = "view_evidence"  // whether the pattern pays (a DevRel reads their own row)
	ActionSeeAllReserves  Action = "see_all_reserves"

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
	ActionManageTasks    Action = "manage_tasks" // next steps

	// On a support request (subject: SupportSubject).
	ActionClaimRequest   Action = "claim_request"
	ActionReleaseRequest Action = "release_request"
	ActionCancelRequest  Action = "cancel_request"

	// On an account merge (subject: AccountMerge).
	ActionMergeAccount Action = "merge_account"

	// On a meeting's sync (subject: SyncSubject).
	ActionConfirmSync Action = "confirm_sync"

	// On an offer (subject: OfferSubject).
	ActionViewOffer Action = "view_offer"
	ActionMoveOffer Action = "move_offer" // the step is OfferSubject.Step
	ActionComment   Action = "comment"    // talk the offer through

	// On a comment (subject: CommentSubject).
	ActionEditComment Action = "edit_comment"
)

// Subject is what an action is taken on.
type Subject interface{ subject() }

// Organisation is the subject of organisation-wide actions.
type Organisation struct{}

// OfferSubject is an offer seen with its deal team; Step names the
// lifecycle step for ActionMoveOffer.
type OfferSubject struct {
	Offer Offer
	Team  DealTeam
	Step  OfferAction
}

// SupportSubject is a support request with its deal team.
type SupportSubject struct {
	Request SupportRequest
	Team    DealTeam
}

// AccountMerge is an account about to be merged into another, with the
// owners of the deals that move with it.
type AccountMerge struct {
	DealOwnerIDs []int64
}

// ImportSubject is an import: what its file holds (none for the import
// page itself), who uploaded it (none before the upload), the owners of
// the deals it would create, and whether it changes the mappings kept
// for everyone's next file.
type ImportSubject struct {
	Kind          ImportKind
	UploadedBy    int64
	DealOwnerIDs  []int64
	KeepsMappings bool
}

// CommentSubject is a comment where it stands: on an offer (Offer set),
// or on a deal's note; Team is the deal's team.
type CommentSubject struct {
	Comment Comment
	Offer   *Offer
	Team    DealTeam
}

// SyncSubject is a meeting's sync: the deal team and the DevRel attending.
type SyncSubject struct {
	Team            DealTeam
	DevRelAttendees []int64
}

func (Organisation) subject()   {}
func (DealTeam) subject()       {}
func (OfferSubject) subject()   {}
func (SupportSubject) subject() {}
func (SyncSubject) subject()    {}
func (AccountMerge) subject()   {}
func (ImportSubject) subject()  {}
func (CommentSubject) subject() {}

// Authorize is presale's one permission policy: nil when u may take action
// a on s, otherwise a *ForbiddenError whose reason says why and, where
// there is one, the way in. Services and handlers refuse with it; pages
// hide with Can, which asks the same question.
func Authorize(u User, a Action, s Subject) error {
	if allowed(u, a, s) {
		return nil
	}
	return Forbiddenf("%s", refusal(u, a, s))
}

// Can reports whether Authorize would allow the action.
func Can(u User, a Action, s Subject) bool { return allowed(u, a, s) }

// allowed is the whole policy. Inactive users may do nothing.
func allowed(u User, a Action, s Subject) bool {
	if !u.Active {
		return false
	}
	switch s := s.(type) {
	case Organisation:
		switch a {
		case ActionManageUsers, ActionManageSettings, ActionManageLists:
			return u.Admin
		case ActionImport:
			return allowed(u, a, ImportSubject{})
		case ActionViewCoverage, ActionAssignDevRel, ActionHandOverDeal, ActionBulkEdit, ActionSeeAllDeals, ActionSeeAllReserves:
			return u.IsManager()
		case ActionViewEvidence:
			return u.IsManager() || u.Role == RoleDevRel
		case ActionCreateDeal, ActionManageAccounts, ActionReviewOffers:
			return u.Role == RoleSales || u.IsManager()
		case ActionClaimSupport:
			return u.Role == RoleDevRel
		case ActionUseSupportBoard:
			return u.Role == RoleDevRel || u.IsManager()
		}
	case DealTeam:
		owner := u.ID == s.OwnerID || u.IsManager()
		team := owner || s.HasDevRel(u.ID)
		switch a {
		case ActionReadDeal:
			return true
		case ActionEditDeal, ActionManageMeetings, ActionRequestSupport:
			return owner
		case ActionProposeOffer, ActionAddQuestion, ActionAddNote, ActionRecordPromise, ActionEditSync, ActionSeeReserve, ActionManageTasks:
			return team
		case ActionAnswerQuestion, ActionReviewPromise:
			return (u.Role == RoleDevRel && s.HasDevRel(u.ID)) || u.IsManager()
		}
	case SupportSubject:
		switch a {
		case ActionClaimRequest:
			return u.Role == RoleDevRel
		case ActionReleaseRequest:
			// The DevRel who holds it steps off; a manager may do it for them.
			// Another DevRel on the team releases only their own requests.
			return s.Request.ClaimedByID != nil && *s.Request.ClaimedByID == u.ID || u.IsManager()
		case ActionCancelRequest:
			return allowed(u, ActionRequestSupport, s.Team)
		}
	case AccountMerge:
		// A merge moves every deal of the account: a salesperson may move
		// only their own, as they may edit only their own.
		if a == ActionMergeAccount {
			return u.IsManager() || allowed(u, ActionManageAccounts, Organisation{}) && !slices.ContainsFunc(s.DealOwnerIDs, func(id int64) bool { return id != u.ID })
		}
	case ImportSubject:
		// Managers and administrators import anything; a salesperson their
		// own deals, from their own uploads, leaving the kept mappings be.
		if a == ActionImport {
			own := func(id int64) bool { return id == u.ID }
			return u.Admin || u.IsManager() || u.Role == RoleSales && (s.Kind == "" || s.Kind == ImportDeals) &&
				(s.UploadedBy == 0 || own(s.UploadedBy)) && !slices.ContainsFunc(s.DealOwnerIDs, func(id int64) bool { return !own(id) }) && !s.KeepsMappings
		}
	case CommentSubject:
		// Its author changes its words, while they may still write where
		// it stands (a DevRel who left the deal no longer may).
		if a == ActionEditComment {
			may := allowed(u, ActionAddNote, s.Team)
			if s.Offer != nil {
				may = allowed(u, ActionComment, OfferSubject{Offer: *s.Offer, Team: s.Team})
			}
			return u.ID == s.Comment.AuthorID && may
		}
	case SyncSubject:
		if a == ActionConfirmSync {
			return syncSide(u, s.Team, s.DevRelAttendees) != sideNone
		}
	case OfferSubject:
		switch a {
		case ActionViewOffer:
			// The reserve is a negotiation lever and a draft is not ready:
			// outside the deal team (and, for a draft, its author) neither exists.
			if s.Offer.Private() {
				return allowed(u, ActionSeeReserve, s.Team) || (s.Offer.Status == OfferDraft && u.ID == s.Offer.ProposedByID)
			}
			return true
		case ActionComment:
			// The conversation is the deal team's (and managers'): the
			// salesperson and DevRel talking it through.
			return allowed(u, ActionViewOffer, s) && allowed(u, ActionSeeReserve, s.Team)
		case ActionMoveOffer:
			step, ok := offerLifecycle[s.Step]
			return ok && step.who.allows(u, s.Offer, s.Team)
		}
	}
	return false
}

// refusals say why an action was refused, and what to do instead.
var refusals = map[Action]string{
	ActionManageUsers:     "Only an administrator manages users.",
	ActionManageSettings:  "Only an administrator sets the reporting currency, exchange rates and stage probabilities.",
	ActionManageLists:     "Only an administrator edits the lists of lost reasons and product areas.",
	ActionViewCoverage:    "Only managers review pre-sale coverage.",
	ActionCreateDeal:      "Only salespeople and managers open deals.",
	ActionManageAccounts:  "Only salespeople and managers add or edit customers and their contacts.",
	ActionClaimSupport:    "Only DevRel engineers claim support requests.",
	ActionUseSupportBoard: "The support board is for DevRel and managers.",
	ActionReviewOffers:    "The review queue is for salespeople and managers.",
	ActionSeeAllDeals:     "Only managers list every salesperson's deals; yours are listed.",
	ActionAssignDevRel:    "Only a manager assigns DevRel.",
	ActionHandOverDeal:    "Only a manager hands a deal to another owner.",
	ActionBulkEdit:        "Only a manager changes many deals at once.",
	ActionImport:          "Salespeople import their own deals; managers and administrators import anything.",
	ActionViewEvidence:    "The evidence is for managers and DevRel.",
	ActionSeeAllReserves:  "Only managers see every deal's reserve; a deal team sees its own.",
	ActionManageTasks:     "Only the deal team sets and ticks off its next steps.",
	ActionComment:         "Only the deal team talks an offer through.",
	ActionReadDeal:        "This deal is not visible to you.",
	ActionEditDeal:        "Only the deal's owner or a manager edits it.",
	ActionManageMeetings:  "Only the deal's owner or a manager schedules and changes its meetings.",
	ActionRequestSupport:  "Only the deal's owner or a manager asks for DevRel support.",
	ActionProposeOffer:    "Only the deal team proposes offers on this deal.",
	ActionAddQuestion:     "Only the deal team records customer questions.",
	ActionAnswerQuestion:  "Only a DevRel on the deal, or a manager, answers its questions.",
	ActionAddNote:         "Only the deal team adds internal notes.",
	ActionRecordPromise:   "Only the deal team records and updates its promises.",
	ActionReviewPromise:   "Only a DevRel on the deal, or a manager, rates promises.",
	ActionEditSync:        "Only the deal team writes the pre-meeting sync.",
	ActionSeeReserve:      "Only the deal team and managers see offers held in reserve.",
	ActionClaimRequest:    "Only a DevRel engineer can take a support request.",
	ActionReleaseRequest:  "Only the DevRel who claimed this request, or a manager, can release it.",
	ActionCancelRequest:   "Only the deal's owner or a manager cancels its requests.",
	ActionMergeAccount:    "Merging moves every deal of this account, and some are other salespeople's. Ask a manager to merge it, or its deals' owners to hand them to you first.",
	ActionConfirmSync:     "Only the deal's salesperson, or a DevRel on the deal team who attends the meeting, can confirm the sync.",
	ActionViewOffer:       "This offer is not visible to you.",
	ActionEditComment:     "Only its author changes a comment, while on the deal team.",
}

func refusal(u User, a Action, s Subject) string {
	switch s := s.(type) {
	case SyncSubject:
		if AttendsOffTeam(u, s.Team, s.DevRelAttendees) {
			return "You attend this meeting but are not on the deal team, so the sync is not yours to confirm. Claim the deal's support request on the support board, or ask a manager to assign you."
		}
	case OfferSubject:
		if step, ok := offerLifecycle[s.Step]; ok && a == ActionMoveOffer {
			return step.who.refusal(s.Step)
		}
	case ImportSubject:
		switch {
		case !u.Active || u.Role != RoleSales:
		case s.Kind != "" && s.Kind != ImportDeals:
			return "Salespeople import their own deals; a manager or an administrator imports " + string(s.Kind) + "."
		case len(s.DealOwnerIDs) > 0:
			return "You import your own deals only; a manager imports other people's."
		case s.KeepsMappings:
			return "The mappings kept for everyone's next file are a manager's or an administrator's to change."
		}
	}
	if !u.Active {
		return "Your account is deactivated."
	}
	if r, ok := refusals[a]; ok {
		return r
	}
	return "Your role does not allow this."
}
