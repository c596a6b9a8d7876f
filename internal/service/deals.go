package service

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
	"github.com/presale/presale/internal/store"
)

// StaleDealError is a save refused because someone saved the deal first.
// It carries the deal as it is now and what changed meanwhile, newest
// first, so the second editor can re-apply their input knowingly.
type StaleDealError struct {
	Current domain.Deal
	Changes []read.TimelineEntry
}

func (e *StaleDealError) Error() string {
	return "Someone else saved this deal while you were editing it. Review what changed, then save again to apply your version."
}

func (e *StaleDealError) Unwrap() error { return domain.ErrConflict }

// StaleError is an edit refused because someone saved the thing first. It
// carries the version to edit now and what changed meanwhile, newest
// first, so the form can be shown again with the editor's input kept.
type StaleError struct {
	Entity  domain.Entity
	Version int64
	Changes []read.TimelineEntry
}

func (e *StaleError) Error() string {
	return "Someone else saved this " + e.Entity.Noun() + " while you were editing it. Review what changed, then save again to apply your version."
}

func (e *StaleError) Unwrap() error { return domain.ErrConflict }

// staleError builds the refusal of an edit that missed the last missed
// changes of entity id, which is now at version current.
func staleError(ctx context.Context, tx *store.Store, entity domain.Entity, id, current, missed int64) error {
	changes, err := tx.Updates(ctx, entity, id, int(max(missed, 1)))
	if err != nil {
		return err
	}
	return &StaleError{Entity: entity, Version: current, Changes: changes}
}

// refuseStale turns a versioned write that failed (err) or found no row
// at version (someone saved first) into the error to return.
func refuseStale(ctx context.Context, tx *store.Store, err error, entity domain.Entity, id, version int64) error {
	if err != nil {
		return err
	}
	current, err := tx.VersionOf(ctx, entity, id)
	if err != nil {
		return err
	}
	return staleError(ctx, tx, entity, id, current, current-version)
}

// Deals are the pipeline's use cases: deals, their notes (notes.go),
// next steps (tasks.go) and saved views (views.go), and what their pages
// read (queries_deals.go).
type Deals struct {
	*core
	people       *People       // who may own a deal
	organisation *Organisation // the money the pipeline is counted in
	accounts     *Accounts     // the deal form's choice of account
}

// CreateDeal opens a deal. A salesperson owns what they create; a manager
// may name the owner.
func (s *Deals) CreateDeal(ctx context.Context, actor domain.User, in domain.DealInput) (domain.Deal, error) {
	if err := domain.Authorize(actor, domain.ActionCreateDeal, domain.Organisation{}); err != nil {
		return domain.Deal{}, err
	}
	if !domain.Can(actor, domain.ActionHandOverDeal, domain.Organisation{}) {
		in.OwnerID = "" // a salesperson owns what they open
	}
	d := domain.Deal{OwnerID: actor.ID}
	now := s.now().UTC()
	var err error
	if in.Reasons, err = s.organisation.Choices(ctx, domain.ListLostReasons); err != nil {
		return d, err
	}
	if err := in.Apply(&d, now); err != nil {
		return d, err
	}
	d.CreatedAt, d.UpdatedAt = now, now
	err = s.write(ctx, &actor, func(tx *store.Store) ([]Change, error) {
		account, owner, err := dealRefs(ctx, tx, d)
		if err != nil {
			return nil, err
		}
		if err := tx.Deals().CreateDeal(ctx, &d); err != nil {
			return nil, err
		}
		return []Change{created(domain.EntityDeal, d.ID, &d.ID, d.Snapshot(account.Name, owner.Name, in.Reasons))}, nil
	})
	return d, err
}

// UpdateDeal saves an edit made on version of the deal. If someone saved
// in between, nothing is written and a StaleDealError says what changed.
func (s *Deals) UpdateDeal(ctx context.Context, actor domain.User, id, version int64, in domain.DealInput) (domain.Deal, error) {
	var d domain.Deal
	err := s.write(ctx, &actor, func(tx *store.Store) ([]Change, error) {
		var err error
		if d, err = tx.Deals().DealByID(ctx, id); err != nil {
			return nil, err
		}
		return s.updateDeal(ctx, tx, actor, &d, version, in)
	})
	return d, err
}

// updateDeal applies an edit made on version to *dp, inside tx; *dp becomes
// the deal as saved.
func (s *Deals) updateDeal(ctx context.Context, tx *store.Store, actor domain.User, dp *domain.Deal, version int64, in domain.DealInput) ([]Change, error) {
	d, id := *dp, dp.ID
	team, members, err := tx.Deals().DealTeam(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := domain.Authorize(actor, domain.ActionEditDeal, team); err != nil {
		return nil, err
	}
	beforeAccount, beforeOwner, err := dealRefs(ctx, tx, d)
	if err != nil {
		return nil, err
	}
	if in.Reasons, err = tx.Organisation().Choices(ctx, domain.ListLostReasons); err != nil {
		return nil, err
	}
	before := d.Snapshot(beforeAccount.Name, beforeOwner.Name, in.Reasons)
	if !domain.Can(actor, domain.ActionHandOverDeal, domain.Organisation{}) {
		in.OwnerID = "" // only a manager hands a deal over
	}
	edited := d
	if err := in.Apply(&edited, s.now().UTC()); err != nil {
		return nil, err
	}
	if version != d.Version {
		changes, err := tx.Deals().DealUpdates(ctx, id, int(d.Version-version))
		if err != nil {
			return nil, err
		}
		return nil, &StaleDealError{Current: d, Changes: changes}
	}
	account, owner, err := dealRefs(ctx, tx, edited)
	if err != nil {
		return nil, err
	}
	edited.UpdatedAt = s.now().UTC()
	ok, err := tx.Deals().UpdateDeal(ctx, &edited, version)
	if err != nil {
		return nil, err
	}
	if !ok { // saved by someone else between our read and write
		current, _ := tx.Deals().DealByID(ctx, id)
		changes, _ := tx.Deals().DealUpdates(ctx, id, int(current.Version-version))
		return nil, &StaleDealError{Current: current, Changes: changes}
	}
	wasOpen := !d.Stage.Closed()
	d = edited
	changes := changed(domain.EntityDeal, d.ID, &d.ID, before, d.Snapshot(account.Name, owner.Name, in.Reasons))
	if wasOpen && d.Stage.Closed() {
		freed, err := freeTeam(ctx, tx, d, members)
		if err != nil {
			return nil, err
		}
		changes = append(changes, freed...)
	}
	*dp = d
	// The timeline names the owner; the figures count them by id (a deal
	// handed to a namesake changes them).
	return append(changes, touched(d.ID)), nil
}

// freeTeam ends the DevRel's part in a deal that has just closed: load and
// capacity count open deals only. Their claimed requests are fulfilled and
// their assignments end. Reopening restores nobody; the deal page names
// who was on it, and they can claim again.
func freeTeam(ctx context.Context, tx *store.Store, d domain.Deal, members []read.TeamMember) ([]Change, error) {
	var changes []Change
	requests, err := tx.Support().DealSupportRequests(ctx, d.ID, d.UpdatedAt)
	if err != nil {
		return nil, err
	}
	for _, r := range requests {
		if r.Status != domain.SupportClaimed {
			continue
		}
		req, before := r.SupportRequest, supportSnapshot(r.SupportRequest, r.ClaimedByName)
		req.Status, req.UpdatedAt = domain.SupportFulfilled, d.UpdatedAt
		if err := saveSupportRequest(ctx, tx, &req); err != nil {
			return nil, err
		}
		changes = append(changes, changed(domain.EntitySupportRequest, req.ID, &d.ID, before, supportSnapshot(req, r.ClaimedByName))...)
	}
	for _, m := range members {
		if _, err := tx.Support().EndAssignment(ctx, d.ID, m.UserID, d.UpdatedAt); err != nil {
			return nil, err
		}
		changes = append(changes, Change{Event: domain.Event{Action: "ended", Entity: domain.EntityAssignment, EntityID: m.UserID, DealID: &d.ID,
			Before: "devrel: " + m.Name, After: "devrel: (deal " + d.Stage.Label() + ")"}, Notify: []int64{m.UserID},
			Text: fmt.Sprintf("%q is %s; you are off the deal", d.Title, d.Stage.Label()), Link: fmt.Sprintf("/deals/%d", d.ID)})
	}
	return changes, nil
}

// dealRefs loads and checks the account and owner a deal points to.
func dealRefs(ctx context.Context, tx *store.Store, d domain.Deal) (domain.Account, domain.User, error) {
	errs := domain.ValidationErrors{}
	account, err := tx.Accounts().AccountByID(ctx, d.AccountID)
	if errors.Is(err, domain.ErrNotFound) {
		errs.Add("account_id", "Choose an existing account.")
	} else if err != nil {
		return account, domain.User{}, err
	}
	owner, err := tx.People().UserByID(ctx, d.OwnerID)
	if errors.Is(err, domain.ErrNotFound) || err == nil && (!owner.Active || owner.Role == domain.RoleDevRel) {
		errs.Add("owner_id", "Choose an active salesperson or manager as the owner.")
	} else if err != nil {
		return account, owner, err
	}
	return account, owner, errs.Err()
}

// AddNote adds an internal note to a deal; the deal team writes them.
func (s *Deals) AddNote(ctx context.Context, actor domain.User, dealID int64, body string) error {
	return s.write(ctx, &actor, func(tx *store.Store) ([]Change, error) {
		// Who may comes first: an outsider is told no, not what to type.
		team, err := dealAllows(ctx, tx, actor, dealID, domain.ActionAddNote)
		if err != nil {
			return nil, err
		}
		body = strings.TrimSpace(body)
		errs := domain.ValidationErrors{}
		if body == "" {
			errs.Add("body", "Write the note first.")
		}
		if errs.Fit("body", body, domain.MaxBody); len(errs) > 0 {
			return nil, errs
		}
		n := domain.DealNote{DealID: dealID, AuthorID: actor.ID, Body: body, CreatedAt: s.now().UTC()}
		if err := tx.Deals().CreateNote(ctx, &n); err != nil {
			return nil, err
		}
		c, err := s.noteNews(ctx, tx, actor, team, body, created(domain.EntityNote, n.ID, &dealID, domain.Snapshot{{Field: "note", New: body}}))
		return []Change{c}, err
	})
}

// MoveDeal moves a deal to another stage, as the board does: an edit of
// the stage alone (and, to Closed lost, why), refused (StaleDealError)
// when the board showed an older version.
func (s *Deals) MoveDeal(ctx context.Context, actor domain.User, id, version int64, stage domain.Stage, loss domain.DealLoss) (domain.Deal, domain.Undo, bool, error) {
	d, err := s.store.Deals().DealByID(ctx, id)
	if err != nil {
		return d, domain.Undo{}, false, err
	}
	before := d.Stage
	in := d.Input()
	in.Stage = string(stage)
	in.LostReason, in.LostNote = loss.Reason, loss.Note
	if d, err = s.UpdateDeal(ctx, actor, id, version, in); err != nil {
		return d, domain.Undo{}, false, err
	}
	undo, ok := domain.UndoOfStageMove(before, d, actor.ID, s.now())
	return d, undo, ok, nil
}

// BoardColumn is one open stage of the pipeline board.
type BoardColumn struct {
	Stage domain.Stage
	PipelinePage
}

// BoardCards is how many cards a column shows; the rest are a link away.
const BoardCards = 30

// Board lists the open pipeline by stage, filtered as the list is.
func (s *Deals) Board(ctx context.Context, f read.DealFilter) ([]BoardColumn, error) {
	return keptOrgRead(ctx, s.core, orgKey{what: "board", args: argsOf(f)}, func(ctx context.Context) ([]BoardColumn, error) {
		money, err := s.organisation.Money(ctx) // once for every column
		if err != nil {
			return nil, err
		}
		var stages []domain.Stage
		for _, st := range domain.Stages {
			if !st.Closed() && (f.Stage == "" || f.Stage == st) {
				stages = append(stages, st)
			}
		}
		sf := f
		sf.Stage, sf.Open, sf.Page = "", "", read.Page{Number: 1, Size: BoardCards}
		rows, sums, err := s.store.Deals().DealsByStage(ctx, money.priced(sf), stages)
		if err != nil {
			return nil, err
		}
		cols := make([]BoardColumn, len(stages))
		for i, st := range stages {
			cols[i] = BoardColumn{Stage: st, PipelinePage: money.pageOf(rows[st], sums[st])}
		}
		return cols, nil
	})
}

// BulkChange is what a manager changes on many deals at once: a new owner,
// a new stage, or both (zero values leave a field as it is); to Closed
// lost, why they were lost.
type BulkChange struct {
	OwnerID int64
	Stage   domain.Stage
	Loss    domain.DealLoss
}

// MaxBulk is how many deals one bulk change may touch.
const MaxBulk = 200

// CheckBulk says what is wrong with a bulk change before anything is
// read: no deals, too many, or nothing to change.
func (s *Deals) CheckBulk(ids []int64, ch BulkChange) domain.ValidationErrors {
	errs := domain.ValidationErrors{}
	switch {
	case len(ids) == 0:
		errs.Add("deal_ids", "Select the deals to change first.")
	case len(ids) > MaxBulk:
		errs.Add("deal_ids", fmt.Sprintf("Change at most %d deals at once; %d are selected.", MaxBulk, len(ids)))
	}
	if ch.OwnerID == 0 && ch.Stage == "" {
		errs.Add("bulk", "Choose a new owner or a new stage.")
	}
	if ch.Stage != "" && !ch.Stage.Valid() {
		errs.Add("stage", "Choose a stage from the list.")
	}
	return errs
}

// BulkUpdateDeals applies one change to the deals named, in one
// transaction: all of them or none. Each deal's timeline records its own
// change. Only a manager changes deals in bulk.
func (s *Deals) BulkUpdateDeals(ctx context.Context, actor domain.User, ids []int64, ch BulkChange) (int, error) {
	if err := domain.Authorize(actor, domain.ActionBulkEdit, domain.Organisation{}); err != nil {
		return 0, err
	}
	if err := s.CheckBulk(ids, ch).Err(); err != nil {
		return 0, err
	}
	n := 0
	err := s.write(ctx, &actor, func(tx *store.Store) ([]Change, error) {
		var all []Change
		slices.Sort(ids)
		for _, id := range slices.Compact(ids) {
			d, err := tx.Deals().DealByID(ctx, id)
			if err != nil {
				return nil, err
			}
			in := d.Input()
			if ch.OwnerID != 0 {
				in.OwnerID = strconv.FormatInt(ch.OwnerID, 10)
			}
			if ch.Stage != "" && ch.Stage != d.Stage {
				in.Stage = string(ch.Stage)
				in.LostReason, in.LostNote = ch.Loss.Reason, ch.Loss.Note
			}
			changes, err := s.updateDeal(ctx, tx, actor, &d, d.Version, in)
			if err != nil {
				return nil, fmt.Errorf("%q: %w", d.Title, err)
			}
			all = append(all, changes...)
			n++
		}
		return all, nil
	})
	return n, err
}

// dealAllows loads a deal's team and asks the policy whether the actor
// may take action on the deal.
func dealAllows(ctx context.Context, tx *store.Store, actor domain.User, dealID int64, action domain.Action) (domain.DealTeam, error) {
	team, _, err := tx.Deals().DealTeam(ctx, dealID)
	if err != nil {
		return team, err
	}
	return team, domain.Authorize(actor, action, team)
}
