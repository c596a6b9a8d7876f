package service

import (
	"container/list"
	"sync"
	"time"

	"github.com/presale/presale/internal/read"
)

// keptDeals holds the deal pages an instance read last, each with the
// revision it was read at. A page is used again only while the database
// still holds that revision (one indexed read) and no meeting of the deal
// has started since: then nothing the page shows can have changed.
// Several instances each keep their own; the revision is in the database.
type keptDeals struct {
	mu    sync.Mutex
	max   int
	byKey map[keptKey]*list.Element
	order *list.List // most recently used first
}

// keptKey names one deal's page as one kind of viewer sees it: the deal
// team (and managers) see the reserve, notes and team-only events.
type keptKey struct {
	deal int64
	team bool
}

type keptDeal struct {
	key    keptKey
	rev    read.Revision
	until  time.Time // the next meeting's start: "upcoming" changes then
	detail DealDetail
}

// keptDealPages is how many deal pages an instance keeps: a working
// team's open deals, a few megabytes.
const keptDealPages = 512

func newKeptDeals(max int) *keptDeals {
	return &keptDeals{max: max, byKey: map[keptKey]*list.Element{}, order: list.New()}
}

// get returns the page kept for key if it is still true at rev and now.
// The page is shared: callers read it and never change it.
func (k *keptDeals) get(key keptKey, rev read.Revision, now time.Time) (DealDetail, bool) {
	if k == nil {
		return DealDetail{}, false
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	el, ok := k.byKey[key]
	if !ok {
		return DealDetail{}, false
	}
	kd := el.Value.(*keptDeal)
	if kd.rev != rev || !now.Before(kd.until) {
		return DealDetail{}, false
	}
	k.order.MoveToFront(el)
	return kd.detail, true
}

// put keeps a page read at rev (read before the page, so a change
// committed meanwhile only makes the page look older than it is).
func (k *keptDeals) put(key keptKey, rev read.Revision, until time.Time, d DealDetail) {
	if k == nil {
		return
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if el, ok := k.byKey[key]; ok {
		el.Value = &keptDeal{key: key, rev: rev, until: until, detail: d}
		k.order.MoveToFront(el)
		return
	}
	k.byKey[key] = k.order.PushFront(&keptDeal{key: key, rev: rev, until: until, detail: d})
	for k.order.Len() > k.max {
		last := k.order.Back()
		k.order.Remove(last)
		delete(k.byKey, last.Value.(*keptDeal).key)
	}
}

// until is when a page read at now stops being true by itself: when the
// next of the deal's meetings starts, it leaves "upcoming" and the next
// meeting of each support request changes.
func until(meetings []read.MeetingRow, now time.Time) time.Time {
	end := now.Add(24 * time.Hour) // and a page is read afresh once a day
	for _, m := range meetings {
		if !m.StartsAt.Before(now) && m.StartsAt.Before(end) {
			end = m.StartsAt
		}
	}
	return end
}
