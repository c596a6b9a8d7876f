package service

import (
	"context"
	"time"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
	"github.com/presale/presale/internal/store"
)

// toMail is a notification that may also go by e-mail.
type toMail struct {
	id, userID int64
	kind       string
}

// queueEmails queues, in the change's transaction, the notifications
// whose people chose to get their kind by e-mail.
func (s *core) queueEmails(ctx context.Context, tx *store.Store, ms []toMail) error {
	if len(ms) == 0 || s.outbox == nil || !s.outbox.SendsEmail() {
		return nil
	}
	ids := make([]int64, 0, len(ms))
	for _, m := range ms {
		ids = append(ids, m.userID)
	}
	users, err := tx.People().UsersByID(ctx, ids)
	if err != nil {
		return err
	}
	var queue []int64
	for _, m := range ms {
		if u, ok := users[m.userID]; ok && u.EmailsFor(m.kind) {
			queue = append(queue, m.id)
		}
	}
	if len(queue) == 0 {
		return nil
	}
	return s.outbox.EnqueueEmails(ctx, tx.SQLTx(), queue)
}

// EmailToSend is a notification to e-mail, with its person.
type EmailToSend struct {
	Notification domain.Notification
	Kind         string
	User         domain.User
}

// EmailToSend loads a queued notification e-mail; Skip says it need not
// go: sent already, its person no longer wants it, or may no longer see
// what it tells of (decided now, as it is sent, not when it was queued).
func (s *Deliveries) EmailToSend(ctx context.Context, id int64) (e EmailToSend, skip bool, err error) {
	if e.Notification, err = s.store.Deliveries().Notification(ctx, id); err != nil {
		return e, false, err
	}
	if e.User, err = s.store.People().UserByID(ctx, e.Notification.UserID); err != nil {
		return e, false, err
	}
	reports, err := s.store.Events().Reports(ctx, []int64{e.Notification.EventID})
	if err != nil {
		return e, false, err
	}
	r := reports[e.Notification.EventID]
	e.Kind = domain.KindOf(r.Event.Entity)
	return e, e.Notification.EmailedAt != nil || !e.User.EmailsFor(e.Kind) || !r.SeenBy(e.User), nil
}

// MarkEmailed records that the SMTP server accepted a notification's
// e-mail.
func (s *Deliveries) MarkEmailed(ctx context.Context, id int64) error {
	return s.store.Deliveries().MarkEmailed(ctx, id, s.now().UTC())
}

// QueueDigests queues the daily digest of each person who chose it and
// whose own morning it is (DigestHour to noon), once per local day. A
// morning the server missed entirely is skipped, not sent at night.
func (s *Deliveries) QueueDigests(ctx context.Context) (int, error) {
	if s.outbox == nil || !s.outbox.SendsEmail() {
		return 0, nil
	}
	readers, err := s.store.Deliveries().DigestReaders(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, u := range readers {
		local := s.now().In(u.Location())
		day := local.Format(domain.DateLayout)
		if local.Hour() < domain.DigestHour || local.Hour() >= 12 || u.DigestSentOn == day {
			continue
		}
		err := s.store.Tx(ctx, func(tx *store.Store) error {
			if ok, err := tx.Deliveries().ClaimDigest(ctx, u.ID, day); err != nil || !ok {
				return err
			}
			n++
			return s.outbox.EnqueueDigest(ctx, tx.SQLTx(), u.ID, day)
		})
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// Digest is what a person's morning e-mail says.
type Digest struct {
	User        domain.User
	Day         string
	Zone        *time.Location
	Meetings    []read.MeetingRow // today's and tomorrow's
	Review      []read.OfferRow   // offers waiting for their decision
	Requests    []read.SupportRow // open requests they could claim
	AtCapacity  bool              // a DevRel with no room for another
	Promises    []read.PromiseRow // promises to rate
	Tasks       []read.TaskRow    // next steps due
	TasksBefore time.Time         // due before this
}

// Empty reports whether nothing needs the person: no digest is sent then.
func (d Digest) Empty() bool {
	return len(d.Meetings)+len(d.Review)+len(d.Requests)+len(d.Promises)+len(d.Tasks) == 0
}

// Digest gathers a person's digest for their local day.
func (s *Deliveries) Digest(ctx context.Context, userID int64, day string) (Digest, error) {
	u, err := s.store.People().UserByID(ctx, userID)
	if err != nil {
		return Digest{}, err
	}
	d := Digest{User: u, Day: day, Zone: u.Location()}
	if d.Meetings, err = s.meetings.MyMeetings(ctx, u, 2); err != nil {
		return d, err
	}
	if domain.Can(u, domain.ActionReviewOffers, domain.Organisation{}) {
		if d.Review, _, err = s.offers.ReviewQueue(ctx, u, read.Top(DeskList)); err != nil {
			return d, err
		}
	}
	if domain.Can(u, domain.ActionClaimSupport, domain.Organisation{}) {
		load, err := s.support.DevRelLoad(ctx, u)
		if err != nil {
			return d, err
		}
		d.AtCapacity = !u.HasRoomFor(load)
		if d.Requests, _, err = s.support.SupportBoard(ctx, read.SupportFilter{Status: domain.SupportOpen, Now: s.now().UTC(), Page: read.Top(DeskList)}); err != nil {
			return d, err
		}
		if d.Promises, _, err = s.offers.Promises(ctx, read.PromiseFilter{RatedBy: u.ID, Feasibility: domain.FeasibilityUnreviewed, Status: domain.PromiseOpen, Page: read.Top(DeskList)}); err != nil {
			return d, err
		}
	}
	d.Tasks, d.TasksBefore, err = s.deals.DueTasks(ctx, u, d.Zone)
	return d, err
}

// SendsEmail reports whether this server can send e-mail.
func (s *Deliveries) SendsEmail() bool { return s.outbox != nil && s.outbox.SendsEmail() }
