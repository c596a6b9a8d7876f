package domain

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func timeNow() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) }

func TestCanOnADeal(t *testing.T) {
	// Who may do what on Sam's deal, where Dev and Ada are assigned.
	cases := map[Action][]User{
		ActionReadDeal:       {sam, dev, ada, out, sue, mia},
		ActionEditDeal:       {sam, mia},
		ActionManageMeetings: {sam, mia},
		ActionRequestSupport: {sam, mia},
		ActionProposeOffer:   {sam, dev, ada, mia},
		ActionAddQuestion:    {sam, dev, ada, mia},
		ActionAddNote:        {sam, dev, ada, mia},
		ActionRecordPromise:  {sam, dev, ada, mia},
		ActionEditSync:       {sam, dev, ada, mia},
		ActionSeeReserve:     {sam, dev, ada, mia},
		ActionAnswerQuestion: {dev, ada, mia},
		ActionReviewPromise:  {dev, ada, mia},
	}
	for action, allowed := range cases {
		for _, u := range []User{sam, dev, ada, out, sue, mia} {
			if got := Can(u, action, team); got != contains(allowed, u) {
				t.Errorf("Can(%s, %s) = %v", u.Name, action, got)
			}
		}
	}
}

func TestReservedOffersAreVisibleToTheDealTeamAndManagersOnly(t *testing.T) {
	cases := []struct {
		status  OfferStatus
		allowed []User
	}{
		{OfferReserved, []User{sam, dev, ada, mia}},
		{OfferDraft, []User{sam, dev, ada, mia}},
		{OfferProposed, []User{sam, dev, ada, out, sue, mia}},
		{OfferCleared, []User{sam, dev, ada, out, sue, mia}},
		{OfferShared, []User{sam, dev, ada, out, sue, mia}},
		{OfferDeclined, []User{sam, dev, ada, out, sue, mia}},
		{OfferWithdrawn, []User{sam, dev, ada, mia}}, // withdrawn from the reserve, or as a draft: never made public that way
	}
	for _, c := range cases {
		subject := OfferSubject{Offer: Offer{Status: c.status, ProposedByID: dev.ID}, Team: team}
		for _, u := range []User{sam, dev, ada, out, sue, mia} {
			if got := Can(u, ActionViewOffer, subject); got != contains(c.allowed, u) {
				t.Errorf("%s sees a %s offer: %v", u.Name, c.status, got)
			}
		}
	}
}

func TestCanOrganisationWide(t *testing.T) {
	admin := sue
	admin.Admin = true
	inactive := mia
	inactive.Active = false
	cases := map[Action][]User{
		ActionManageUsers:    {admin},
		ActionViewCoverage:   {mia},
		ActionAssignDevRel:   {mia},
		ActionCreateDeal:     {sam, sue, admin, mia},
		ActionManageAccounts: {sam, sue, admin, mia},
		ActionClaimSupport:   {dev, ada, out},
		ActionImport:         {sam, sue, admin, mia}, // the import page: a salesperson's for their own deals
	}
	for action, allowed := range cases {
		for _, u := range []User{sam, dev, ada, out, sue, mia, admin, inactive} {
			if got := Can(u, action, Organisation{}); got != contains(allowed, u) {
				t.Errorf("Can(%s admin=%v, %s) = %v", u.Name, u.Admin, action, got)
			}
		}
	}
}

func TestMoneyAndStages(t *testing.T) {
	for in, want := range map[string]int64{"125000.50": 12500050, "0": 0, "1.5": 150, "1,000": 100000, "": 0} {
		if got, err := ParseAmount(in); err != nil || got != want {
			t.Errorf("ParseAmount(%q) = %d, %v", in, got, err)
		}
	}
	for _, bad := range []string{"-1", "1.234", "abc", "1.", ".5", "+3"} {
		if _, err := ParseAmount(bad); err == nil {
			t.Errorf("ParseAmount(%q) accepted", bad)
		}
	}
	if got := FormatAmount(12500050, "EUR"); got != "125,000.50 EUR" {
		t.Errorf("FormatAmount = %q", got)
	}
	var d Deal
	d.Stage = StageNegotiation
	now := timeNow()
	d.SetStage(StageClosedWon, now)
	if d.ClosedAt == nil || !d.ClosedAt.Equal(now) {
		t.Fatal("closing did not stamp closed_at")
	}
	d.SetStage(StageClosedLost, now.Add(1))
	if !d.ClosedAt.Equal(now) {
		t.Fatal("moving between closed stages restamped closed_at")
	}
	d.SetStage(StageProposal, now)
	if d.ClosedAt != nil {
		t.Fatal("reopening kept closed_at")
	}
}

// TestThePolicyTable is the whole permission policy written out as a
// table: every action, on its kind of subject, for every relation a user
// can have to it. Each refusal carries a reason.
func TestThePolicyTable(t *testing.T) {
	admin := User{ID: 7, Name: "Adm", Role: RoleSales, Active: true, Admin: true} // an administrator, not on the deal
	inactive := User{ID: 8, Name: "Gone", Role: RoleManager, Active: false}
	people := []User{sam, sue, dev, ada, out, mia, admin, inactive}
	claimedByDev := SupportRequest{Status: SupportClaimed, ClaimedByID: &dev.ID}
	open := SupportRequest{Status: SupportOpen}
	attending := []int64{dev.ID, out.ID} // Out attends without being on the team
	reserved := Offer{Status: OfferReserved, ProposedByID: dev.ID}
	cases := []struct {
		action  Action
		subject Subject
		allowed []User
	}{
		{ActionManageUsers, Organisation{}, []User{admin}},
		{ActionViewCoverage, Organisation{}, []User{mia}},
		{ActionViewEvidence, Organisation{}, []User{dev, ada, out, mia}},
		{ActionSeeAllReserves, Organisation{}, []User{mia}},
		{ActionSeeAllDeals, Organisation{}, []User{mia}},
		{ActionAssignDevRel, Organisation{}, []User{mia}},
		{ActionHandOverDeal, Organisation{}, []User{mia}},
		{ActionCreateDeal, Organisation{}, []User{sam, sue, mia, admin}},
		{ActionManageAccounts, Organisation{}, []User{sam, sue, mia, admin}},
		{ActionReviewOffers, Organisation{}, []User{sam, sue, mia, admin}},
		{ActionClaimSupport, Organisation{}, []User{dev, ada, out}},
		{ActionUseSupportBoard, Organisation{}, []User{dev, ada, out, mia}},
		{ActionMergeAccount, AccountMerge{}, []User{sam, sue, mia, admin}},
		{ActionMergeAccount, AccountMerge{DealOwnerIDs: []int64{sam.ID}}, []User{sam, mia}},
		{ActionMergeAccount, AccountMerge{DealOwnerIDs: []int64{sam.ID, sue.ID}}, []User{mia}},
		// A salesperson imports their own deals from their own uploads;
		// managers and administrators anything, and the kept mappings.
		{ActionImport, ImportSubject{}, []User{sam, sue, mia, admin}},
		{ActionImport, ImportSubject{Kind: ImportDeals, UploadedBy: sam.ID, DealOwnerIDs: []int64{sam.ID}}, []User{sam, mia, admin}},
		{ActionImport, ImportSubject{Kind: ImportDeals, DealOwnerIDs: []int64{sam.ID, sue.ID}}, []User{mia, admin}},
		{ActionImport, ImportSubject{Kind: ImportAccounts}, []User{mia, admin}},
		{ActionImport, ImportSubject{Kind: ImportContacts}, []User{mia, admin}},
		{ActionImport, ImportSubject{Kind: ImportDeals, KeepsMappings: true}, []User{mia, admin}},
		{ActionReadDeal, team, []User{sam, sue, dev, ada, out, mia, admin}},
		{ActionEditDeal, team, []User{sam, mia}},
		{ActionManageMeetings, team, []User{sam, mia}},
		{ActionRequestSupport, team, []User{sam, mia}},
		{ActionProposeOffer, team, []User{sam, dev, ada, mia}},
		{ActionAddQuestion, team, []User{sam, dev, ada, mia}},
		{ActionAddNote, team, []User{sam, dev, ada, mia}},
		{ActionRecordPromise, team, []User{sam, dev, ada, mia}},
		{ActionEditSync, team, []User{sam, dev, ada, mia}},
		{ActionSeeReserve, team, []User{sam, dev, ada, mia}},
		{ActionAnswerQuestion, team, []User{dev, ada, mia}},
		{ActionReviewPromise, team, []User{dev, ada, mia}},
		{ActionClaimRequest, SupportSubject{Request: open, Team: team}, []User{dev, ada, out}},
		// The contradiction of the first release is decided here: only the
		// holder of a request (or a manager) releases it, not any DevRel
		// on the deal.
		{ActionReleaseRequest, SupportSubject{Request: claimedByDev, Team: team}, []User{dev, mia}},
		{ActionCancelRequest, SupportSubject{Request: open, Team: team}, []User{sam, mia}},
		{ActionConfirmSync, SyncSubject{Team: team, DevRelAttendees: attending}, []User{sam, dev, mia}},
		{ActionViewOffer, OfferSubject{Offer: reserved, Team: team}, []User{sam, dev, ada, mia}},
		{ActionViewOffer, OfferSubject{Offer: Offer{Status: OfferWithdrawn, ProposedByID: dev.ID, HoldTrigger: "if they push"}, Team: team}, []User{sam, dev, ada, mia}},
		{ActionViewOffer, OfferSubject{Offer: Offer{Status: OfferCleared}, Team: team}, []User{sam, sue, dev, ada, out, mia, admin}},
		{ActionMoveOffer, OfferSubject{Offer: reserved, Team: team, Step: OfferRelease}, []User{sam, mia}},
		{ActionMoveOffer, OfferSubject{Offer: reserved, Team: team, Step: OfferWithdraw}, []User{dev}},
		{ActionMoveOffer, OfferSubject{Offer: Offer{Status: OfferCleared}, Team: team, Step: OfferShare}, []User{sam, dev, ada, mia}},
		// A comment's words are its author's, while on the deal team.
		{ActionEditComment, CommentSubject{Comment: Comment{AuthorID: dev.ID}, Team: team}, []User{dev}},
		{ActionEditComment, CommentSubject{Comment: Comment{AuthorID: sam.ID}, Offer: &reserved, Team: team}, []User{sam}},
		{ActionEditComment, CommentSubject{Comment: Comment{AuthorID: out.ID}, Team: team}, nil},
		{ActionEditComment, CommentSubject{Comment: Comment{AuthorID: inactive.ID}, Team: team}, nil},
	}
	for _, c := range cases {
		for _, u := range people {
			want := contains(c.allowed, u)
			err := Authorize(u, c.action, c.subject)
			if (err == nil) != want || Can(u, c.action, c.subject) != want {
				t.Errorf("%s by %s: allowed %v, want %v", c.action, u.Name, err == nil, want)
			}
			var f *ForbiddenError
			if err != nil && (!errors.As(err, &f) || f.Reason == "" || f.Reason == "Your role does not allow this.") {
				t.Errorf("%s by %s: refused without a reason: %v", c.action, u.Name, err)
			}
		}
	}
	if err := Authorize(sam, ActionImport, ImportSubject{Kind: ImportDeals, DealOwnerIDs: []int64{sue.ID}}); err == nil || !strings.Contains(err.Error(), "your own deals only") {
		t.Errorf("a salesperson importing another's deal is not told why: %v", err)
	}
	if err := Authorize(out, ActionConfirmSync, SyncSubject{Team: team, DevRelAttendees: attending}); err == nil || !strings.Contains(err.Error(), "support board") {
		t.Errorf("an attending DevRel off the team is not told how to join: %v", err)
	}
}

// People read labels, never stored codes.
func TestLabelsNotCodes(t *testing.T) {
	for in, want := range map[[2]string]string{
		{"technical_status", "in_progress"}: "In progress",
		{"type", "poc_review"}:              "POC review",
		{"kind", "deep_dive"}:               "Deep dive",
		{"stage", "closed_won"}:             "Closed won",
		{"role", "devrel"}:                  "DevRel",
		{"title", "in_progress"}:            "in_progress", // free text is shown as typed
	} {
		if got := ValueLabel(in[0], in[1]); got != want {
			t.Errorf("ValueLabel(%s, %s) = %q, want %q", in[0], in[1], got, want)
		}
	}
	if got := MeetingPOCReview.Label(); got != "POC review" {
		t.Errorf("meeting type label %q", got)
	}
}
