package web

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"
	"github.com/presale/presale/internal/csvfile"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
	"github.com/presale/presale/internal/service"
	"github.com/presale/presale/views/components"
	"github.com/presale/presale/views/pages"
)

// importHandlers serve the CSV import: upload, map, preview, confirm. The
// upload is kept in the database between the steps, so nothing is written
// to accounts, contacts or deals before the confirm, and any instance can
// take the next step.
type importHandlers struct {
	svc  *service.Service
	site site
}

// maxImportUpload is the largest import form: the file and its fields.
const maxImportUpload = csvfile.MaxSize + 1<<20

// importUpload reports the one route whose body may be larger than the
// others': the import's file.
func importUpload(c echo.Context) bool {
	return c.Request().Method == http.MethodPost && c.Path() == "/import"
}

func (h *importHandlers) imports(c echo.Context) error {
	return h.importsPage(c, http.StatusOK, pages.ImportsView{Kind: c.QueryParam("kind")})
}

func (h *importHandlers) importsPage(c echo.Context, status int, v pages.ImportsView) error {
	ctx, u := c.Request().Context(), signedIn(c)
	var err error
	if v.Recent, err = h.svc.Imports.Imports(ctx, u); err != nil {
		return err
	}
	v.Kinds = importableKinds(u)
	if !domain.Can(u, domain.ActionImport, domain.ImportSubject{KeepsMappings: true}) {
		return h.site.render(c, status, pages.Imports(h.site.shell(c, "Import"), v))
	}
	if v.Kept, err = h.svc.Imports.KeptMappings(ctx, u); err != nil {
		return err
	}
	if len(v.Kept) > 0 {
		owners, err := h.svc.People.Owners(ctx)
		if err != nil {
			return err
		}
		v.Owners = read.PeopleOf(owners)
		var ids []int64
		for _, m := range v.Kept {
			if id, err := strconv.ParseInt(m.Value, 10, 64); err == nil && m.What == domain.MapAccount {
				ids = append(ids, id)
			}
		}
		if v.Accounts, err = h.svc.Accounts.AccountChoices(ctx, "", 0, ids...); err != nil {
			return err
		}
	}
	return h.site.render(c, status, pages.Imports(h.site.shell(c, "Import"), v))
}

// importableKinds are the kinds of file u may import.
func importableKinds(u domain.User) []domain.ImportKind {
	var kinds []domain.ImportKind
	for _, k := range domain.ImportKinds {
		if domain.Can(u, domain.ActionImport, domain.ImportSubject{Kind: k}) {
			kinds = append(kinds, k)
		}
	}
	return kinds
}

// forgetMappings drops the mappings kept for a kind.
func (h *importHandlers) forgetMappings(c echo.Context) error {
	kind := domain.ImportKind(c.Param("kind"))
	n, err := h.svc.Imports.ForgetMappings(c.Request().Context(), signedIn(c), kind)
	if err != nil {
		return err
	}
	h.site.flash(c, "Forgot "+components.Plural(n, "kept "+kind.One()+" mapping", "kept "+kind.One()+" mappings")+": the next file is recognised afresh.")
	return c.Redirect(http.StatusSeeOther, "/import")
}

// uploadImport keeps the file and shows its mapping and preview.
func (h *importHandlers) uploadImport(c echo.Context) error {
	kind := c.FormValue("kind")
	refuse := func(errs domain.ValidationErrors) error {
		return h.importsPage(c, http.StatusUnprocessableEntity, pages.ImportsView{Kind: kind, Errors: errs})
	}
	fh, err := c.FormFile("file")
	if err != nil {
		return refuse(domain.ValidationErrors{"file": "Choose a CSV file of at most 20 MB."})
	}
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	content, err := io.ReadAll(io.LimitReader(f, csvfile.MaxSize+1))
	if err != nil {
		return err
	}
	im, err := h.svc.Imports.StartImport(c.Request().Context(), signedIn(c), domain.ImportKind(kind), fh.Filename, content)
	var invalid domain.ValidationErrors
	switch {
	case errors.As(err, &invalid):
		return refuse(invalid)
	case err != nil:
		return err
	}
	h.site.flash(c, "Uploaded "+im.FileName+". Check the columns and the preview, then confirm: nothing is saved before that.")
	return c.Redirect(http.StatusSeeOther, components.Path("/import/", im.ID))
}

func (h *importHandlers) importPage(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	im, err := h.svc.Imports.ImportByID(c.Request().Context(), signedIn(c), id)
	if err != nil {
		return err
	}
	return h.importView(c, http.StatusOK, im, pages.ImportView{Mapping: savedMapping(im.Plan)})
}

// importView draws an upload: what it did, or its mapping and preview.
func (h *importHandlers) importView(c echo.Context, status int, im domain.Import, v pages.ImportView) error {
	ctx := c.Request().Context()
	creator, err := userName(c, h.svc, im.CreatedBy)
	if err != nil {
		return err
	}
	v.Import, v.Creator = im, creator
	if im.Status == domain.ImportPending {
		if v.Preview, err = h.svc.Imports.PreviewImport(ctx, signedIn(c), im); err != nil {
			return err
		}
		owners, err := h.svc.People.Owners(ctx)
		if err != nil {
			return err
		}
		// The owners the importer may give deals to: a salesperson, themselves.
		u := signedIn(c)
		for _, o := range read.PeopleOf(owners) {
			if domain.Can(u, domain.ActionImport, domain.ImportSubject{Kind: im.Kind, DealOwnerIDs: []int64{o.ID}}) {
				v.Owners = append(v.Owners, o)
			}
		}
		v.MayKeep = domain.Can(u, domain.ActionImport, domain.ImportSubject{Kind: im.Kind, KeepsMappings: true})
		var ids []int64
		for _, id := range im.Plan.Accounts {
			ids = append(ids, id)
		}
		if v.Accounts, err = h.svc.Accounts.AccountChoices(ctx, "", 0, ids...); err != nil {
			return err
		}
		var failing []read.ImportLine
		for _, l := range v.Preview.Report.Lines {
			if l.Outcome == read.ImportFailing {
				failing = append(failing, l)
			}
		}
		pg := page(c)
		from := min((pg.Number-1)*pg.Size, len(failing))
		v.Failing = failing[from:min(from+pg.Size, len(failing))]
		v.Pager = pager(c, pg, int64(len(failing)), "failing rows")
	}
	return h.site.render(c, status, pages.Import(h.site.shell(c, im.FileName), v))
}

// savedMapping is a plan as the mapping form shows it.
func savedMapping(plan domain.ImportPlan) pages.ImportMapping {
	m := pages.ImportMapping{Columns: map[string]string{}, Stages: map[string]string{}, Owners: map[string]string{}, Accounts: map[string]string{},
		Currency: plan.Currency, Numbers: string(plan.Numbers), Dates: string(plan.Dates)}
	for key, id := range plan.Accounts {
		m.Accounts[key] = domain.NewAccountChoice
		if id != domain.NewAccount {
			m.Accounts[key] = strconv.FormatInt(id, 10)
		}
	}
	for f, i := range plan.Columns {
		m.Columns[f] = strconv.Itoa(i)
	}
	for name, st := range plan.Stages {
		m.Stages[name] = string(st)
	}
	for name, id := range plan.Owners {
		m.Owners[name] = strconv.FormatInt(id, 10)
	}
	return m
}

// mapImport saves the mapping; refused, the form keeps what was chosen.
func (h *importHandlers) mapImport(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	in := domain.ImportMappingInput{Columns: map[string]string{}, StageNames: formValues(c, "stage_name"), Stages: formValues(c, "stage"),
		OwnerNames: formValues(c, "owner_name"), Owners: formValues(c, "owner"), AccountNames: formValues(c, "account_name"), Accounts: formValues(c, "account"),
		Currency: c.FormValue("currency"), Numbers: c.FormValue("numbers"), Dates: c.FormValue("dates"), Remember: c.FormValue("remember") != ""}
	for _, fields := range domain.ImportFields {
		for _, f := range fields {
			in.Columns[f.Name] = c.FormValue("column_" + f.Name)
		}
	}
	version, _ := strconv.ParseInt(c.FormValue("version"), 10, 64)
	ctx := c.Request().Context()
	im, err := h.svc.Imports.MapImport(ctx, signedIn(c), id, version, in)
	var invalid domain.ValidationErrors
	switch {
	case errors.As(err, &invalid):
		return h.importView(c, http.StatusUnprocessableEntity, im, pages.ImportView{Mapping: postedMapping(in), Errors: invalid})
	case errors.Is(err, domain.ErrConflict):
		if im, err2 := h.svc.Imports.ImportByID(ctx, signedIn(c), id); err2 == nil {
			return h.importView(c, http.StatusConflict, im, pages.ImportView{Mapping: savedMapping(im.Plan), Problem: err.Error()})
		}
		return err
	case err != nil:
		return err
	}
	msg := "Mapping saved: the preview below uses it."
	if in.Remember {
		msg = "Mapping saved and kept for the next file: the preview below uses it."
	}
	h.site.flash(c, msg)
	return c.Redirect(http.StatusSeeOther, components.Path("/import/", id)+"#preview")
}

// postedMapping is the mapping form as sent, to show again.
func postedMapping(in domain.ImportMappingInput) pages.ImportMapping {
	m := pages.ImportMapping{Columns: in.Columns, Stages: map[string]string{}, Owners: map[string]string{}, Accounts: map[string]string{},
		Currency: in.Currency, Numbers: in.Numbers, Dates: in.Dates, Remember: in.Remember}
	for i, name := range in.AccountNames {
		if i < len(in.Accounts) {
			m.Accounts[domain.AccountKey(name)] = in.Accounts[i]
		}
	}
	for i, name := range in.StageNames {
		if i < len(in.Stages) {
			m.Stages[name] = in.Stages[i]
		}
	}
	for i, name := range in.OwnerNames {
		if i < len(in.Owners) {
			m.Owners[name] = in.Owners[i]
		}
	}
	return m
}

// confirmImport writes what the preview showed.
func (h *importHandlers) confirmImport(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	version, _ := strconv.ParseInt(c.FormValue("version"), 10, 64)
	ctx := c.Request().Context()
	im, report, err := h.svc.Imports.ConfirmImport(ctx, signedIn(c), id, version, c.FormValue("skip_failing") != "")
	if errors.Is(err, domain.ErrConflict) {
		// Failing rows not left out, or a confirm that came second: the
		// page as it is now, with why.
		current, err2 := h.svc.Imports.ImportByID(ctx, signedIn(c), id)
		if err2 != nil {
			return err2
		}
		return h.importView(c, http.StatusConflict, current, pages.ImportView{Mapping: savedMapping(current.Plan), Problem: err.Error()})
	}
	if err != nil {
		return err
	}
	msg := "Imported " + components.Plural(int64(report.New), im.Kind.One(), string(im.Kind)) + " from " + im.FileName + "."
	if report.Failing > 0 {
		msg += " " + components.Plural(int64(report.Failing), "failing row was", "failing rows were") + " left out."
	}
	h.site.flash(c, msg)
	return c.Redirect(http.StatusSeeOther, components.Path("/import/", id))
}

func (h *importHandlers) discardImport(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	im, err := h.svc.Imports.DiscardImport(c.Request().Context(), signedIn(c), id)
	if err != nil {
		return err
	}
	h.site.flash(c, "Discarded "+im.FileName+": nothing from it was saved.")
	return c.Redirect(http.StatusSeeOther, "/import?kind="+string(im.Kind))
}

// failingRows is a pending upload's failing rows as a CSV file: each with
// its line and why, then the row as it was, to fix in a spreadsheet.
func (h *importHandlers) failingRows(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	im, err := h.svc.Imports.ImportByID(ctx, signedIn(c), id)
	if err != nil {
		return err
	}
	if im.Status != domain.ImportPending {
		return domain.ErrNotFound
	}
	p, err := h.svc.Imports.PreviewImport(ctx, signedIn(c), im)
	if err != nil {
		return err
	}
	rows := map[int][]string{}
	for _, r := range p.File.Rows {
		rows[r.Line] = r.Fields
	}
	var buf bytes.Buffer
	buf.WriteString("\uFEFF")
	w := csv.NewWriter(&buf)
	w.UseCRLF = true
	_ = w.Write(spreadsheetSafe(append([]string{"presale line", "presale problem"}, p.File.Header...)))
	for _, l := range p.Report.Lines {
		if l.Outcome == read.ImportFailing {
			_ = w.Write(spreadsheetSafe(append([]string{strconv.Itoa(l.Line), l.Problem}, rows[l.Line]...)))
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="presale-failing-rows.csv"`)
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}
