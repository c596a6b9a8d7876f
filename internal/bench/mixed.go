package bench

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/presale/presale/db"
	"github.com/presale/presale/internal/domain"
)

// mixed is a working day's traffic: 80 % page views across roles and 20 %
// writes (deals opened and moved, meetings scheduled, offers cleared,
// syncs confirmed by either side, notes added) from concurrent clients.
// Every write the server acknowledged (303) is looked for in the database
// afterwards: a confirmation lost to the other side's would show.
type mixed struct {
	bases   []string // the instances; client i talks to bases[i mod n]
	clients map[domain.Role][]*http.Client
	tokens  map[domain.Role]string
	deals   []int64 // the salesperson's
	offers  chan int64
	run     string // marks this run's rows
	account int64

	mu      sync.Mutex
	created []string // deal titles acknowledged
	meets   []string // meeting titles acknowledged
	notes   []string // note bodies acknowledged
	cleared []int64  // offers acknowledged cleared
	syncs   []int64  // upcoming meetings the DevRel attends, to confirm
	began   time.Time
	// Meetings whose sync each side confirmed, acknowledged.
	salesConfirmed, devRelConfirmed []int64
	seq                             atomic.Int64
	refused                         refusals
}

var versionField = regexp.MustCompile(`name="version" value="(\d+)"`)

// runMixed loads the mixed traffic for opts.Duration and checks the writes.
func runMixed(ctx context.Context, out io.Writer, d *db.DB, bases []string, clients map[domain.Role][]*http.Client, theirs *theirDeals, opts Options, ceiling float64) error {
	m := &mixed{bases: bases, clients: clients, tokens: map[domain.Role]string{}, run: fmt.Sprint(time.Now().UnixNano()), offers: make(chan int64, 100000)}
	var salesID int64
	if err := d.Read.Table("users").Where("role = ?", domain.RoleSales).Order("id").Limit(1).Pluck("id", &salesID).Error; err != nil {
		return err
	}
	if err := d.Read.Table("deals").Where("owner_id = ? AND archived_at IS NULL", salesID).Order("id").Limit(500).Pluck("id", &m.deals).Error; err != nil {
		return err
	}
	var offers []int64
	if err := d.Read.Table("offers").Where("status = ? AND deal_id IN (SELECT id FROM deals WHERE owner_id = ?)", domain.OfferProposed, salesID).Pluck("id", &offers).Error; err != nil {
		return err
	}
	for _, id := range offers {
		m.offers <- id
	}
	if err := d.Read.Table("accounts").Order("id").Limit(1).Pluck("id", &m.account).Error; err != nil {
		return err
	}
	var devRelID int64
	if err := d.Read.Table("users").Where("role = ?", domain.RoleDevRel).Order("name").Limit(1).Pluck("id", &devRelID).Error; err != nil {
		return err
	}
	if err := d.Read.Table("meetings").Where("deal_owner_id = ? AND status = 'scheduled' AND starts_at > ?", salesID, time.Now().Add(time.Hour)).
		Where("id IN (SELECT meeting_id FROM meeting_attendees WHERE user_id = ?)", devRelID).
		Where("deal_id IN (SELECT deal_id FROM assignments WHERE user_id = ? AND active)", devRelID).Order("id").Limit(500).Pluck("id", &m.syncs).Error; err != nil {
		return err
	}
	for role, cs := range clients {
		if role == "" {
			continue
		}
		tok, err := formToken(cs[0], bases[0]+"/settings")
		if err != nil {
			return err
		}
		m.tokens[role] = tok
	}

	views := []Page{}
	for _, p := range Pages {
		if p.As != "" && !p.API && !coldKind(p.Path) && p.Name != "coverage" && p.Name != "coverage.csv" && p.Name != "evidence" { // people's page views
			views = append(views, p)
		}
	}
	rngs := make([]*rand.Rand, opts.Concurrency)
	for i := range rngs {
		rngs[i] = rand.New(rand.NewPCG(uint64(i), 7))
	}
	m.began = time.Now().UTC()
	r := drive(ctx, opts.Duration, opts.Concurrency, func(i int) (int, error) {
		if rngs[i].IntN(100) < 80 {
			p := views[rngs[i].IntN(len(views))]
			path := theirs.path(p.Path, i)
			status, _, err := fetch(clients[p.As][i], m.url(i, path))
			if status >= 400 {
				m.refused.add("GET", path, status)
			}
			return status, err
		}
		return m.write(rngs[i], i)
	})
	fmt.Fprintf(out, "%-22s %9.0f %6.1f%% %9s %9s %7d %8d   (%d stale moves refused with 409)\n", "mixed 80/20", r.rate, 100*r.rate/ceiling, r.pct(50), r.pct(99), r.errors, r.timeouts, r.conflicts)
	m.refused.report(out)
	return m.verify(out, d)
}

// url is path on client i's instance.
func (m *mixed) url(i int, path string) string { return m.bases[i%len(m.bases)] + path }

// post sends a form as role and reports the status, not following the 303.
func (m *mixed) post(role domain.Role, i int, path string, form url.Values) (int, error) {
	return postForm(m.clients[role][i], m.bases[i%len(m.bases)], path, m.tokens[role], form, &m.refused)
}

// write makes one change and records it once acknowledged.
func (m *mixed) write(rng *rand.Rand, i int) (int, error) {
	n := m.seq.Add(1)
	deal := m.deals[rng.IntN(len(m.deals))]
	switch k := rng.IntN(6); {
	case k == 5 && len(m.syncs) > 0:
		// Either side confirms a sync, often both at once on one meeting.
		id := m.syncs[rng.IntN(min(len(m.syncs), 20))]
		role, list := domain.RoleSales, &m.salesConfirmed
		if rng.IntN(2) == 0 {
			role, list = domain.RoleDevRel, &m.devRelConfirmed
		}
		status, err := m.post(role, i, fmt.Sprintf("/meetings/%d/sync/confirm", id), url.Values{})
		return status, ack(m, status, err, list, id)
	case k == 0:
		title := fmt.Sprintf("Mixed deal %s %d", m.run, n)
		status, err := m.post(domain.RoleSales, i, "/deals", url.Values{"title": {title}, "account_id": {fmt.Sprint(m.account)},
			"stage": {"discovery"}, "amount": {"1000"}, "currency": {"USD"}, "technical_status": {"not_started"}})
		return status, ack(m, status, err, &m.created, title)
	case k == 1:
		// Edit: the version as the edit page shows it, then the move.
		resp, err := m.clients[domain.RoleSales][i].Get(m.url(i, fmt.Sprintf("/deals/%d/edit", deal)))
		if err != nil {
			return 0, err
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		v := versionField.FindSubmatch(body)
		if v == nil {
			return resp.StatusCode, nil
		}
		stage := domain.Stages[rng.IntN(5)]
		return m.post(domain.RoleSales, i, fmt.Sprintf("/deals/%d/stage", deal), url.Values{"stage": {string(stage)}, "version": {string(v[1])}})
	case k == 2:
		title := fmt.Sprintf("Mixed meeting %s %d", m.run, n)
		start := time.Now().UTC().Add(time.Duration(48+rng.IntN(200)) * time.Hour).Truncate(time.Hour)
		status, err := m.post(domain.RoleSales, i, fmt.Sprintf("/deals/%d/meetings", deal), url.Values{"title": {title}, "type": {"demo"},
			"starts_at": {start.Format(domain.DateTimeLayout)}, "ends_at": {start.Add(time.Hour).Format(domain.DateTimeLayout)}})
		return status, ack(m, status, err, &m.meets, title)
	case k == 3:
		select {
		case id := <-m.offers:
			status, err := m.post(domain.RoleSales, i, fmt.Sprintf("/offers/%d/clear", id), url.Values{})
			return status, ack(m, status, err, &m.cleared, id)
		default:
		}
		fallthrough
	default:
		body := fmt.Sprintf("Mixed note %s %d", m.run, n)
		status, err := m.post(domain.RoleSales, i, fmt.Sprintf("/deals/%d/notes", deal), url.Values{"body": {body}})
		return status, ack(m, status, err, &m.notes, body)
	}
}

// ack records what a write made once the server acknowledged it (303).
func ack[T any](m *mixed, status int, err error, list *[]T, v T) error {
	if err != nil || status != http.StatusSeeOther {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	*list = append(*list, v)
	return nil
}

// verify finds every acknowledged write in the database.
func (m *mixed) verify(out io.Writer, d *db.DB) error {
	deals, err := found(d, "deals", "title IN ?", m.created)
	if err != nil {
		return err
	}
	meets, err := found(d, "meetings", "title IN ?", m.meets)
	if err != nil {
		return err
	}
	notes, err := found(d, "deal_notes", "body IN ?", m.notes)
	if err != nil {
		return err
	}
	cleared, err := found(d, "offers", "id IN ? AND status = '"+string(domain.OfferCleared)+"'", m.cleared)
	if err != nil {
		return err
	}
	// Each side's confirmation is there, whatever the other side did at
	// the same moment.
	salesConfirmed, sales := slices.Compact(slices.Sorted(slices.Values(m.salesConfirmed))), int64(0)
	devRelConfirmed, devRel := slices.Compact(slices.Sorted(slices.Values(m.devRelConfirmed))), int64(0)
	if sales, err = found(d, "syncs", "meeting_id IN ? AND sales_confirmed_at >= ?", salesConfirmed, m.began); err != nil {
		return err
	}
	if devRel, err = found(d, "syncs", "meeting_id IN ? AND dev_rel_confirmed_at >= ?", devRelConfirmed, m.began); err != nil {
		return err
	}
	fmt.Fprintf(out, "%-22s deals %d/%d, meetings %d/%d, notes %d/%d, offers cleared %d/%d, syncs confirmed by sales %d/%d and by DevRel %d/%d\n", "writes found",
		deals, len(m.created), meets, len(m.meets), notes, len(m.notes), cleared, len(m.cleared), sales, len(salesConfirmed), devRel, len(devRelConfirmed))
	if deals != int64(len(m.created)) || meets != int64(len(m.meets)) || notes != int64(len(m.notes)) || cleared != int64(len(m.cleared)) ||
		sales != int64(len(salesConfirmed)) || devRel != int64(len(devRelConfirmed)) {
		return fmt.Errorf("acknowledged writes are missing from the database")
	}
	return nil
}

// found counts the rows of table where cond holds for values, 500 values
// at a time.
func found[T any](d *db.DB, table, cond string, values []T, args ...any) (int64, error) {
	var n int64
	for chunk := range slices.Chunk(values, 500) {
		var c int64
		if err := d.Read.Table(table).Where(cond, append([]any{chunk}, args...)...).Count(&c).Error; err != nil {
			return 0, err
		}
		n += c
	}
	return n, nil
}
