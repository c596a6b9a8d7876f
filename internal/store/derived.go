package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
)

// Derived state is kept here, in Go, in the transaction of the change
// that moves it: each deal's figures (domain.FiguresOf) are kept beside
// it in deal_figures, and a change to the deal replaces them, adding the
// difference to the rollups. The same rule rebuilds everything from the
// rows (Rebuild) and checks what was kept against them (Drift).

// rollupTables says which column of each rollup holds which part of a
// figure's key, and which hold its numbers.
var rollupTables = map[domain.Rollup]struct {
	keys   []keyColumn
	values []string
}{
	domain.RollupPipeline:     {[]keyColumn{{"owner_id", keyA}, {"stage", keyS}, {"currency", keyT}}, []string{"deals", "covered", "value", "covered_value"}},
	domain.RollupPipelineDays: {[]keyColumn{{"day", keyA}, {"owner_id", keyB}, {"currency", keyT}}, []string{"deals", "covered", "value", "covered_value"}},
	domain.RollupDeals:        {[]keyColumn{{"owner_id", keyA}, {"stage", keyS}, {"currency", keyT}}, []string{"deals", "value"}},
	domain.RollupOffers:       {[]keyColumn{{"day", keyA}, {"status", keyS}}, []string{"offers"}},
	domain.RollupPromises:     {[]keyColumn{{"due_day", keyA}, {"feasibility", keyS}}, []string{"promises"}},
	domain.RollupMeetings:     {[]keyColumn{{"hour", keyA}, {"sync_state", keyS}}, []string{"meetings"}},
	domain.RollupAttendance:   {[]keyColumn{{"hour", keyA}, {"user_id", keyB}}, []string{"meetings"}},
	domain.RollupLoads:        {[]keyColumn{{"user_id", keyA}}, []string{"deals"}},
	domain.RollupEvidence: {[]keyColumn{{"closed_day", keyB}, {"deal_id", keyA}, {"facts", keyS}, {"currency", keyT}},
		[]string{"deals", "won", "amount", "days"}},
}

// keyColumn is a rollup's column and the part of a figure's key it holds
// (a pointer into the key: written from it, scanned into it).
type keyColumn struct {
	name string
	of   func(*domain.FigureKey) any
}

func keyA(k *domain.FigureKey) any { return &k.A }
func keyB(k *domain.FigureKey) any { return &k.B }
func keyS(k *domain.FigureKey) any { return &k.S }
func keyT(k *domain.FigureKey) any { return &k.T }

// value is the column's part of k.
func (c keyColumn) value(k domain.FigureKey) any {
	switch p := c.of(&k).(type) {
	case *int64:
		return *p
	case *string:
		return *p
	}
	panic("a key part is a number or a word")
}

// keyNames are a rollup's key columns.
func keyNames(cs []keyColumn) []string {
	names := make([]string, len(cs))
	for i, c := range cs {
		names[i] = c.name
	}
	return names
}

// KeepDerived brings the derived state of the deals named up to date with
// their rows, in the writing transaction: their figures in the rollups,
// their meetings' sync states and copies of the deal's owner and of each
// meeting's start, and each deal's revision (a page kept of it is no
// longer true). On PostgreSQL the deals are locked first, in id order, so
// two changes to one deal take their turns and the second reads the
// first's rows.
func (s Derived) KeepDerived(ctx context.Context, dealIDs []int64) error {
	ids := slices.Compact(slices.Sorted(slices.Values(dealIDs)))
	for chunk := range slices.Chunk(ids, 500) { // an import's thousands, 500 at a time
		if s.postgres() {
			var locked []int64
			if err := s.write(ctx).Raw("SELECT id FROM deals WHERE id IN ? ORDER BY id FOR NO KEY UPDATE", chunk).Scan(&locked).Error; err != nil {
				return err
			}
		}
		if err := s.write(ctx).Exec("UPDATE deals SET revision = revision + 1 WHERE id IN ?", chunk).Error; err != nil {
			return err
		}
	}
	change := domain.Totals{}
	for chunk := range slices.Chunk(ids, 500) {
		facts, err := s.dealFacts(ctx, chunk)
		if err != nil {
			return err
		}
		before, err := s.keptFigures(ctx, chunk)
		if err != nil {
			return err
		}
		now := map[int64]domain.Figures{}
		for _, id := range chunk {
			if f, ok := facts[id]; ok {
				now[id] = domain.FiguresOf(f)
			}
			change.Add(now[id].Since(before[id]))
		}
		// deal_figures before the rollups, in the order Rebuild locks them.
		if err := s.keepFigures(ctx, chunk, now); err != nil {
			return err
		}
		if err := s.keepCopies(ctx, chunk, facts); err != nil {
			return err
		}
	}
	return s.addToRollups(ctx, change.Figures())
}

// DealsAttendedBy are the deals whose meetings any of people attend: a
// change of role moves their sync states.
func (s Derived) DealsAttendedBy(ctx context.Context, people []int64) ([]int64, error) {
	var ids []int64
	return ids, s.write(ctx).Raw(`SELECT DISTINCT m.deal_id FROM meetings m JOIN meeting_attendees ma ON ma.meeting_id = m.id
		WHERE ma.user_id IN ?`, people).Scan(&ids).Error
}

// dealFacts reads what the deals' derived state is worked out from, in
// eight queries for any number of deals.
func (s Derived) dealFacts(ctx context.Context, ids []int64) (map[int64]domain.DealFacts, error) {
	q := s.write(ctx)
	var deals []domain.Deal
	if err := q.Where("id IN ?", ids).Find(&deals).Error; err != nil {
		return nil, err
	}
	out := make(map[int64]domain.DealFacts, len(deals))
	for _, d := range deals {
		out[d.ID] = domain.DealFacts{Deal: d}
	}
	with := func(id int64, fn func(f *domain.DealFacts)) {
		if f, ok := out[id]; ok {
			fn(&f)
			out[id] = f
		}
	}
	var as []domain.Assignment
	if err := q.Where("deal_id IN ?", ids).Order("id").Find(&as).Error; err != nil {
		return nil, err
	}
	for _, a := range as {
		with(a.DealID, func(f *domain.DealFacts) { f.Assignments = append(f.Assignments, a) })
	}
	var offers []domain.Offer
	if err := q.Select("id, deal_id, status, created_at").Where("deal_id IN ?", ids).Order("id").Find(&offers).Error; err != nil {
		return nil, err
	}
	for _, o := range offers {
		with(o.DealID, func(f *domain.DealFacts) { f.Offers = append(f.Offers, o) })
	}
	var promises []domain.Promise
	if err := q.Select("id, deal_id, status, feasibility, due_date").Where("deal_id IN ?", ids).Order("id").Find(&promises).Error; err != nil {
		return nil, err
	}
	for _, p := range promises {
		with(p.DealID, func(f *domain.DealFacts) { f.Promises = append(f.Promises, p) })
	}
	var meetings []domain.Meeting
	if err := q.Select("id, deal_id, status, starts_at").Where("deal_id IN ?", ids).Order("id").Find(&meetings).Error; err != nil {
		return nil, err
	}
	var attendees []struct {
		MeetingID int64
		ID        int64
		Role      domain.Role
	}
	if err := q.Raw(`SELECT ma.meeting_id, u.id, u.role FROM meeting_attendees ma JOIN meetings m ON m.id = ma.meeting_id
		JOIN users u ON u.id = ma.user_id WHERE m.deal_id IN ? ORDER BY ma.meeting_id, u.id`, ids).Scan(&attendees).Error; err != nil {
		return nil, err
	}
	var syncs []domain.Sync
	if err := q.Raw(`SELECT sy.* FROM syncs sy JOIN meetings m ON m.id = sy.meeting_id WHERE m.deal_id IN ?`, ids).Scan(&syncs).Error; err != nil {
		return nil, err
	}
	byMeeting := map[int64]*domain.MeetingFacts{}
	for _, m := range meetings {
		byMeeting[m.ID] = &domain.MeetingFacts{Meeting: m}
	}
	for _, a := range attendees {
		if m := byMeeting[a.MeetingID]; m != nil {
			m.Attendees = append(m.Attendees, domain.User{ID: a.ID, Role: a.Role})
		}
	}
	for _, sy := range syncs {
		if m := byMeeting[sy.MeetingID]; m != nil {
			m.Sync = &sy
		}
	}
	for _, m := range meetings {
		with(m.DealID, func(f *domain.DealFacts) { f.Meetings = append(f.Meetings, *byMeeting[m.ID]) })
	}
	var last []struct {
		DealID int64
		At     read.DBTime
	}
	if err := q.Raw("SELECT deal_id, MAX(at) AS at FROM events WHERE deal_id IN ? AND entity IN "+syncEntities+" GROUP BY deal_id", ids).
		Scan(&last).Error; err != nil {
		return nil, err
	}
	for _, l := range last {
		with(l.DealID, func(f *domain.DealFacts) { f.LastSyncChange = l.At.Time })
	}
	var moves []struct {
		DealID, EntityID int64
		Action           string
		At               read.DBTime
		Before, After    string
	}
	if err := q.Raw(`SELECT e.deal_id, e.entity_id, e.action, e.at, e.before_summary AS before, e.after_summary AS after FROM events e WHERE e.deal_id IN ? AND e.entity = ? AND e.action IN ?
		ORDER BY e.at, e.id`, ids, domain.EntityOffer, []string{string(domain.OfferHold), string(domain.OfferRelease), "undo"}).Scan(&moves).Error; err != nil {
		return nil, err
	}
	for _, m := range moves {
		for _, c := range domain.DecodeChanges(m.Before, m.After) {
			if c.Field == "status" && (c.Old == string(domain.OfferReserved) || c.New == string(domain.OfferReserved)) {
				move := domain.ReserveMove{OfferID: m.EntityID, At: m.At.Time, Action: m.Action, From: domain.OfferStatus(c.Old), To: domain.OfferStatus(c.New)}
				with(m.DealID, func(f *domain.DealFacts) { f.ReserveMoves = append(f.ReserveMoves, move) })
			}
		}
	}
	return out, nil
}

// storedFigure is a figure as deal_figures keeps it.
type storedFigure struct {
	R string   `json:"r"`
	A int64    `json:"a,omitempty"`
	B int64    `json:"b,omitempty"`
	S string   `json:"s,omitempty"`
	T string   `json:"t,omitempty"`
	N [4]int64 `json:"n"`
}

// keptFigures reads the figures kept for the deals.
func (s Derived) keptFigures(ctx context.Context, ids []int64) (map[int64]domain.Figures, error) {
	var rows []struct {
		DealID  int64
		Figures string
	}
	if err := s.write(ctx).Raw("SELECT deal_id, figures FROM deal_figures WHERE deal_id IN ?", ids).Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := make(map[int64]domain.Figures, len(rows))
	for _, r := range rows {
		var stored []storedFigure
		if err := json.Unmarshal([]byte(r.Figures), &stored); err != nil {
			return nil, fmt.Errorf("deal %d's figures: %w", r.DealID, err)
		}
		fs := make(domain.Figures, len(stored))
		for i, f := range stored {
			fs[i] = domain.Figure{Key: domain.FigureKey{Rollup: domain.Rollup(f.R), A: f.A, B: f.B, S: f.S, T: f.T}, N: f.N}
		}
		out[r.DealID] = fs
	}
	return out, nil
}

// keepFigures replaces the figures kept for the deals by now's (a deal
// not in now is gone).
func (s Derived) keepFigures(ctx context.Context, ids []int64, now map[int64]domain.Figures) error {
	if err := s.write(ctx).Exec("DELETE FROM deal_figures WHERE deal_id IN ?", ids).Error; err != nil {
		return err
	}
	var rows []map[string]any
	for _, id := range ids {
		fs, ok := now[id]
		if !ok {
			continue
		}
		stored := make([]storedFigure, len(fs))
		for i, f := range fs {
			stored[i] = storedFigure{string(f.Key.Rollup), f.Key.A, f.Key.B, f.Key.S, f.Key.T, f.N}
		}
		body, err := json.Marshal(stored)
		if err != nil {
			return err
		}
		rows = append(rows, map[string]any{"deal_id": id, "figures": string(body)})
	}
	if len(rows) == 0 {
		return nil
	}
	return s.write(ctx).Table("deal_figures").CreateInBatches(rows, 500).Error
}

// addToRollups adds change to the rollups, one statement a rollup, in
// the order of domain.Rollups and of the keys.
func (s Derived) addToRollups(ctx context.Context, change domain.Figures) error {
	for _, r := range domain.Rollups {
		t := rollupTables[r]
		keys := keyNames(t.keys)
		var sets []string
		for _, v := range t.values {
			sets = append(sets, fmt.Sprintf("%s = %s.%s + excluded.%s", v, r, v, v))
		}
		cols := append(slices.Clone(keys), t.values...)
		row := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
		var values []string
		var args []any
		flush := func() error {
			if len(values) == 0 {
				return nil
			}
			err := s.write(ctx).Exec("INSERT INTO "+string(r)+" ("+strings.Join(cols, ", ")+") VALUES "+strings.Join(values, ", ")+
				" ON CONFLICT ("+strings.Join(keys, ", ")+") DO UPDATE SET "+strings.Join(sets, ", "), args...).Error
			values, args = nil, nil
			return err
		}
		for _, f := range change {
			if f.Key.Rollup != r {
				continue
			}
			for _, k := range t.keys {
				args = append(args, k.value(f.Key))
			}
			for i := range t.values {
				args = append(args, f.N[i])
			}
			values = append(values, row)
			if len(values) == 200 {
				if err := flush(); err != nil {
					return err
				}
			}
		}
		if err := flush(); err != nil {
			return err
		}
	}
	return nil
}

// keepCopies brings what meetings, offers and attendances keep of their
// deal up to date: each meeting's sync state, the deal's owner (the desks
// read meetings and offers by it) and each attendance's start while the
// meeting is scheduled (a DevRel's calendar reads it).
func (s Derived) keepCopies(ctx context.Context, ids []int64, facts map[int64]domain.DealFacts) error {
	states := map[domain.SyncState][]int64{}
	for _, id := range ids {
		f := facts[id]
		for _, m := range f.Meetings {
			st := m.SyncState(f.LastSyncChange)
			states[st] = append(states[st], m.Meeting.ID)
		}
	}
	w := s.write(ctx)
	for _, st := range domain.SyncStates {
		for chunk := range slices.Chunk(states[st], 500) {
			if err := w.Exec("UPDATE meetings SET sync_state = ? WHERE id IN ? AND sync_state <> ?", st, chunk, st).Error; err != nil {
				return err
			}
		}
	}
	for _, table := range []string{"meetings", "offers"} {
		err := w.Exec(`UPDATE `+table+` SET deal_owner_id = (SELECT owner_id FROM deals WHERE deals.id = `+table+`.deal_id)
			WHERE deal_id IN ? AND deal_owner_id IS DISTINCT FROM (SELECT owner_id FROM deals WHERE deals.id = `+table+`.deal_id)`, ids).Error
		if err != nil {
			return err
		}
	}
	const start = "(SELECT CASE WHEN m.status = 'scheduled' THEN m.starts_at END FROM meetings m WHERE m.id = meeting_attendees.meeting_id)"
	return w.Exec(`UPDATE meeting_attendees SET scheduled_at = `+start+`
		WHERE meeting_id IN (SELECT id FROM meetings WHERE deal_id IN ?) AND scheduled_at IS DISTINCT FROM `+start, ids).Error
}

// Rebuild works every deal's derived state out again from the rows, as
// KeepDerived keeps it, replacing what was kept: for a database filled
// without the service (the seeds), an upgrade, or `presale rebuild`.
func (s Derived) Rebuild(ctx context.Context) error {
	return s.store().Tx(ctx, func(tx *Store) error {
		w := tx.write(ctx)
		if tx.postgres() {
			// Writers wait while the figures are replaced under them: every
			// table a writer's KeepDerived writes, in its order, at once.
			tables := []string{"deal_figures"}
			for _, r := range domain.Rollups {
				tables = append(tables, string(r))
			}
			if err := w.Exec("LOCK TABLE " + strings.Join(tables, ", ") + " IN EXCLUSIVE MODE").Error; err != nil {
				return err
			}
		}
		for _, r := range domain.Rollups {
			if err := w.Exec("DELETE FROM " + string(r)).Error; err != nil {
				return err
			}
		}
		if err := w.Exec("DELETE FROM deal_figures").Error; err != nil {
			return err
		}
		all := domain.Totals{}
		err := tx.Derived().eachDeals(ctx, func(ids []int64, facts map[int64]domain.DealFacts) error {
			now := map[int64]domain.Figures{}
			for id, f := range facts {
				now[id] = domain.FiguresOf(f)
				all.Add(now[id])
			}
			if err := tx.Derived().keepFigures(ctx, ids, now); err != nil {
				return err
			}
			return tx.Derived().keepCopies(ctx, ids, facts)
		})
		if err != nil {
			return err
		}
		if err := tx.Derived().addToRollups(ctx, all.Figures()); err != nil {
			return err
		}
		return w.Exec("UPDATE deals SET revision = revision + 1").Error
	})
}

// RebuildIfNeeded rebuilds when deals have no figures kept: a database
// from before the figures were kept in Go (migration 41).
func (s Derived) RebuildIfNeeded(ctx context.Context) (bool, error) {
	var missing bool
	err := s.read(ctx).Raw("SELECT EXISTS (SELECT 1 FROM deals WHERE NOT EXISTS (SELECT 1 FROM deal_figures f WHERE f.deal_id = deals.id))").
		Scan(&missing).Error
	if err != nil || !missing {
		return false, err
	}
	return true, s.Rebuild(ctx)
}

// eachDeals calls fn with the facts of every deal, 500 at a time.
func (s Derived) eachDeals(ctx context.Context, fn func(ids []int64, facts map[int64]domain.DealFacts) error) error {
	var after int64
	for {
		var ids []int64
		if err := s.write(ctx).Raw("SELECT id FROM deals WHERE id > ? ORDER BY id LIMIT 500", after).Scan(&ids).Error; err != nil {
			return err
		}
		if len(ids) == 0 {
			return nil
		}
		facts, err := s.dealFacts(ctx, ids)
		if err != nil {
			return err
		}
		if err := fn(ids, facts); err != nil {
			return err
		}
		after = ids[len(ids)-1]
	}
}

// Drift works the derived state out from the rows and lists where what
// is kept differs from it: nothing, when every change kept it.
func (s Derived) Drift(ctx context.Context) ([]string, error) {
	var drift []string
	all := domain.Totals{}
	err := s.eachDeals(ctx, func(ids []int64, facts map[int64]domain.DealFacts) error {
		kept, err := s.keptFigures(ctx, ids)
		if err != nil {
			return err
		}
		var states []struct {
			ID        int64
			SyncState domain.SyncState
		}
		if err := s.write(ctx).Raw("SELECT id, sync_state FROM meetings WHERE deal_id IN ?", ids).Scan(&states).Error; err != nil {
			return err
		}
		state := map[int64]domain.SyncState{}
		for _, st := range states {
			state[st.ID] = st.SyncState
		}
		for _, id := range ids {
			f := facts[id]
			fs := domain.FiguresOf(f)
			all.Add(fs)
			if d := fs.Since(kept[id]); len(d) > 0 {
				drift = append(drift, fmt.Sprintf("deal %d's figures: %v off", id, d))
			}
			for _, m := range f.Meetings {
				if want := m.SyncState(f.LastSyncChange); state[m.Meeting.ID] != want {
					drift = append(drift, fmt.Sprintf("meeting %d: sync state %s, want %s", m.Meeting.ID, state[m.Meeting.ID], want))
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	kept, err := s.rollups(ctx)
	if err != nil {
		return nil, err
	}
	for _, f := range all.Figures().Since(kept) {
		drift = append(drift, fmt.Sprintf("%s %+v: the rows give %v more than kept", f.Key.Rollup, f.Key, f.N))
	}
	copies, err := s.copyDrift(ctx)
	return append(drift, copies...), err
}

// rollups reads every rollup as figures.
func (s Derived) rollups(ctx context.Context) (domain.Figures, error) {
	var out []domain.Figure
	for _, r := range domain.Rollups {
		t := rollupTables[r]
		cols := append(keyNames(t.keys), t.values...)
		rows, err := s.read(ctx).Raw("SELECT " + strings.Join(cols, ", ") + " FROM " + string(r)).Rows()
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			f := domain.Figure{Key: domain.FigureKey{Rollup: r}}
			dest := make([]any, 0, len(cols))
			for _, k := range t.keys {
				dest = append(dest, k.of(&f.Key))
			}
			for i := range t.values {
				dest = append(dest, &f.N[i])
			}
			if err := rows.Scan(dest...); err != nil {
				rows.Close()
				return nil, err
			}
			out = append(out, f)
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
	}
	return domain.Sum(out), nil
}

// copyDrift lists the copies of a deal's owner and of a meeting's start
// that differ from what they copy.
func (s Derived) copyDrift(ctx context.Context) ([]string, error) {
	var drift []string
	for name, q := range map[string]string{
		"meeting owner": "SELECT m.id FROM meetings m JOIN deals d ON d.id = m.deal_id WHERE m.deal_owner_id IS DISTINCT FROM d.owner_id",
		"offer owner":   "SELECT o.id FROM offers o JOIN deals d ON d.id = o.deal_id WHERE o.deal_owner_id IS DISTINCT FROM d.owner_id",
		"attendance start": `SELECT ma.meeting_id FROM meeting_attendees ma JOIN meetings m ON m.id = ma.meeting_id
			WHERE ma.scheduled_at IS DISTINCT FROM (CASE WHEN m.status = 'scheduled' THEN m.starts_at END)`,
	} {
		var ids []int64
		if err := s.read(ctx).Raw(q).Scan(&ids).Error; err != nil {
			return nil, err
		}
		for _, id := range ids {
			drift = append(drift, fmt.Sprintf("%s of %d differs from the deal's", name, id))
		}
	}
	return drift, nil
}
