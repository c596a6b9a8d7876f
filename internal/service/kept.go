package service

import (
	"container/list"
	"sync"
	"time"

	"github.com/presale/presale/internal/read"
)

// kept holds the pages of one kind an instance read last, each with the
// revision of its deal it was read at. A page is used again only while
// the database still holds that revision (one indexed read) and its time
// has not run out (for a deal page, none of its meetings has started
// since): then nothing the page shows can have changed. Several instances
// each keep their own; the revision is in the database.
type kept[V any] struct {
	mu    sync.Mutex
	max   int
	byKey map[keptKey]*list.Element
	order *list.List // most recently used first
}

// keptKey names one page as one kind of viewer sees it: the deal team
// (and managers) see the reserve, notes and team-only events.
type keptKey struct {
	id   int64
	team bool
}

type keptPage[V any] struct {
	key   keptKey
	rev   read.Revision
	until time.Time
	page  V
}

// keptPages is how many pages of a kind an instance keeps: a working
// week's deals. A deal page kept is about 36 KB, so 9 MB; 512 of each
// kind took the bench's peak memory past issue 13's 150 MB.
const keptPages = 256

// keptFor is how long a page that nothing changes is used: a day.
const keptFor = 24 * time.Hour

func newKept[V any](max int) *kept[V] {
	return &kept[V]{max: max, byKey: map[keptKey]*list.Element{}, order: list.New()}
}

// get returns the page kept for key if it is still true at rev and now.
// The page is shared: callers read it and never change it.
func (k *kept[V]) get(key keptKey, rev read.Revision, now time.Time) (V, bool) {
	var none V
	k.mu.Lock()
	defer k.mu.Unlock()
	el, ok := k.byKey[key]
	if !ok {
		return none, false
	}
	p := el.Value.(*keptPage[V])
	if p.rev != rev || !now.Before(p.until) {
		return none, false
	}
	k.order.MoveToFront(el)
	return p.page, true
}

// put keeps a page read at rev (read before the page, so a change
// committed meanwhile only makes the page look older than it is).
func (k *kept[V]) put(key keptKey, rev read.Revision, until time.Time, v V) {
	k.mu.Lock()
	defer k.mu.Unlock()
	p := &keptPage[V]{key: key, rev: rev, until: until, page: v}
	if el, ok := k.byKey[key]; ok {
		el.Value = p
		k.order.MoveToFront(el)
		return
	}
	k.byKey[key] = k.order.PushFront(p)
	for k.order.Len() > k.max {
		last := k.order.Back()
		k.order.Remove(last)
		delete(k.byKey, last.Value.(*keptPage[V]).key)
	}
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
