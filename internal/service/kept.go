package service

import (
	"context"
	"fmt"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/presale/presale/internal/read"
	"golang.org/x/sync/singleflight"
)

// kept holds the pages of one kind an instance read last, each with the
// revision it was read at (its deal's, or the organisation's). A page is
// used again only while the database still holds that revision (one
// indexed read) and its time has not run out (for a deal page, none of
// its meetings has started since; for a read across the organisation, its
// minute): then nothing the page shows can have changed. Several
// instances each keep their own; the revision is in the database.
type kept[K, R comparable, V any] struct {
	pages   *lru.Cache[K, keptPage[R, V]] // the least recently used goes first
	flights singleflight.Group            // one read of a page at a time
}

// keptKey names one page as one kind of viewer sees it: the deal team
// (and managers) see the reserve, notes and team-only events.
type keptKey struct {
	id   int64
	team bool
}

// keptDealPages are pages of one deal, true while its revision is.
type keptDealPages[V any] = kept[keptKey, read.Revision, V]

// orgKey names a read that spans the organisation: what was asked, with
// which arguments, in which minute (such reads count from now: a day's
// meetings, a request's age).
type orgKey struct {
	what   string
	args   string
	minute int64
}

// keptOrgReads are reads across the organisation, of every kind, true
// while nothing in it has changed (store.OrganisationRevision) and their
// minute lasts.
type keptOrgReads = kept[orgKey, string, any]

// keptOrgRead is what read gives for key, kept: read again when anything
// in the organisation has changed since, or the minute has passed.
func keptOrgRead[V any](ctx context.Context, s *Service, key orgKey, read func() (V, error)) (V, error) {
	rev, err := s.store.OrganisationRevision(ctx)
	if err != nil {
		var none V
		return none, err
	}
	now := s.now().UTC()
	key.minute = now.Unix() / 60
	v, err := s.org.through(key, rev, now, func() (any, time.Time, error) {
		v, err := read()
		return v, time.Unix((key.minute+1)*60, 0), err
	})
	if err != nil {
		var none V
		return none, err
	}
	return v.(V), nil
}

// keptList is keptOrgRead for one page of a list and what the list says
// beside it (whether more follow, or how many there are).
func keptList[R, N any](ctx context.Context, s *Service, key orgKey, read func() ([]R, N, error)) ([]R, N, error) {
	type page struct {
		rows []R
		n    N
	}
	p, err := keptOrgRead(ctx, s, key, func() (page, error) {
		rows, n, err := read()
		return page{rows, n}, err
	})
	return p.rows, p.n, err
}

// argsOf is a filter as a kept read's arguments: its fields and values,
// without the now the service sets (the key's minute stands for it).
func argsOf[F any](f F) string { return fmt.Sprintf("%+v", f) }

// keptPage is one page kept, with what it is true for.
type keptPage[R comparable, V any] struct {
	rev   R
	until time.Time
	page  V
}

// keptPages is how many pages of a kind an instance keeps: a working
// week's deals. A deal page kept is about 36 KB, so 9 MB; 512 of each
// kind took the bench's peak memory past issue 13's 150 MB.
const keptPages = 256

// keptOrgPages is how many reads across the organisation an instance
// keeps: desks, lists and coverage reviews (the largest, about 100 KB).
const keptOrgPages = 256

// keptFor is how long a page that nothing changes is used: a day.
const keptFor = 24 * time.Hour

func newKept[K, R comparable, V any](max int) *kept[K, R, V] {
	pages, err := lru.New[K, keptPage[R, V]](max)
	if err != nil {
		panic(err) // only for a size below one
	}
	return &kept[K, R, V]{pages: pages}
}

// get returns the page kept for key if it is still true at rev and now.
// The page is shared: callers read it and never change it.
func (k *kept[K, R, V]) get(key K, rev R, now time.Time) (V, bool) {
	p, ok := k.pages.Get(key)
	if !ok || p.rev != rev || !now.Before(p.until) {
		var none V
		return none, false
	}
	return p.page, true
}

// through returns the page kept for key if it is still true at rev and
// now, or reads it and keeps it until the time read gives. Those who ask
// at once (when a minute turns, or after a change) share one read: a
// coverage review read by 32 at once took 490 ms.
func (k *kept[K, R, V]) through(key K, rev R, now time.Time, read func() (V, time.Time, error)) (V, error) {
	if v, ok := k.get(key, rev, now); ok {
		return v, nil
	}
	v, err, _ := k.flights.Do(fmt.Sprint(key, rev), func() (any, error) {
		v, until, err := read()
		if err == nil {
			k.put(key, rev, until, v)
		}
		return v, err
	})
	if err != nil {
		var none V
		return none, err
	}
	return v.(V), nil
}

// put keeps a page read at rev (read before the page, so a change
// committed meanwhile only makes the page look older than it is).
func (k *kept[K, R, V]) put(key K, rev R, until time.Time, v V) {
	k.pages.Add(key, keptPage[R, V]{rev: rev, until: until, page: v})
}

// until is when a page read at now stops being true by itself: when the
// next of the deal's meetings starts, it leaves "upcoming" and the next
// meeting of each support request changes.
func until(meetings []read.MeetingRow, now time.Time) time.Time {
	end := now.Add(keptFor)
	for _, m := range meetings {
		if !m.StartsAt.Before(now) && m.StartsAt.Before(end) {
			end = m.StartsAt
		}
	}
	return end
}
