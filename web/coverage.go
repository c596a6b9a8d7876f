package web

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
	"github.com/presale/presale/internal/service"
	"github.com/presale/presale/views/pages"
)

// coverageHandlers serve the managers' coverage review, as a page and as
// a CSV file.
type coverageHandlers struct {
	svc  *service.Service
	site site
}

// coverageFilter reads the review's filter from the URL; dates are whole
// days in the viewer's zone, the end day included.
func (h *coverageHandlers) coverageFilter(c echo.Context) (read.CoverageFilter, error) {
	return coveragePeriod(queryID(c, "owner"), queryID(c, "devrel"), c.QueryParam("from"), c.QueryParam("to"), h.site.location(c))
}

// coveragePeriod reads the coverage review's narrowing and period, the
// dates in loc; the pages and the API share it.
func coveragePeriod(owner, devrel int64, from, to string, loc *time.Location) (read.CoverageFilter, error) {
	f := read.CoverageFilter{OwnerID: owner, DevRelID: devrel}
	errs := domain.ValidationErrors{}
	if from != "" {
		t, err := time.ParseInLocation(domain.DateLayout, from, loc)
		if err != nil {
			errs.Add("from", "Enter the start of the period as YYYY-MM-DD.")
		}
		f.From = t.UTC()
	}
	if to != "" {
		t, err := time.ParseInLocation(domain.DateLayout, to, loc)
		if err != nil {
			errs.Add("to", "Enter the end of the period as YYYY-MM-DD.")
		}
		f.To = t.Add(24 * time.Hour).UTC()
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.To.After(f.From) {
		errs.Add("to", "The period must end after it starts.")
	}
	return f, errs.Err()
}

func (h *coverageHandlers) coverage(c echo.Context) error {
	ctx := c.Request().Context()
	f, err := h.coverageFilter(c)
	if err != nil {
		return err
	}
	cov, err := h.svc.Desk.Coverage(ctx, signedIn(c), f)
	if err != nil {
		return err
	}
	owners, err := h.svc.People.Owners(ctx)
	if err != nil {
		return err
	}
	devrel, err := h.svc.People.DevRelUsers(ctx)
	if err != nil {
		return err
	}
	loc := h.site.location(c)
	csvURL := "/coverage.csv"
	if q := c.QueryParams().Encode(); q != "" {
		csvURL += "?" + q
	}
	return h.site.render(c, http.StatusOK, pages.Coverage(h.site.shell(c, "Coverage"), pages.CoverageView{
		Query: c.QueryParams(), OwnerID: f.OwnerID, DevRelID: f.DevRelID,
		From: cov.Filter.From.In(loc).Format(domain.DateLayout), To: cov.Filter.To.Add(-time.Second).In(loc).Format(domain.DateLayout),
		Owners: read.PeopleOf(owners), DevRelUsers: read.PeopleOf(devrel), Total: cov.Total, ByStage: cov.ByStage, BySalesperson: cov.BySalesperson,
		Meetings: cov.Meetings, WithDevRel: cov.WithDevRel, WithoutDevRel: cov.WithoutDevRel, AtRisk: cov.AtRisk, Now: h.svc.Now(),
		Support: cov.Support, DevRel: cov.DevRel, Offers: cov.Offers, AcceptanceRate: cov.AcceptanceRate(), DeclineRate: cov.DeclineRate(),
		ReserveRate: cov.ReserveRate(), Promises: cov.Promises, Trend: cov.Trend, CSVURL: csvURL,
	}))
}

// coverageCSV is the same figures as the page, one row per salesperson
// per stage, values per currency in columns of their own (RFC 4180, UTF-8
// with a byte-order mark so spreadsheets read names right).
func (h *coverageHandlers) coverageCSV(c echo.Context) error {
	f, err := h.coverageFilter(c)
	if err != nil {
		return err
	}
	cov, err := h.svc.Desk.Coverage(c.Request().Context(), signedIn(c), f)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	buf.WriteString("\uFEFF")
	w := csv.NewWriter(&buf)
	w.UseCRLF = true
	header := []string{"salesperson", "stage", "open_deals", "deals_with_devrel", "share_with_devrel"}
	for _, cur := range cov.Currencies {
		header = append(header, "open_value_"+cur, "value_with_devrel_"+cur)
	}
	rep := cov.Money.Rates.Reporting
	header = append(header, "open_value_in_"+rep, "value_with_devrel_in_"+rep, "weighted_value_in_"+rep, "rate_note")
	_ = w.Write(header)
	for _, r := range coverageCSVRows(cov) {
		_ = w.Write(spreadsheetSafe(r))
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="presale-coverage.csv"`)
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}

// coverageCSVRows folds the pipeline cells into one row per salesperson
// per open stage: values as priced, then converted to the reporting
// currency with what the conversion rests on.
func coverageCSVRows(cov service.Coverage) [][]string {
	var out [][]string
	for _, r := range cov.BySalespersonAndStage() {
		line := []string{r.Owner, r.Stage.Label(), fmt.Sprint(r.Deals), fmt.Sprint(r.Covered), fmt.Sprintf("%.1f", 100*float64(r.Covered)/float64(r.Deals))}
		for _, cur := range cov.Currencies {
			var open, covered int64
			for _, v := range r.Values {
				if v.Currency == cur {
					open, covered = open+v.Value, covered+v.Covered
				}
			}
			line = append(line, domain.DecimalAmount(open), domain.DecimalAmount(covered))
		}
		note := r.Value
		note.Merge(r.CoveredValue)
		line = append(line, domain.DecimalAmount(r.Value.Minor), domain.DecimalAmount(r.CoveredValue.Minor), domain.DecimalAmount(r.Weighted.Minor), note.Caveat())
		out = append(out, line)
	}
	return out
}

// spreadsheetSafe keeps a spreadsheet from running a cell as a formula: a
// cell that starts with =, +, -, @, a tab or a carriage return (a name
// typed by anyone) gets a leading apostrophe, as OWASP advises.
func spreadsheetSafe(record []string) []string {
	for i, cell := range record {
		if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
			record[i] = "'" + cell
		}
	}
	return record
}

// scopeNote says whose deals a list opened from the coverage review is
// narrowed to ("on Sofia Reyes's deals"), or nothing.
func scopeNote(c echo.Context, svc *service.Service, dealOwnerID, devrelID int64) (string, error) {
	if dealOwnerID == 0 && devrelID == 0 {
		return "", nil
	}
	var parts []string
	if dealOwnerID != 0 {
		name, err := userName(c, svc, dealOwnerID)
		if err != nil {
			return "", err
		}
		parts = append(parts, "on "+name+"'s deals")
	}
	if devrelID != 0 {
		name, err := userName(c, svc, devrelID)
		if err != nil {
			return "", err
		}
		parts = append(parts, "on the deals "+name+" is assigned to")
	}
	return strings.Join(parts, ", "), nil
}

// userName names one person for a page's words; an unknown id reads as
// "someone" rather than failing a list that only narrows by it.
func userName(c echo.Context, svc *service.Service, id int64) (string, error) {
	u, err := svc.People.User(c.Request().Context(), id)
	if errors.Is(err, domain.ErrNotFound) {
		return "someone", nil
	}
	return u.Name, err
}
