package service

import (
	"context"
	"fmt"
	"sync"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
	"golang.org/x/sync/singleflight"
)

// kept holds the pages of one kind an instance read last. A page about
// one deal is kept with the revision it was read at, and used again only
// while the database still holds that revision (one indexed read; every
// change to the deal moves it, store.KeepDerived) and none of its
// meetings has started since: then nothing it shows can have changed. A
// read across the organisation is kept for OrganisationLag. Several
// instances each keep their own; the revisions are in the database.
type kept[K, R comparable, V any] struct {
	pages    *lru.Cache[K, keptPage[R, V]] // the least recently used goes first
	flights  singleflight.Group            // one read of a page at a time
	mu       sync.Mutex
	renewing map[K]bool // pages being read again in the background
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

// keptOrgReads are reads across the organisation, of every kind, kept
// for OrganisationLag (docs/PRODUCT.md, "How fresh each page is").
type keptOrgReads = kept[orgKey, struct{}, any]

// OrganisationLag is how long a read across the organisation is used
// again: other people's changes show on such pages within it. Who may see
// what is never kept (the pages ask it of their rows as they are drawn),
// and a person's own change shows at once (Reading).
const OrganisationLag = 2 * time.Second

// ClockMargin is how far the clocks of presale's instances may disagree
// (NTP keeps them far closer): a reader's last change is stamped by the
// instance that made it, a kept read by the one that read it, so a read
// serves the reader only if it began this long after their change.
const ClockMargin = time.Second

// keptOrgRead is what read gives for key, kept for OrganisationLag (and
// no longer than its minute): read again sooner for a reader who changed
// something since it was read. Once a kept read is half its lag old, the
// next asking starts reading it again in the background and is given the
// kept one meanwhile, so those who ask as it runs out do not all wait for
// the read (a coverage review under load takes 40 ms and more).
func keptOrgRead[V any](ctx context.Context, s *core, key orgKey, read func(context.Context) (V, error)) (V, error) {
	now := s.now().UTC()
	key.minute = now.Unix() / 60
	r := readerOf(ctx)
	reading := func(ctx context.Context) func() (any, time.Time, error) {
		return func() (any, time.Time, error) {
			v, err := read(ctx)
			return v, earlier(now.Add(OrganisationLag), time.Unix((key.minute+1)*60, 0)), err
		}
	}
	since := r.wrote
	if !since.IsZero() {
		since = since.Add(ClockMargin)
	}
	if v, readAt, ok := s.orgReads.get(key, struct{}{}, now, since); ok {
		if now.Sub(readAt) >= OrganisationLag/2 {
			s.orgReads.refresh(key, struct{}{}, now, reading(context.WithoutCancel(ctx)))
		}
		r.saw(readAt)
		return v.(V), nil
	}
	v, readAt, err := s.orgReads.through(key, struct{}{}, now, since, reading(ctx))
	if err != nil {
		var none V
		return none, err
	}
	r.saw(readAt)
	return v.(V), nil
}

// keptList is keptOrgRead for one page of a list and what the list says
// beside it (whether more follow, or how many there are).
func keptList[R, N any](ctx context.Context, s *core, key orgKey, read func(context.Context) ([]R, N, error)) ([]R, N, error) {
	type page struct {
		rows []R
		n    N
	}
	p, err := keptOrgRead(ctx, s, key, func(ctx context.Context) (page, error) {
		rows, n, err := read(ctx)
		return page{rows, n}, err
	})
	return p.rows, p.n, err
}

// reader is one request's reader, as the kept reads across the
// organisation see them: when they last changed something, and the oldest
// read the request was given.
type reader struct {
	wrote time.Time
	mu    sync.Mutex
	asOf  time.Time
}

type readerKey struct{}

// Reading is ctx for a request by u: reads across the organisation kept
// from before u's last change are read again for them, on any instance
// (the time is in the database), and AsOf can tell how old the ones it
// was given are.
func Reading(ctx context.Context, u domain.User) context.Context {
	r := &reader{}
	if u.WroteAt != nil {
		r.wrote = *u.WroteAt
	}
	return context.WithValue(ctx, readerKey{}, r)
}

// readerOf is the request's reader; an empty one for reads outside a
// request.
func readerOf(ctx context.Context) *reader {
	if r, ok := ctx.Value(readerKey{}).(*reader); ok {
		return r
	}
	return &reader{}
}

func (r *reader) saw(readAt time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.asOf.IsZero() || readAt.Before(r.asOf) {
		r.asOf = readAt
	}
}

// AsOf is when the oldest read across the organisation this request was
// given was read (zero when it was given none): a page says "as of" then
// when it is older than a second.
func AsOf(ctx context.Context) time.Time {
	r := readerOf(ctx)
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.asOf
}

// argsOf is a filter as a kept read's arguments: its fields and values,
// without the now the service sets (the key's minute stands for it).
func argsOf[F any](f F) string { return fmt.Sprintf("%+v", f) }

// keptPage is one page kept, with what it is true for.
type keptPage[R comparable, V any] struct {
	rev   R
	read  time.Time // when its read began
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

// get returns the page kept for key if it is still true at rev and now,
// and was read after since. The page is shared: callers read it and never
// change it.
func (k *kept[K, R, V]) get(key K, rev R, now, since time.Time) (V, time.Time, bool) {
	p, ok := k.pages.Get(key)
	if !ok || p.rev != rev || !now.Before(p.until) || p.read.Before(since) {
		var none V
		return none, time.Time{}, false
	}
	return p.page, p.read, true
}

// through returns the page kept for key if it is still true at rev and
// now and was read after since, or reads it and keeps it until the time
// read gives; with the time its read began. Those who ask at once (when a
// minute turns, or after a change) share one read: a coverage review read
// by 32 at once took 490 ms.
func (k *kept[K, R, V]) through(key K, rev R, now, since time.Time, read func() (V, time.Time, error)) (V, time.Time, error) {
	if v, at, ok := k.get(key, rev, now, since); ok {
		return v, at, nil
	}
	type result struct {
		v  V
		at time.Time
	}
	r, err, _ := k.flights.Do(fmt.Sprint(key, rev, since.UnixNano()), func() (any, error) {
		v, until, err := read()
		if err == nil {
			k.put(key, rev, now, until, v)
		}
		return result{v, now}, err
	})
	if err != nil {
		var none V
		return none, time.Time{}, err
	}
	return r.(result).v, r.(result).at, nil
}

// refresh reads the page for key again in the background, once at a time,
// and keeps it (those who ask meanwhile are given the page kept).
func (k *kept[K, R, V]) refresh(key K, rev R, now time.Time, read func() (V, time.Time, error)) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.renewing[key] {
		return
	}
	if k.renewing == nil {
		k.renewing = map[K]bool{}
	}
	k.renewing[key] = true
	go func() {
		v, until, err := read()
		if err == nil {
			k.put(key, rev, now, until, v)
		}
		k.mu.Lock()
		defer k.mu.Unlock()
		delete(k.renewing, key)
	}()
}

// put keeps a page whose read began at readAt, at rev (read before the
// page, so a change committed meanwhile only makes the page look older
// than it is).
func (k *kept[K, R, V]) put(key K, rev R, readAt, until time.Time, v V) {
	k.pages.Add(key, keptPage[R, V]{rev: rev, read: readAt, until: until, page: v})
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

// earlier is the earlier of two times.
func earlier(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

// keptDirectory is what a deal's or a meeting's page reads of the
// directory and that changes only with its revision: every list's entries
// and who may own deals. What it holds is shared: callers must not
// change it.
type keptDirectory struct {
	revision int64
	lists    domain.Lists
	owners   []domain.User
}

// directoryAt is the directory's lists and owners at revision rev, read
// before (as a page's revision is), so that what is kept is never older
// than the revision it is kept under; read again only when it has moved.
func (c *core) directoryAt(ctx context.Context, rev int64) (*keptDirectory, error) {
	if d := c.directory.Load(); d != nil && d.revision == rev {
		return d, nil
	}
	d := &keptDirectory{revision: rev}
	var err error
	if d.lists, err = c.store.Organisation().Lists(ctx); err != nil {
		return nil, err
	}
	if d.owners, err = c.store.People().OwnerChoices(ctx); err != nil {
		return nil, err
	}
	c.directory.Store(d)
	return d, nil
}
