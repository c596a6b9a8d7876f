package bench

import (
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/presale/presale/db"
	"github.com/presale/presale/db/seed"
	"github.com/presale/presale/internal/domain"
)

// person is one of the organisation, signed in on their own session from
// their own address, with what they work on.
type person struct {
	id       int64
	role     domain.Role
	client   *http.Client
	csrf     string
	deals    []int64 // theirs (owned, or assigned for DevRel), the most recently active first
	meetings []int64 // of their deals, or attended for DevRel, the latest first
}

// team is everyone of the organisation, signed in.
type team struct {
	people []*person
	byRole map[domain.Role][]*person
	byID   map[int64]*person
}

// signInEveryone signs every active person in on their own session, as if
// each came through the proxy from their own address (the bench's server
// trusts X-Forwarded-For), and reads what each works on.
func signInEveryone(ctx context.Context, d *db.DB, base string) (*team, error) {
	t := &team{byRole: map[domain.Role][]*person{}, byID: map[int64]*person{}}
	var users []struct {
		ID    int64
		Email string
		Role  domain.Role
	}
	if err := d.Read.WithContext(ctx).Raw("SELECT id, email, role FROM users WHERE active ORDER BY id").Scan(&users).Error; err != nil {
		return nil, err
	}
	tr := &http.Transport{MaxIdleConns: 64, MaxIdleConnsPerHost: 64}
	for _, u := range users {
		jar, _ := cookiejar.New(nil)
		p := &person{id: u.ID, role: u.Role, client: &http.Client{Jar: jar, Timeout: Timeout,
			Transport: forwardedFor{next: tr, addr: fmt.Sprintf("10.%d.%d.%d", u.ID>>16&255, u.ID>>8&255, u.ID&255)}}}
		t.people = append(t.people, p)
		t.byRole[p.role] = append(t.byRole[p.role], p)
		t.byID[p.id] = p
	}
	// Two at a time: a sign-in hashes a password (argon2id) on 2 cores.
	errs := make(chan error, len(users))
	sem := make(chan struct{}, 2)
	for i, p := range t.people {
		sem <- struct{}{}
		go func() {
			defer func() { <-sem }()
			errs <- p.signIn(base, users[i].Email)
		}()
	}
	for range users {
		if err := <-errs; err != nil {
			return nil, err
		}
	}
	var rows []struct{ Who, What int64 }
	lists := []struct {
		query string
		into  func(p *person, id int64)
	}{
		{"SELECT owner_id AS who, id AS what FROM deals WHERE archived_at IS NULL ORDER BY last_activity_at DESC, id", func(p *person, id int64) { p.deals = append(p.deals, id) }},
		{"SELECT a.user_id AS who, a.deal_id AS what FROM assignments a JOIN deals d ON d.id = a.deal_id WHERE a.active AND d.archived_at IS NULL ORDER BY d.last_activity_at DESC, d.id",
			func(p *person, id int64) { p.deals = append(p.deals, id) }},
		{"SELECT deal_owner_id AS who, id AS what FROM meetings ORDER BY starts_at DESC, id", func(p *person, id int64) { p.meetings = append(p.meetings, id) }},
		{"SELECT ma.user_id AS who, m.id AS what FROM meeting_attendees ma JOIN meetings m ON m.id = ma.meeting_id JOIN users u ON u.id = ma.user_id AND u.role = 'devrel' ORDER BY m.starts_at DESC, m.id",
			func(p *person, id int64) { p.meetings = append(p.meetings, id) }},
	}
	for _, l := range lists {
		if err := d.Read.WithContext(ctx).Raw(l.query).Scan(&rows).Error; err != nil {
			return nil, err
		}
		for _, r := range rows {
			if p := t.byID[r.Who]; p != nil {
				l.into(p, r.What)
			}
		}
	}
	return t, nil
}

// signIn signs p in and keeps the form token their session is bound to.
func (p *person) signIn(base, email string) error {
	if err := signIn(p.client, base, email); err != nil {
		return err
	}
	var err error
	p.csrf, err = formToken(p.client, base+"/settings")
	return err
}

// signIn signs email in on the client's cookie jar, with the demo
// password.
func signIn(c *http.Client, base, email string) error {
	tok, err := formToken(c, base+"/login")
	if err != nil {
		return err
	}
	resp, err := c.PostForm(base+"/login", url.Values{"_csrf": {tok}, "email": {email}, "password": {seed.DemoPassword}})
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.Request.URL.Path != "/" {
		return fmt.Errorf("sign-in as %s failed: landed on %s (%d)", email, resp.Request.URL.Path, resp.StatusCode)
	}
	return nil
}

// formToken is the form token (CSRF) a page at url carries.
func formToken(c *http.Client, url string) (string, error) {
	body, _, err := get(c, url)
	if err != nil {
		return "", err
	}
	m := csrfField.FindSubmatch(body)
	if m == nil {
		return "", fmt.Errorf("no form token on %s", url)
	}
	return string(m[1]), nil
}

// get loads url whole.
func get(c *http.Client, url string) ([]byte, int, error) {
	resp, err := c.Get(url)
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return body, resp.StatusCode, err
}

// forwardedFor sends requests as if a proxy forwarded them from addr.
type forwardedFor struct {
	next http.RoundTripper
	addr string
}

func (f forwardedFor) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("X-Forwarded-For", f.addr)
	return f.next.RoundTrip(r)
}

// skewed picks one of n, the first far more often than the rest: a
// person's few live deals are most of what they open (the first 1 % of
// the list takes a fifth of the picks).
func skewed(rng *rand.Rand, n int) int {
	return min(n-1, int(float64(n)*math.Pow(rng.Float64(), 3)))
}

// cold hands out targets that are never repeated within a run: each
// deal, meeting or search once, opened by whom it belongs to.
type cold struct {
	next    atomic.Int64
	targets []target
}

type target struct {
	who  *person
	path string
}

func (c *cold) pick() target {
	return c.targets[int(c.next.Add(1)-1)%len(c.targets)]
}

// colds are the cold rows' targets, each list shuffled once.
func (t *team) colds(evidenceFrom time.Time) map[string]*cold {
	out := map[string]*cold{}
	add := func(kind string, tg target) {
		if out[kind] == nil {
			out[kind] = &cold{}
		}
		out[kind].targets = append(out[kind].targets, tg)
	}
	for _, p := range t.byRole[domain.RoleSales] {
		for _, id := range p.deals {
			add(coldDeal, target{p, fmt.Sprintf("/deals/%d", id)})
			add(coldSearch, target{p, fmt.Sprintf("/search?q=deal+%06d", id)})
		}
		for _, id := range p.meetings {
			add(coldMeeting, target{p, fmt.Sprintf("/meetings/%d", id)})
		}
	}
	if managers := t.byRole[domain.RoleManager]; len(managers) > 0 {
		for i := range 3650 { // a period starting on another day each time
			add(coldEvidence, target{managers[i%len(managers)], "/evidence?from=" + evidenceFrom.AddDate(0, 0, -i).Format(domain.DateLayout)})
		}
	}
	rng := rand.New(rand.NewPCG(29, 1))
	for _, c := range out {
		rng.Shuffle(len(c.targets), func(i, j int) { c.targets[i], c.targets[j] = c.targets[j], c.targets[i] })
	}
	return out
}

// The cold rows' kinds, named in a page's path.
const (
	coldDeal     = "{cold deal}"
	coldMeeting  = "{cold meeting}"
	coldSearch   = "{cold search}"
	coldEvidence = "{cold evidence}"
)

// day is a team's working day: every request by one of the people, who
// mostly read their own deals, meetings and desk (a skewed choice), the
// managers coverage, the evidence and the board; about one request in
// ten a change of the kinds people make. Every change the server
// acknowledged is looked for afterwards.
type day struct {
	t       *team
	sellers []*person // the salespeople who own deals: the changes are theirs
	bases   []string
	run     string
	began   time.Time
	seq     atomic.Int64
	// What is left to change once: offers to clear and to hold, meetings
	// past their start to mark held, and upcoming meetings to confirm.
	toClear, toHold, pastMeetings chan owned
	syncs                         []syncOf

	mu                              sync.Mutex
	notes, tasks, meets             []string
	cleared, held, marked           []int64
	salesConfirmed, devRelConfirmed []int64
	moves                           map[int64]int64 // deal → the highest version a move acknowledged was made from
	refused                         refusals
}

// owned is an offer or a meeting and the owner of its deal.
type owned struct{ id, owner int64 }

// syncOf is an upcoming meeting both sides confirm the sync of.
type syncOf struct{ Meeting, Owner, DevRel int64 }

// runDay loads a team's day for opts.Duration and checks the changes.
func runDay(ctx context.Context, out io.Writer, d *db.DB, bases []string, t *team, opts Options, ceiling float64, statements *atomic.Int64) error {
	w := &day{t: t, bases: bases, run: fmt.Sprint(time.Now().UnixNano()), moves: map[int64]int64{}}
	for _, p := range t.byRole[domain.RoleSales] {
		if len(p.deals) > 0 {
			w.sellers = append(w.sellers, p)
		}
	}
	if len(w.sellers) == 0 {
		return fmt.Errorf("no salesperson owns a deal: nobody to make the changes")
	}
	pool := func(query string, args ...any) (chan owned, error) {
		var rows []struct{ ID, Owner int64 }
		if err := d.Read.WithContext(ctx).Raw(query, args...).Scan(&rows).Error; err != nil {
			return nil, err
		}
		c := make(chan owned, len(rows))
		for _, r := range rows {
			c <- owned{r.ID, r.Owner}
		}
		return c, nil
	}
	var err error
	offers := "SELECT o.id, d.owner_id AS owner FROM offers o JOIN deals d ON d.id = o.deal_id WHERE o.status = ? AND d.archived_at IS NULL ORDER BY o.id"
	if w.toClear, err = pool(offers, domain.OfferProposed); err != nil {
		return err
	}
	if w.toHold, err = pool(offers, domain.OfferCleared); err != nil {
		return err
	}
	// Meetings to mark held: those past their start first, then the next
	// ones, marked held early.
	if w.pastMeetings, err = pool("SELECT id, deal_owner_id AS owner FROM meetings WHERE status = 'scheduled' ORDER BY starts_at LIMIT 5000"); err != nil {
		return err
	}
	if err := d.Read.WithContext(ctx).Raw(`SELECT m.id AS meeting, m.deal_owner_id AS owner, ma.user_id AS dev_rel FROM meetings m
		JOIN meeting_attendees ma ON ma.meeting_id = m.id JOIN users u ON u.id = ma.user_id AND u.role = 'devrel'
		JOIN assignments a ON a.deal_id = m.deal_id AND a.user_id = ma.user_id AND a.active
		WHERE m.status = 'scheduled' AND m.starts_at > ? ORDER BY m.starts_at LIMIT 2000`, time.Now().UTC().Add(time.Hour)).Scan(&w.syncs).Error; err != nil {
		return err
	}
	rngs := make([]*rand.Rand, opts.Concurrency)
	for i := range rngs {
		rngs[i] = rand.New(rand.NewPCG(uint64(i), 29))
	}
	w.began = time.Now().UTC()
	before := statements.Load()
	r := drive(ctx, opts.Duration, opts.Concurrency, func(i int) (int, error) {
		rng := rngs[i]
		if rng.IntN(10) == 0 {
			return w.change(rng, i)
		}
		p := t.people[rng.IntN(len(t.people))]
		path := w.read(rng, p)
		_, status, err := get(p.client, w.url(i, path))
		if status >= 400 {
			w.refused.add("GET", path, status)
		}
		return status, err
	})
	fmt.Fprintf(out, "%-22s %9.0f %6.1f%% %9s %9s %7d %8d %6s %5.1f   (%d people; %d stale moves refused with 409)\n", "team day", r.rate, 100*r.rate/ceiling,
		r.pct(50), r.pct(99), r.errors, r.timeouts, "", perRequest(statements.Load()-before, r), len(t.people), r.conflicts)
	w.refused.report(out)
	return w.verify(out, d)
}

func (w *day) url(i int, path string) string { return w.bases[i%len(w.bases)] + path }

// read is the page p opens next.
func (w *day) read(rng *rand.Rand, p *person) string {
	deal := func() string {
		if len(p.deals) == 0 {
			return "/deals"
		}
		return fmt.Sprintf("/deals/%d", p.deals[skewed(rng, len(p.deals))])
	}
	meeting := func(suffix string) string {
		if len(p.meetings) == 0 {
			return "/meetings"
		}
		return fmt.Sprintf("/meetings/%d%s", p.meetings[skewed(rng, len(p.meetings))], suffix)
	}
	n := rng.IntN(100)
	switch p.role {
	case domain.RoleSales:
		switch {
		case n < 20:
			return "/"
		case n < 55:
			return deal()
		case n < 63:
			return "/deals"
		case n < 73:
			return meeting("")
		case n < 81:
			return "/meetings"
		case n < 86:
			return "/promises"
		case n < 90:
			return "/deals/board"
		case len(p.deals) > 0:
			return fmt.Sprintf("/search?q=deal+%06d", p.deals[skewed(rng, len(p.deals))])
		}
		return "/search?q=deal"
	case domain.RoleDevRel:
		switch {
		case n < 25:
			return "/"
		case n < 40:
			return "/support"
		case n < 70:
			return deal()
		case n < 85:
			return meeting("")
		case n < 90:
			return meeting("/brief")
		case n < 95:
			return "/evidence"
		}
		return "/promises"
	}
	switch { // managers
	case n < 25:
		return "/coverage"
	case n < 40:
		return "/evidence"
	case n < 55:
		return "/deals/board"
	case n < 70:
		return "/deals?owner="
	case n < 85:
		return "/"
	}
	sales := w.t.byRole[domain.RoleSales]
	if owner := sales[rng.IntN(len(sales))]; len(owner.deals) > 0 {
		return fmt.Sprintf("/deals/%d", owner.deals[skewed(rng, len(owner.deals))])
	}
	return "/deals"
}

// post sends a form as p, not following the 303.
func (w *day) post(p *person, i int, path string, form url.Values) (int, error) {
	return postForm(p.client, w.bases[i%len(w.bases)], path, p.csrf, form, &w.refused)
}

// postForm sends a form to base+path with the session's token and reports
// the status, not following the 303; a refusal other than a stale
// change's 409 is counted.
func postForm(client *http.Client, base, path, csrf string, form url.Values, refused *refusals) (int, error) {
	c := *client
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	form.Set("_csrf", csrf)
	resp, err := c.PostForm(base+path, form)
	if err != nil {
		return 0, err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode >= 400 && resp.StatusCode != http.StatusConflict {
		refused.add("POST", path, resp.StatusCode)
	}
	return resp.StatusCode, nil
}

// refusals count the requests refused, by route and status.
type refusals struct {
	mu sync.Mutex
	n  map[string]int
}

func (r *refusals) add(method, path string, status int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.n == nil {
		r.n = map[string]int{}
	}
	r.n[fmt.Sprintf("%s %s %d", method, idNumbers.ReplaceAllString(path, ":id"), status)]++
}

// report writes what was refused, if anything.
func (r *refusals) report(out io.Writer) {
	if len(r.n) > 0 {
		fmt.Fprintf(out, "%-22s %v\n", "refused", r.n)
	}
}

var idNumbers = regexp.MustCompile(`\d+`)

// change makes one change as someone whose work it is, and records it
// once acknowledged.
func (w *day) change(rng *rand.Rand, i int) (int, error) {
	n := w.seq.Add(1)
	p := w.sellers[rng.IntN(len(w.sellers))]
	deal := p.deals[skewed(rng, len(p.deals))]
	take := func(c chan owned) (owned, bool) {
		select {
		case o := <-c:
			return o, true
		default:
			return owned{}, false
		}
	}
	switch k := rng.IntN(20); {
	case k < 2 && len(w.syncs) > 0: // either side confirms a sync, now and then both at once
		s := w.syncs[rng.IntN(min(len(w.syncs), 50))]
		who, list := w.t.byID[s.Owner], &w.salesConfirmed
		if rng.IntN(2) == 0 {
			who, list = w.t.byID[s.DevRel], &w.devRelConfirmed
		}
		if who != nil {
			status, err := w.post(who, i, fmt.Sprintf("/meetings/%d/sync/confirm", s.Meeting), url.Values{})
			return status, record(&w.mu, status, err, list, s.Meeting)
		}
	case k < 4:
		if o, ok := take(w.toClear); ok && w.t.byID[o.owner] != nil {
			status, err := w.post(w.t.byID[o.owner], i, fmt.Sprintf("/offers/%d/clear", o.id), url.Values{})
			return status, record(&w.mu, status, err, &w.cleared, o.id)
		}
	case k < 5:
		if o, ok := take(w.toHold); ok && w.t.byID[o.owner] != nil {
			status, err := w.post(w.t.byID[o.owner], i, fmt.Sprintf("/offers/%d/hold", o.id), url.Values{"trigger": {"If they ask for a discount"}, "reason": {"Kept for the negotiation (team day)"}})
			return status, record(&w.mu, status, err, &w.held, o.id)
		}
	case k < 7:
		if m, ok := take(w.pastMeetings); ok && w.t.byID[m.owner] != nil {
			status, err := w.post(w.t.byID[m.owner], i, fmt.Sprintf("/meetings/%d/held", m.id), url.Values{"outcome": {"Agreed the next step (team day)"}, "early": {"1"}})
			return status, record(&w.mu, status, err, &w.marked, m.id)
		}
	case k < 9:
		title := fmt.Sprintf("Team day meeting %s %d", w.run, n)
		start := time.Now().UTC().Add(time.Duration(48+rng.IntN(200)) * time.Hour).Truncate(time.Hour)
		status, err := w.post(p, i, fmt.Sprintf("/deals/%d/meetings", deal), url.Values{"title": {title}, "type": {"demo"},
			"starts_at": {start.Format(domain.DateTimeLayout)}, "ends_at": {start.Add(time.Hour).Format(domain.DateTimeLayout)}})
		return status, record(&w.mu, status, err, &w.meets, title)
	case k < 11:
		// A stage move from the version the edit page shows.
		body, status, err := get(p.client, w.url(i, fmt.Sprintf("/deals/%d/edit", deal)))
		v := versionField.FindSubmatch(body)
		if err != nil || v == nil {
			return status, err
		}
		var version int64
		fmt.Sscan(string(v[1]), &version)
		status, err = w.post(p, i, fmt.Sprintf("/deals/%d/stage", deal), url.Values{"stage": {string(domain.Stages[rng.IntN(5)])}, "version": {string(v[1])}})
		if err == nil && status == http.StatusSeeOther {
			w.mu.Lock()
			w.moves[deal] = max(w.moves[deal], version)
			w.mu.Unlock()
		}
		return status, err
	case k < 14:
		title := fmt.Sprintf("Team day task %s %d", w.run, n)
		status, err := w.post(p, i, fmt.Sprintf("/deals/%d/tasks", deal), url.Values{"title": {title}, "due_on": {time.Now().AddDate(0, 0, 7).Format(domain.DateLayout)}})
		return status, record(&w.mu, status, err, &w.tasks, title)
	}
	body := fmt.Sprintf("Team day note %s %d", w.run, n)
	status, err := w.post(p, i, fmt.Sprintf("/deals/%d/notes", deal), url.Values{"body": {body}})
	return status, record(&w.mu, status, err, &w.notes, body)
}

// record keeps what a change made once the server acknowledged it (303).
func record[T any](mu *sync.Mutex, status int, err error, list *[]T, v T) error {
	if err != nil || status != http.StatusSeeOther {
		return err
	}
	mu.Lock()
	defer mu.Unlock()
	*list = append(*list, v)
	return nil
}

// verify finds every acknowledged change in the database.
func (w *day) verify(out io.Writer, d *db.DB) error {
	var moved []int64
	var missing []string
	count := func(name, table, cond string, n int, values any, args ...any) {
		var c int64
		switch v := values.(type) {
		case []string:
			c, _ = found(d, table, cond, v, args...)
		case []int64:
			c, _ = found(d, table, cond, v, args...)
		}
		if c != int64(n) {
			missing = append(missing, name)
		}
		fmt.Fprintf(out, " %s %d/%d", name, c, n)
	}
	fmt.Fprintf(out, "%-22s", "team writes found")
	count("notes", "deal_notes", "body IN ?", len(w.notes), w.notes)
	count("tasks", "tasks", "title IN ?", len(w.tasks), w.tasks)
	count("meetings", "meetings", "title IN ?", len(w.meets), w.meets)
	count("marked held", "meetings", "id IN ? AND status = 'held'", len(w.marked), w.marked)
	count("offers cleared", "offers", "id IN ? AND status = ?", len(w.cleared), w.cleared, domain.OfferCleared)
	count("held in reserve", "offers", "id IN ? AND status = ?", len(w.held), w.held, domain.OfferReserved)
	sales := slices.Compact(slices.Sorted(slices.Values(w.salesConfirmed)))
	devRel := slices.Compact(slices.Sorted(slices.Values(w.devRelConfirmed)))
	count("syncs by sales", "syncs", "meeting_id IN ? AND sales_confirmed_at >= ?", len(sales), sales, w.began)
	count("syncs by DevRel", "syncs", "meeting_id IN ? AND dev_rel_confirmed_at >= ?", len(devRel), devRel, w.began)
	// A move acknowledged from version v leaves the deal past v.
	var past int
	for deal, v := range w.moves {
		moved = append(moved, deal)
		var now int64
		if err := d.Read.Table("deals").Where("id = ?", deal).Pluck("version", &now).Error; err == nil && now > v {
			past++
		}
	}
	if past != len(moved) {
		missing = append(missing, "stage moves")
	}
	fmt.Fprintf(out, " stage moves %d/%d\n", past, len(moved))
	if len(missing) > 0 {
		return fmt.Errorf("acknowledged changes are missing from the database: %v", missing)
	}
	return nil
}
