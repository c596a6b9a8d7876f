package service

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/store"
)

func supportSnapshot(r domain.SupportRequest, claimedBy string) domain.Snapshot {
	needed := ""
	if r.NeededBy != nil {
		needed = r.NeededBy.Format(domain.DateLayout)
	}
	return domain.Snapshot{{Field: "kind", New: string(r.Kind)}, {Field: "needed_by", New: needed}, {Field: "details", New: r.Details},
		{Field: "status", New: string(r.Status)}, {Field: "claimed_by", New: claimedBy}}
}

// Support is the use cases of support requests: asking, claiming,
// assigning and releasing, and what the board and DevRels' loads read
// (queries_support.go).
type Support struct{ *core }

// RequestSupport asks DevRel for help on a deal; every DevRel hears of it.
func (s *Support) RequestSupport(ctx context.Context, actor domain.User, dealID int64, in domain.SupportInput) (domain.SupportRequest, error) {
	var r domain.SupportRequest
	err := s.write(ctx, &actor, func(tx *store.Store) ([]Change, error) {
		deal, err := tx.Deals().DealByID(ctx, dealID)
		if err != nil {
			return nil, err
		}
		if _, err := dealAllows(ctx, tx, actor, dealID, domain.ActionRequestSupport); err != nil {
			return nil, err
		}
		now := s.now().UTC()
		r = domain.SupportRequest{DealID: dealID, RequestedByID: actor.ID, Status: domain.SupportOpen, CreatedAt: now, UpdatedAt: now}
		if err := in.Apply(&r, now); err != nil {
			return nil, err
		}
		if err := tx.Support().CreateSupportRequest(ctx, &r); err != nil {
			return nil, err
		}
		devrel, err := tx.People().Users(ctx, domain.RoleDevRel)
		if err != nil {
			return nil, err
		}
		c := created(domain.EntitySupportRequest, r.ID, &dealID, supportSnapshot(r, ""))
		for _, u := range devrel {
			if u.Active {
				c.Notify = append(c.Notify, u.ID)
			}
		}
		c.Text = fmt.Sprintf("%s needs DevRel for %s on %q", actor.Name, r.Kind.Phrase(), deal.Title)
		c.Link = fmt.Sprintf("/support-requests/%d", r.ID)
		return []Change{c}, nil
	})
	return r, err
}

// ClaimSupport takes an open request for the actor, a DevRel, within their
// capacity.
func (s *Support) ClaimSupport(ctx context.Context, actor domain.User, id int64) (domain.SupportRequest, error) {
	return s.claim(ctx, actor, id, actor.ID, false, false)
}

// AssignSupport is a manager giving a request to a DevRel. Beyond their
// capacity it asks first (*domain.OverCapacity) unless overCapacity says
// the manager confirmed; it is then recorded as an override. A request
// someone holds is taken from them first: a reassignment.
func (s *Support) AssignSupport(ctx context.Context, actor domain.User, id, devrelID int64, overCapacity bool) (domain.SupportRequest, error) {
	if err := domain.Authorize(actor, domain.ActionAssignDevRel, domain.Organisation{}); err != nil {
		return domain.SupportRequest{}, err
	}
	return s.claim(ctx, actor, id, devrelID, true, overCapacity)
}

func (s *Support) claim(ctx context.Context, actor domain.User, id, claimerID int64, reassign, overCapacity bool) (domain.SupportRequest, error) {
	var r domain.SupportRequest
	err := s.write(ctx, &actor, func(tx *store.Store) ([]Change, error) {
		var err error
		var changes []Change
		claimer, err := tx.Support().LockUser(ctx, claimerID)
		if errors.Is(err, domain.ErrNotFound) {
			return nil, domain.ValidationErrors{"devrel_id": "Choose a DevRel engineer."}
		} else if err != nil {
			return nil, err
		}
		if r, err = tx.Support().SupportRequestByID(ctx, id); err != nil {
			return nil, err
		}
		if !reassign {
			if err := domain.Authorize(actor, domain.ActionClaimRequest, domain.SupportSubject{Request: r}); err != nil {
				return nil, err
			}
		}
		if r.Status == domain.SupportClaimed && r.ClaimedByID != nil && *r.ClaimedByID == claimer.ID {
			return nil, domain.Conflictf("%s already holds this request.", claimer.Name)
		}
		if r.Status == domain.SupportClaimed && r.ClaimedByID != nil && reassign {
			taken, err := s.takeFromHolder(ctx, tx, actor, &r)
			if err != nil {
				return nil, err
			}
			changes = append(changes, taken)
		}
		if r.Status == domain.SupportClaimed && r.ClaimedByID != nil {
			return nil, claimedBy(ctx, tx, r)
		}
		load, err := tx.Support().ActiveLoad(ctx, claimer.ID)
		if err != nil {
			return nil, err
		}
		_, onDeal, err := tx.Support().ActiveAssignment(ctx, r.DealID, claimer.ID)
		if err != nil {
			return nil, err
		}
		override, err := domain.CheckClaim(domain.Claim{Request: r, Claimer: claimer, Actor: actor, Load: load, AlreadyOnDeal: onDeal, OverCapacityConfirmed: overCapacity})
		if err != nil {
			return nil, err
		}
		now := s.now().UTC()
		won, err := tx.Support().ClaimRequest(ctx, id, claimer.ID, now)
		if err != nil {
			return nil, err
		}
		if !won { // another claim landed between our read and write
			current, err := tx.Support().SupportRequestByID(ctx, id)
			if err != nil {
				return nil, err
			}
			return nil, claimedBy(ctx, tx, current)
		}
		before := supportSnapshot(r, "")
		r.Status, r.ClaimedByID, r.ClaimedAt = domain.SupportClaimed, &claimer.ID, &now
		claimed := changed(domain.EntitySupportRequest, r.ID, &r.DealID, before, supportSnapshot(r, claimer.Name))[0]
		claimed.Event.Action = "claimed"
		if claimer.ID != actor.ID {
			// The history says who gave it, and whether beyond capacity.
			by := "assigned by " + actor.Name
			if override {
				by += fmt.Sprintf(" over capacity (%d of %d)", load+1, claimer.EffectiveCapacity())
			}
			fields := append(domain.DecodeChanges(claimed.Event.Before, claimed.Event.After), domain.FieldChange{Field: "assigned", New: by})
			claimed.Event.Action = "assigned"
			claimed.Event.Before, claimed.Event.After = domain.EncodeChanges(fields)
		}
		if !onDeal {
			_, team, err := tx.Deals().DealTeam(ctx, r.DealID)
			if err != nil {
				return nil, err
			}
			role := domain.AssignmentLead
			if len(team) > 0 {
				role = domain.AssignmentSupporting
			}
			a := domain.Assignment{DealID: r.DealID, UserID: claimer.ID, Role: role, Active: true, Override: override, ClaimedAt: now}
			if err := tx.Support().CreateAssignment(ctx, &a); err != nil {
				return nil, err
			}
			after := domain.Snapshot{{Field: "devrel", New: claimer.Name}, {Field: "role", New: string(role)}}
			if override {
				after = append(after, domain.FieldChange{Field: "override", New: fmt.Sprintf("assigned by %s over a capacity of %d (load %d)", actor.Name, claimer.Capacity, load)})
			}
			changes = append(changes, created(domain.EntityAssignment, a.ID, &r.DealID, after))
		}
		deal, err := tx.Deals().DealByID(ctx, r.DealID)
		if err != nil {
			return nil, err
		}
		claimed.Notify = []int64{deal.OwnerID}
		if claimer.ID != actor.ID {
			claimed.Notify = append(claimed.Notify, claimer.ID)
		}
		claimed.Text = fmt.Sprintf("%s is on %q for the %s", claimer.Name, deal.Title, domain.InSentence(r.Kind.Label()))
		claimed.Link = fmt.Sprintf("/deals/%d", deal.ID)
		return append([]Change{claimed}, changes...), nil
	})
	return r, err
}

// takeFromHolder is the first half of a manager's reassignment: the
// request is taken from the DevRel holding it, in the same transaction,
// and opens again for the new claimer.
func (s *Support) takeFromHolder(ctx context.Context, tx *store.Store, actor domain.User, r *domain.SupportRequest) (Change, error) {
	previous, err := tx.People().UserByID(ctx, *r.ClaimedByID)
	if err != nil {
		return Change{}, err
	}
	if _, err := tx.Support().EndAssignment(ctx, r.DealID, previous.ID, s.now().UTC()); err != nil {
		return Change{}, err
	}
	r.Status, r.ClaimedByID, r.ClaimedAt = domain.SupportOpen, nil, nil
	if err := saveSupportRequest(ctx, tx, r); err != nil {
		return Change{}, err
	}
	return Change{Event: domain.Event{Action: "ended", Entity: domain.EntityAssignment, EntityID: previous.ID, DealID: &r.DealID,
		Before: "devrel: " + previous.Name, After: "devrel: (reassigned)"}, Notify: []int64{previous.ID},
		Text: fmt.Sprintf("%s reassigned the request for %s from you", actor.Name, r.Kind.Phrase()), Link: fmt.Sprintf("/support-requests/%d", r.ID)}, nil
}

// claimedBy is the refusal of a claim that someone else won.
func claimedBy(ctx context.Context, tx *store.Store, r domain.SupportRequest) error {
	if r.ClaimedByID == nil {
		return domain.Conflictf("This request is %s, so it cannot be claimed.", r.Status)
	}
	u, err := tx.People().UserByID(ctx, *r.ClaimedByID)
	if err != nil {
		return err
	}
	return domain.Conflictf("%s already claimed this request.", u.Name)
}

// ReleaseSupport ends the claimer's part: done fulfils the request,
// otherwise it opens again. Their assignment on the deal ends.
func (s *Support) ReleaseSupport(ctx context.Context, actor domain.User, id int64, done bool) (domain.SupportRequest, domain.Undo, error) {
	var (
		r    domain.SupportRequest
		undo domain.Undo
	)
	err := s.write(ctx, &actor, func(tx *store.Store) ([]Change, error) {
		var err error
		if r, err = tx.Support().SupportRequestByID(ctx, id); err != nil {
			return nil, err
		}
		claimerID := int64(0)
		claimerName := ""
		if r.ClaimedByID != nil {
			claimerID = *r.ClaimedByID
			if u, err := tx.People().UserByID(ctx, claimerID); err == nil {
				claimerName = u.Name
			}
		}
		before := supportSnapshot(r, claimerName)
		if err := r.Release(actor, done); err != nil {
			return nil, err
		}
		now := s.now().UTC()
		r.UpdatedAt = now
		if err := saveSupportRequest(ctx, tx, &r); err != nil {
			return nil, err
		}
		after := claimerName
		if r.Status == domain.SupportOpen {
			after = ""
		}
		changes := changed(domain.EntitySupportRequest, r.ID, &r.DealID, before, supportSnapshot(r, after))
		changes[0].Event.Action = "released"
		ended, err := tx.Support().EndAssignment(ctx, r.DealID, claimerID, now)
		if err != nil {
			return nil, err
		}
		if ended {
			changes = append(changes, Change{Event: domain.Event{Action: "ended", Entity: domain.EntityAssignment, EntityID: claimerID, DealID: &r.DealID,
				Before: "devrel: " + claimerName, After: "devrel: (none)"}})
		}
		deal, err := tx.Deals().DealByID(ctx, r.DealID)
		if err != nil {
			return nil, err
		}
		changes[0].Notify = []int64{deal.OwnerID}
		changes[0].Text = fmt.Sprintf("%s stepped off %q; the request is %s", claimerName, deal.Title, strings.ToLower(r.Status.Label()))
		changes[0].Link = fmt.Sprintf("/support-requests/%d", r.ID)
		undo = domain.Undo{Entity: domain.EntitySupportRequest, ID: r.ID, From: strconv.FormatInt(claimerID, 10), To: string(r.Status), By: actor.ID, At: now}
		return changes, nil
	})
	return r, undo, err
}

// CancelSupport withdraws an open request; the deal's owner or a manager.
func (s *Support) CancelSupport(ctx context.Context, actor domain.User, id int64) (domain.SupportRequest, error) {
	var r domain.SupportRequest
	err := s.write(ctx, &actor, func(tx *store.Store) ([]Change, error) {
		var err error
		if r, err = tx.Support().SupportRequestByID(ctx, id); err != nil {
			return nil, err
		}
		if _, err := dealAllows(ctx, tx, actor, r.DealID, domain.ActionRequestSupport); err != nil {
			return nil, err
		}
		before := supportSnapshot(r, "")
		if err := r.Cancel(); err != nil {
			return nil, err
		}
		r.UpdatedAt = s.now().UTC()
		if err := saveSupportRequest(ctx, tx, &r); err != nil {
			return nil, err
		}
		return changed(domain.EntitySupportRequest, r.ID, &r.DealID, before, supportSnapshot(r, "")), nil
	})
	return r, err
}

// saveSupportRequest writes r's status and claim unless someone moved the
// request since it was read in this transaction.
func saveSupportRequest(ctx context.Context, tx *store.Store, r *domain.SupportRequest) error {
	ok, err := tx.Support().SaveSupportRequest(ctx, r, r.Version)
	if err == nil && !ok {
		err = domain.Conflictf("Someone claimed, released or cancelled this request a moment ago. Reload it to see where it stands.")
	}
	return err
}

// AskToAssign is a DevRel at capacity asking the managers to assign them
// a request anyway: every active manager is told, with a link to it.
func (s *Support) AskToAssign(ctx context.Context, actor domain.User, id int64) error {
	return s.write(ctx, &actor, func(tx *store.Store) ([]Change, error) {
		r, err := tx.Support().SupportRequestByID(ctx, id)
		if err != nil {
			return nil, err
		}
		if err := domain.Authorize(actor, domain.ActionClaimRequest, domain.SupportSubject{Request: r}); err != nil {
			return nil, err
		}
		if r.Status != domain.SupportOpen {
			return nil, domain.Conflictf("This request is %s, so there is nothing to assign.", r.Status)
		}
		managers, err := tx.People().Users(ctx, domain.RoleManager)
		if err != nil {
			return nil, err
		}
		deal, err := tx.Deals().DealByID(ctx, r.DealID)
		if err != nil {
			return nil, err
		}
		c := Change{Event: domain.Event{Action: "asked", Entity: domain.EntitySupportRequest, EntityID: r.ID, DealID: &r.DealID,
			After: actor.Name + " asks to be assigned over capacity"},
			Text: fmt.Sprintf("%s is at capacity and asks to be assigned the %s on %q", actor.Name, domain.InSentence(r.Kind.Label()), deal.Title),
			Link: fmt.Sprintf("/support-requests/%d", r.ID)}
		for _, m := range managers {
			if m.Active {
				c.Notify = append(c.Notify, m.ID)
			}
		}
		return []Change{c}, nil
	})
}
