// Package service holds presale's use cases. Each runs in one transaction
// and writes the audit events of what it changed in that same transaction.
package service

import (
	"cmp"
	"context"
	"log/slog"
	"slices"
	"sync/atomic"
	"time"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
	"github.com/presale/presale/internal/store"
)

// Service is the application: every change goes through one of its
// areas, each a type of its own (as gitea splits its services), sharing
// the core. What spans the areas stays here: the clock, archiving, and
// undo.
type Service struct {
	*core
	Deals        *Deals        // the pipeline: deals, their notes, next steps and saved views
	Accounts     *Accounts     // accounts, contacts and merges
	Meetings     *Meetings     // meetings, their sync, questions raised and briefs
	Offers       *Offers       // offers, their comments and the promise register
	Support      *Support      // support requests, claims and DevRels' loads
	People       *People       // people, passwords, API tokens, e-mail choices
	Organisation *Organisation // the organisation's currency, rates and probabilities
	Desk         *Desk         // the desks, coverage, the search box and the inbox
	Imports      *Imports      // CSV imports
	Deliveries   *Deliveries   // webhooks, e-mail and reminders: what leaves presale
}

// core is what every area shares: the store, the clock, the log, the
// outbox and the kept pages, and the one write path (write, writeQuiet).
type core struct {
	store   *store.Store
	now     func() time.Time
	log     *slog.Logger
	outbox  Outbox // webhook deliveries go out through it
	baseURL string // for links in webhook payloads
	// privateHooks lets webhook endpoints be on private addresses.
	privateHooks bool
	// companySignIn: the organisation's identity provider is configured
	// (signin.go).
	companySignIn bool
	dealPages     *keptDealPages[DealDetail]    // the deal pages read last
	meetingPages  *keptDealPages[MeetingDetail] // the meetings' pages read last
	briefPlans    *keptDealPages[BriefPlan]     // the briefs' plans read last
	orgReads      *keptOrgReads                 // desks, lists and coverage read last
	directory     atomic.Pointer[keptDirectory] // the lists and owners at the directory's last revision read
}

// Option configures a Service.
type Option func(*Service)

// WithClock replaces the clock, for tests that need a fixed now.
func WithClock(now func() time.Time) Option { return func(s *Service) { s.now = now } }

// WithLogger sets the logger.
func WithLogger(l *slog.Logger) Option { return func(s *Service) { s.log = l } }

// New returns the service over st.
func New(st *store.Store, opts ...Option) *Service {
	c := &core{store: st, now: time.Now, log: slog.New(slog.DiscardHandler),
		dealPages: newKept[keptKey, read.Revision, DealDetail](keptPages), meetingPages: newKept[keptKey, read.Revision, MeetingDetail](keptPages),
		briefPlans: newKept[keptKey, read.Revision, BriefPlan](keptPages), orgReads: newKept[orgKey, struct{}, any](keptOrgPages)}
	s := &Service{core: c, Accounts: &Accounts{c}, Meetings: &Meetings{c}, Support: &Support{c}, People: &People{c},
		Organisation: &Organisation{c}, Imports: &Imports{c}}
	s.Offers = &Offers{core: c, people: s.People}
	s.Deals = &Deals{core: c, people: s.People, organisation: s.Organisation, accounts: s.Accounts}
	s.Desk = &Desk{core: c, organisation: s.Organisation, deals: s.Deals, meetings: s.Meetings, offers: s.Offers, support: s.Support}
	s.Deliveries = &Deliveries{core: c, deals: s.Deals, meetings: s.Meetings, offers: s.Offers, support: s.Support}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Change is what a use case did: the audit event and whom to tell.
type Change struct {
	Event  domain.Event
	Notify []int64 // user ids; the actor is never notified of their own act
	Text   string  // the notification's message
	Link   string  // where the notification leads
	// TeamOnly tells only those on the deal team when the change commits:
	// news of the reserve and the sync never reaches someone who left.
	TeamOnly bool
	// Touched is a deal whose rows changed with nothing for its timeline
	// (a meeting's attendees, a deal handed to a namesake): no event, but
	// its derived state is kept (a Change with no event's action).
	Touched int64
}

// touched is the Change of rows of a deal written with no news.
func touched(dealID int64) Change { return Change{Touched: dealID} }

// write runs fn in one transaction and records the changes it reports,
// with their notifications, in that same transaction. This is the only
// place events are written. A change that makes a meeting's sync stale
// also tells both sides of that meeting.
func (s *core) write(ctx context.Context, actor *domain.User, fn func(tx *store.Store) ([]Change, error)) error {
	return s.wrote(ctx, actor, s.store.Tx(ctx, func(tx *store.Store) error {
		changes, err := fn(tx)
		if err != nil {
			return err
		}
		at := s.now().UTC()
		var events []domain.Event
		var mail []toMail
		teams := map[int64]domain.DealTeam{} // read once per deal, after fn's own changes
		var quiet []int64
		for _, c := range changes {
			if c.Event.Action == "" {
				quiet = append(quiet, c.Touched)
				continue
			}
			stale, err := goingStale(ctx, tx, c.Event, at)
			if err != nil {
				return err
			}
			e := stamped(c.Event, at, actor)
			if err := tx.Events().AppendEvent(ctx, &e); err != nil {
				return err
			}
			events = append(events, e)
			notices, err := staleNotices(ctx, tx, stale)
			if err != nil {
				return err
			}
			// One change tells each person once: the change's own news
			// first, then what it made stale, to those not told yet.
			told := map[int64]bool{}
			for _, n := range append([]Change{c}, notices...) {
				if n.TeamOnly && e.DealID != nil {
					team, ok := teams[*e.DealID]
					if !ok {
						if team, _, err = tx.Deals().DealTeam(ctx, *e.DealID); err != nil {
							return err
						}
						teams[*e.DealID] = team
					}
					n.Notify = slices.DeleteFunc(slices.Clone(n.Notify), func(id int64) bool { return !team.HasMember(id) })
				}
				if n.Notify, err = s.mayBeTold(ctx, tx, e, n.Notify); err != nil {
					return err
				}
				ns := notifications(n, e.ID, actor, at, told)
				if err := tx.Events().AppendNotifications(ctx, ns); err != nil {
					return err
				}
				kind := domain.KindOf(cmp.Or(n.Event.Entity, e.Entity))
				for _, nt := range ns {
					mail = append(mail, toMail{id: nt.ID, userID: nt.UserID, kind: kind})
				}
			}
		}
		if err := s.queueWebhooks(ctx, tx, events); err != nil {
			return err
		}
		if err := s.queueEmails(ctx, tx, mail); err != nil {
			return err
		}
		return keepDerived(ctx, tx, events, quiet, at)
	}))
}

// roleChanged reports whether e changed a person's role (UpdateUser's
// event names the fields it changed).
func roleChanged(e domain.Event) bool {
	return slices.ContainsFunc(domain.DecodeChanges(e.Before, e.After), func(c domain.FieldChange) bool { return c.Field == "role" })
}

// keepDerived brings the derived state of what events changed up to date
// in their transaction (store.KeepDerived): the deals they are about, and
// the deals whose meetings a person whose role changed attends (a
// DevRel's role decides a meeting's sync state).
func keepDerived(ctx context.Context, tx *store.Store, events []domain.Event, quiet []int64, at time.Time) error {
	var active, people []int64
	for _, e := range events {
		switch {
		case e.DealID != nil:
			active = append(active, *e.DealID)
		case e.Entity == domain.EntityUser && roleChanged(e):
			people = append(people, e.EntityID)
		}
	}
	deals := slices.Concat(active, quiet)
	if len(people) > 0 {
		attended, err := tx.Derived().DealsAttendedBy(ctx, people)
		if err != nil {
			return err
		}
		deals = append(deals, attended...)
	}
	// The deals are locked, in id order, before the news moves them up
	// the pipeline's activity sort.
	if err := tx.Derived().KeepDerived(ctx, deals); err != nil {
		return err
	}
	return tx.Deals().TouchDeals(ctx, slices.Compact(slices.Sorted(slices.Values(active))), at)
}

// wrote records, once a change by actor committed (err is nil), when
// they last changed something: every read across the organisation that
// began before then is read again for them (Reading), so their own change
// is never lagged for them, on any instance. Stamped after the commit, a
// read that began later cannot have missed it. It returns err.
func (s *core) wrote(ctx context.Context, actor *domain.User, err error) error {
	if err != nil || actor == nil || actor.ID == 0 {
		return err
	}
	if err := s.store.People().MarkWrote(context.WithoutCancel(ctx), actor.ID, s.now().UTC()); err != nil {
		s.log.Warn("could not record a change's time for its author", "user", actor.ID, "error", err)
	}
	return nil
}

// mayBeTold keeps of ids those who may see event e as it stands at the
// end of its change (domain.Report.SeenBy): an @mention off the team, or
// news of an offer held in the same change, tells nobody outside it.
func (s *core) mayBeTold(ctx context.Context, tx *store.Store, e domain.Event, ids []int64) ([]int64, error) {
	if len(ids) == 0 || !e.TeamOnly && e.Entity != domain.EntityOffer && e.Entity != domain.EntityComment {
		return ids, nil
	}
	reports, err := tx.Events().Reports(ctx, []int64{e.ID})
	if err != nil {
		return nil, err
	}
	users, err := tx.People().UsersByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(slices.Clone(ids), func(id int64) bool { return !reports[e.ID].SeenBy(users[id]) }), nil
}

// stamped is an event as it is kept: when, and by whom (none for the
// system).
func stamped(e domain.Event, at time.Time, actor *domain.User) domain.Event {
	e.At = at
	if actor != nil && actor.ID != 0 {
		e.ActorID = &actor.ID
	}
	return e
}

// writeQuiet is write for many changes that tell nobody (an import): the
// events go in batches, in the same transaction; webhooks still hear of
// them.
func (s *core) writeQuiet(ctx context.Context, actor *domain.User, fn func(tx *store.Store) ([]Change, error)) error {
	return s.wrote(ctx, actor, s.store.Tx(ctx, func(tx *store.Store) error {
		changes, err := fn(tx)
		if err != nil || len(changes) == 0 {
			return err
		}
		at := s.now().UTC()
		var events []domain.Event
		var quiet []int64
		for _, c := range changes {
			if c.Event.Action == "" {
				quiet = append(quiet, c.Touched)
				continue
			}
			events = append(events, stamped(c.Event, at, actor))
		}
		if err := tx.Imports().AppendEvents(ctx, events); err != nil {
			return err
		}
		if err := s.queueWebhooks(ctx, tx, events); err != nil {
			return err
		}
		return keepDerived(ctx, tx, events, quiet, at)
	}))
}

// notifications are the inbox entries of a change: one per person to
// tell, never the actor, none to those already told of this event.
func notifications(c Change, eventID int64, actor *domain.User, at time.Time, told map[int64]bool) []domain.Notification {
	var ns []domain.Notification
	for _, uid := range c.Notify {
		if told[uid] || actor != nil && uid == actor.ID {
			continue
		}
		told[uid] = true
		ns = append(ns, domain.Notification{UserID: uid, EventID: eventID, Message: c.Text, Link: c.Link, CreatedAt: at})
	}
	return ns
}

// changed is the event of an update: the fields that differ, or no event
// when nothing did.
func changed(entity domain.Entity, id int64, dealID *int64, before, after domain.Snapshot) []Change {
	diff := domain.Diff(before, after)
	if len(diff) == 0 {
		return nil
	}
	b, a := domain.EncodeChanges(diff)
	return []Change{{Event: domain.Event{Action: "updated", Entity: entity, EntityID: id, DealID: dealID, Before: b, After: a}}}
}

// created is the event of a new entity, with its fields as the summary.
func created(entity domain.Entity, id int64, dealID *int64, snap domain.Snapshot) Change {
	return Change{Event: domain.Event{Action: "created", Entity: entity, EntityID: id, DealID: dealID, After: snap.Created()}}
}

// Unavailable reports whether err is the database away for a moment
// (restarting, refusing connections): the request may be tried again.
func Unavailable(err error) bool { return store.Unavailable(err) }

// Now is the service's clock, for pages that compare with it.
func (s *Service) Now() time.Time { return s.now().UTC() }
