package web

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
	"github.com/presale/presale/internal/service"
	"github.com/presale/presale/views/components"
	"github.com/presale/presale/views/pages"
)

type evidenceHandlers struct {
	svc  *service.Service
	site site
}

// evidenceOf reads the evidence for the period the URL names.
func (h *evidenceHandlers) evidenceOf(c echo.Context) (service.Evidence, error) {
	return readEvidence(c.Request().Context(), h.svc, signedIn(c), h.site.location(c), c.QueryParam("from"), c.QueryParam("to"))
}

// readEvidence reads the evidence for the period from and to name (days,
// YYYY-MM-DD), by default the quarter under way and the three before it
// in the reader's zone; a date that is not one is refused.
func readEvidence(ctx context.Context, svc *service.Service, u domain.User, loc *time.Location, fromText, toText string) (service.Evidence, error) {
	from, to := service.EvidencePeriod(svc.Now().In(loc))
	errs := domain.ValidationErrors{}
	for name, v := range map[string]struct {
		text string
		t    *time.Time
	}{"from": {fromText, &from}, "to": {toText, &to}} {
		if v.text == "" {
			continue
		}
		d, err := time.Parse(domain.DateLayout, v.text)
		if err != nil {
			errs.Add(name, "Write the date as YYYY-MM-DD.")
			continue
		}
		*v.t = d
	}
	if err := errs.Err(); err != nil {
		return service.Evidence{}, err
	}
	return svc.Desk.Evidence(ctx, u, from, to)
}

// evidenceComparisons are the page's comparisons in its order, with what
// each asks; the reserve's only for those who read it.
func evidenceComparisons(e service.Evidence) []pages.EvidenceComparison {
	cs := []pages.EvidenceComparison{
		{Key: "room", Question: "Deals where a DevRel attended at least one held meeting before the close, against those where none did.", C: e.Report.Room},
		{Key: "sync", Question: "Of the deals with DevRel in the room: every such meeting confirmed in sync by both sides before it started, against at least one that was not.", C: e.Report.Sync},
	}
	if e.Levers {
		cs = append(cs, pages.EvidenceComparison{Key: "levers", Question: "Deals where an idea held in reserve was released, where one was held and never used, and where none was held; the first is compared with the last.", C: e.Report.Levers})
	}
	return append(cs, pages.EvidenceComparison{Key: "promises", Question: "Deals with at least one promise recorded, against deals with none.", C: e.Report.Promises})
}

func (h *evidenceHandlers) evidence(c echo.Context) error {
	e, err := h.evidenceOf(c)
	if err != nil {
		return err
	}
	v := pages.EvidenceView{From: e.From.Format(domain.DateLayout), To: e.To.Format(domain.DateLayout), Deals: e.Report.Deals, Currency: e.Currency,
		Missing: e.Missing, Bands: e.Report.Bands, Comparisons: evidenceComparisons(e), Levers: e.Levers, Outcomes: e.Report.Outcomes,
		OwnRowOnly: e.OwnRow, Quarters: e.Report.Quarters}
	for _, r := range e.Report.DevRel {
		v.DevRel = append(v.DevRel, pages.EvidenceDevRel{Name: e.Names[r.UserID], Row: r})
	}
	for _, g := range e.Gaps {
		v.Gaps = append(v.Gaps, pages.EvidenceGap{Label: e.Areas.Label(g.Area), Gap: g})
	}
	v.CSVURL = "/evidence.csv?from=" + v.From + "&to=" + v.To
	return h.site.render(c, http.StatusOK, pages.Evidence(h.site.shell(c, "Evidence"), v))
}

// evidenceDeals lists the deals behind one count of the page: a group of
// a comparison (c, g), within a size band if one is named, or a DevRel's
// deals (c=devrel, g their id).
func (h *evidenceHandlers) evidenceDeals(c echo.Context) error {
	e, err := h.evidenceOf(c)
	if err != nil {
		return err
	}
	g, gerr := strconv.Atoi(c.QueryParam("g"))
	band, berr := strconv.Atoi(c.QueryParam("band"))
	if c.QueryParam("band") == "" {
		band, berr = -1, nil
	}
	if gerr != nil || berr != nil || band < -1 || band > 2 {
		return domain.ErrNotFound
	}
	var (
		name string
		ids  []int64
	)
	switch c.QueryParam("c") {
	case "gap":
		for _, gap := range e.Gaps {
			if gap.Area == c.QueryParam("area") && (g == 0 || g == 1) {
				name, ids = "Product gaps: "+e.Areas.Label(gap.Area)+", the open deals at stake", gap.AtStake
				if g == 1 {
					name, ids = "Product gaps: "+e.Areas.Label(gap.Area)+", lost to a missing capability", gap.Lost
				}
			}
		}
	case domain.EvidenceDevRel:
		for _, r := range e.Report.DevRel {
			if r.UserID == int64(g) {
				name = e.Names[r.UserID]
			}
		}
	default:
		for _, cmp := range evidenceComparisons(e) {
			if cmp.Key == c.QueryParam("c") && g >= 0 && g < len(cmp.C.Groups) {
				name = cmp.C.Name + ": " + cmp.C.Groups[g].Name
			}
		}
	}
	if name == "" {
		return domain.ErrNotFound
	}
	if c.QueryParam("c") != "gap" {
		if ids, err = h.svc.Desk.EvidenceDeals(c.Request().Context(), signedIn(c), e.From, e.To, c.QueryParam("c"), int64(g), band); err != nil {
			return err
		}
	}
	f := read.DealFilter{IDs: ids, Sort: "-amount", Page: page(c)}
	list := service.PipelinePage{}
	if len(ids) > 0 {
		if list, err = h.svc.Deals.Pipeline(c.Request().Context(), f); err != nil {
			return err
		}
	}
	back := "/evidence?from=" + e.From.Format(domain.DateLayout) + "&to=" + e.To.Format(domain.DateLayout)
	return h.site.render(c, http.StatusOK, pages.EvidenceDeals(h.site.shell(c, "Evidence: "+name), pages.EvidenceDealsView{
		Name: name, Back: back, Rows: list.Rows, Pager: pager(c, f.Page, list.Total, "deals")}))
}

// evidenceCSV is the page's figures for a spreadsheet: a row per
// comparison, size band and group, plain numbers.
func (h *evidenceHandlers) evidenceCSV(c echo.Context) error {
	e, err := h.evidenceOf(c)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	buf.WriteString("\uFEFF")
	w := csv.NewWriter(&buf)
	w.UseCRLF = true
	_ = w.Write([]string{"comparison", "deal_size", "group", "deals", "won", "win_rate", "interval_low", "interval_high", "too_few_deals",
		"median_value_" + e.Currency, "median_days_to_close", "won_value_" + e.Currency})
	row := func(comparison, band string, g domain.Group) {
		lo, hi := g.Rate.Interval()
		share := ""
		if g.Rate.Deals > 0 {
			share = fmt.Sprintf("%.4f", g.Rate.Share())
		}
		_ = w.Write(spreadsheetSafe([]string{comparison, band, g.Name, fmt.Sprint(g.Rate.Deals), fmt.Sprint(g.Rate.Won), share,
			fmt.Sprintf("%.4f", lo), fmt.Sprintf("%.4f", hi), strconv.FormatBool(!g.Rate.Known()),
			components.Decimal(g.MedianValue), fmt.Sprint(g.MedianDays), components.Decimal(g.WonValue)}))
	}
	bands := []string{"small", "medium", "large"}
	for _, cmp := range evidenceComparisons(e) {
		for _, g := range cmp.C.Groups {
			row(cmp.C.Name, "all", g)
		}
		for b, groups := range cmp.C.Bands {
			for _, g := range groups {
				row(cmp.C.Name, bands[b], g)
			}
		}
	}
	for _, r := range e.Report.DevRel {
		g := r.Group
		g.Name = e.Names[r.UserID]
		row("Per DevRel", "all", g)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="presale-evidence.csv"`)
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}
