package service

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/presale/presale/internal/csvfile"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
	"github.com/presale/presale/internal/store"
)

// The /import page's uploads: a file is kept until its person has mapped
// its columns, looked at the preview and confirmed, so nothing is written
// before then and any instance can show the preview.

// recentImports is how many uploads the import page lists.
const recentImports = 20

// StartImport keeps an uploaded file for its person to map, preview and
// confirm. Its columns are recognised, with the mappings kept from
// earlier files; a file that cannot be read is refused with why.
func (s *Imports) StartImport(ctx context.Context, actor domain.User, kind domain.ImportKind, name string, content []byte) (domain.Import, error) {
	if err := domain.Authorize(actor, domain.ActionImport, domain.ImportSubject{}); err != nil {
		return domain.Import{}, err
	}
	if !kind.Valid() {
		return domain.Import{}, domain.ValidationErrors{"kind": "Choose what the file holds."}
	}
	if err := domain.Authorize(actor, domain.ActionImport, domain.ImportSubject{Kind: kind}); err != nil {
		return domain.Import{}, err
	}
	f, err := readUpload(content)
	if err != nil {
		return domain.Import{}, err
	}
	plan, _ := PlanImport(kind, f)
	kept, err := s.store.Imports().ImportMappings(ctx, kind)
	if err != nil {
		return domain.Import{}, err
	}
	applyKept(&plan, f.Header, kept)
	if kind == domain.ImportDeals && plan.Currency == "" {
		st, err := s.store.Organisation().Settings(ctx)
		if err != nil {
			return domain.Import{}, err
		}
		plan.Currency = st.ReportingCurrency
	}
	now := s.now().UTC()
	name = uploadName(name)
	im := domain.Import{Kind: kind, FileName: name, Content: content, Plan: plan, Status: domain.ImportPending, Version: 1, CreatedBy: actor.ID, CreatedAt: now}
	err = s.store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.Imports().DeleteStaleImports(ctx, now.Add(-domain.ImportKeep)); err != nil {
			return err
		}
		return tx.Imports().CreateImport(ctx, &im)
	})
	return im, err
}

// uploadName is a file's name as a browser sent it, fit to keep and show:
// no folders, valid UTF-8 without control characters (PostgreSQL refuses
// a NUL or a stray byte in text), at most 200 bytes.
func uploadName(name string) string {
	name = strings.ToValidUTF8(filepath.Base(strings.ReplaceAll(name, `\`, "/")), "\uFFFD")
	name = strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, name))
	if len(name) > 200 || name == "" || name == "." || name == "/" {
		return "upload.csv"
	}
	return name
}

// readUpload reads a file as uploaded; one that cannot be read is a
// problem with the form's file field.
func readUpload(content []byte) (csvfile.File, error) {
	f, err := csvfile.Read(bytes.NewReader(content))
	var bad *csvfile.Error
	switch {
	case errors.As(err, &bad):
		return f, domain.ValidationErrors{"file": "This file cannot be read: " + bad.Error()}
	case err != nil:
		return f, err
	case len(f.Header) == 0 || len(f.Rows) == 0:
		return f, domain.ValidationErrors{"file": "This file has no rows: it needs a header line, then a line for each record."}
	}
	return f, nil
}

// applyKept adds the mappings kept from earlier files to a plan: columns
// the recognition left, and every stage and owner name.
func applyKept(plan *domain.ImportPlan, header []string, kept []domain.ImportMapping) {
	plan.Stages, plan.Owners, plan.Accounts = map[string]domain.Stage{}, map[string]int64{}, map[string]int64{}
	used := map[int]bool{}
	for _, i := range plan.Columns {
		used[i] = true
	}
	for _, m := range kept {
		switch m.What {
		case domain.MapColumn:
			if _, mapped := plan.Columns[m.Value]; mapped {
				continue
			}
			for i, h := range header {
				if !used[i] && strings.TrimSpace(h) == m.Name {
					plan.Columns[m.Value], used[i] = i, true
					break
				}
			}
		case domain.MapStage:
			if st := domain.Stage(m.Value); st.Valid() {
				plan.Stages[m.Name] = st
			}
		case domain.MapOwner:
			if id, err := strconv.ParseInt(m.Value, 10, 64); err == nil {
				plan.Owners[m.Name] = id
			}
		case domain.MapCurrency:
			if domain.ValidCurrency(m.Value) {
				plan.Currency = m.Value
			}
		case domain.MapAccount:
			if id, err := strconv.ParseInt(m.Value, 10, 64); err == nil {
				plan.Accounts[m.Name] = id
			}
		}
	}
}

// KeptMappings lists the mappings kept from earlier files, every kind's.
func (s *Imports) KeptMappings(ctx context.Context, actor domain.User) ([]domain.ImportMapping, error) {
	if err := domain.Authorize(actor, domain.ActionImport, domain.ImportSubject{KeepsMappings: true}); err != nil {
		return nil, err
	}
	return s.store.Imports().ImportMappings(ctx, "")
}

// ForgetMappings drops the mappings kept for a kind: the next file of it
// is recognised afresh. It reports how many there were.
func (s *Imports) ForgetMappings(ctx context.Context, actor domain.User, kind domain.ImportKind) (int64, error) {
	if !kind.Valid() {
		return 0, domain.ErrNotFound
	}
	if err := domain.Authorize(actor, domain.ActionImport, domain.ImportSubject{Kind: kind, KeepsMappings: true}); err != nil {
		return 0, err
	}
	return s.store.Imports().ForgetImportMappings(ctx, kind)
}

// Imports lists the latest uploads the actor may see: everyone's for
// those who import anything, a salesperson's own.
func (s *Imports) Imports(ctx context.Context, actor domain.User) ([]read.ImportRow, error) {
	if err := domain.Authorize(actor, domain.ActionImport, domain.ImportSubject{}); err != nil {
		return nil, err
	}
	rows, err := s.store.Imports().Imports(ctx, 10*recentImports)
	var seen []read.ImportRow
	for _, r := range rows {
		if len(seen) < recentImports && domain.Can(actor, domain.ActionImport, domain.ImportSubject{Kind: r.Kind, UploadedBy: r.CreatedBy}) {
			seen = append(seen, r)
		}
	}
	return seen, err
}

// ImportByID loads an upload, for those who may import it: someone
// else's is not found for a salesperson.
func (s *Imports) ImportByID(ctx context.Context, actor domain.User, id int64) (domain.Import, error) {
	if err := domain.Authorize(actor, domain.ActionImport, domain.ImportSubject{}); err != nil {
		return domain.Import{}, err
	}
	im, err := s.store.Imports().ImportByID(ctx, id)
	if err == nil && !domain.Can(actor, domain.ActionImport, domain.ImportSubject{Kind: im.Kind, UploadedBy: im.CreatedBy}) {
		return domain.Import{}, domain.ErrNotFound
	}
	return im, err
}

// PreviewImport checks a pending upload's rows with its mapping, writing
// nothing.
func (s *Imports) PreviewImport(ctx context.Context, actor domain.User, im domain.Import) (read.ImportPreview, error) {
	f, err := readUpload(im.Content)
	if err != nil {
		return read.ImportPreview{}, err
	}
	report, err := s.Import(ctx, actor, f, im.Plan, false, false)
	return read.ImportPreview{File: f, Report: report}, err
}

// errImportDone refuses to change an upload that was imported, or changed
// by someone else, since the page was drawn.
var errImportDone = domain.Conflictf("This import was confirmed or its mapping changed since you opened it. Look at it again.")

// pendingImport loads an upload that can still be mapped or confirmed,
// with its file read.
func (s *Imports) pendingImport(ctx context.Context, actor domain.User, id int64) (domain.Import, csvfile.File, error) {
	im, err := s.ImportByID(ctx, actor, id)
	if err != nil {
		return im, csvfile.File{}, err
	}
	if im.Status != domain.ImportPending {
		return im, csvfile.File{}, errImportDone
	}
	f, err := readUpload(im.Content)
	return im, f, err
}

// MapImport saves the mapping of a pending upload's columns, stages and
// owners made at version and, when asked, keeps it for the next file.
func (s *Imports) MapImport(ctx context.Context, actor domain.User, id, version int64, in domain.ImportMappingInput) (domain.Import, error) {
	im, f, err := s.pendingImport(ctx, actor, id)
	if err != nil {
		return im, err
	}
	plan := im.Plan
	invalid := domain.ValidationErrors{}
	if err := in.Apply(&plan, f.Header); err != nil && !errors.As(err, &invalid) {
		return im, err
	}
	owners, err := s.store.People().OwnerChoices(ctx)
	if err != nil {
		return im, err
	}
	var ownerIDs []int64
	for _, v := range in.Owners { // as posted: the plan is left as it was when Apply refused
		id, err := strconv.ParseInt(v, 10, 64)
		if err == nil && !slices.ContainsFunc(owners, func(u domain.User) bool { return u.ID == id }) {
			invalid["owners"] = "Choose one of presale's salespeople or managers."
		}
		if err == nil {
			ownerIDs = append(ownerIDs, id)
		}
	}
	if err := domain.Authorize(actor, domain.ActionImport, domain.ImportSubject{Kind: im.Kind, UploadedBy: im.CreatedBy, DealOwnerIDs: ownerIDs}); err != nil {
		invalid["owners"] = err.Error()
	}
	if err := domain.Authorize(actor, domain.ActionImport, domain.ImportSubject{Kind: im.Kind, KeepsMappings: in.Remember}); err != nil {
		return im, err
	}
	for _, v := range in.Accounts {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			if _, err := s.store.Accounts().AccountByID(ctx, id); errors.Is(err, domain.ErrNotFound) {
				invalid["accounts"] = "Choose one of presale's accounts, or a new one."
			} else if err != nil {
				return im, err
			}
		}
	}
	if len(invalid) > 0 {
		return im, invalid
	}
	now := s.now().UTC()
	err = s.store.Tx(ctx, func(tx *store.Store) error {
		switch ok, err := tx.Imports().SetImportPlan(ctx, id, version, plan); {
		case err != nil:
			return err
		case !ok:
			return errImportDone
		}
		if !in.Remember {
			return nil
		}
		return tx.Imports().SaveImportMappings(ctx, keptMappings(plan, f.Header, now))
	})
	im.Plan, im.Version = plan, version+1
	return im, err
}

// keptMappings are what a plan adds to recognition: the columns it maps
// that recognition would not, and its stages and owners.
func keptMappings(plan domain.ImportPlan, header []string, at time.Time) []domain.ImportMapping {
	auto, _ := domain.RecognizeColumns(plan.Kind, header)
	var ms []domain.ImportMapping
	for field, i := range plan.Columns {
		if j, ok := auto[field]; !ok || j != i {
			ms = append(ms, domain.ImportMapping{Kind: plan.Kind, What: domain.MapColumn, Name: strings.TrimSpace(header[i]), Value: field, UpdatedAt: at})
		}
	}
	for name, st := range plan.Stages {
		ms = append(ms, domain.ImportMapping{Kind: plan.Kind, What: domain.MapStage, Name: name, Value: string(st), UpdatedAt: at})
	}
	for name, id := range plan.Owners {
		ms = append(ms, domain.ImportMapping{Kind: plan.Kind, What: domain.MapOwner, Name: name, Value: strconv.FormatInt(id, 10), UpdatedAt: at})
	}
	if plan.Currency != "" {
		ms = append(ms, domain.ImportMapping{Kind: plan.Kind, What: domain.MapCurrency, Value: plan.Currency, UpdatedAt: at})
	}
	// An account to create is not kept: once created, the next file finds it.
	for key, id := range plan.Accounts {
		if id != domain.NewAccount {
			ms = append(ms, domain.ImportMapping{Kind: plan.Kind, What: domain.MapAccount, Name: key, Value: strconv.FormatInt(id, 10), UpdatedAt: at})
		}
	}
	return ms
}

// ConfirmImport writes a pending upload's new rows, as previewed at
// version: all of them, or, with failing rows, none unless skipFailing.
// The upload is marked imported in the same transaction and its file
// dropped, so a second confirm (another tab, another instance) changes
// nothing.
func (s *Imports) ConfirmImport(ctx context.Context, actor domain.User, id, version int64, skipFailing bool) (domain.Import, read.ImportReport, error) {
	im, f, err := s.pendingImport(ctx, actor, id)
	if err != nil {
		return im, read.ImportReport{}, err
	}
	now := s.now().UTC()
	report, err := s.importRows(ctx, actor, f, im.Plan, true, skipFailing, func(tx *store.Store, r read.ImportReport) error {
		switch ok, err := tx.Imports().MarkImported(ctx, id, version, r.New, r.Existing, r.Failing, now); {
		case err != nil:
			return err
		case !ok:
			return errImportDone
		}
		return nil
	})
	if err != nil {
		return im, report, err
	}
	im.Status, im.Created, im.Existing, im.Skipped, im.ImportedAt, im.Content = domain.ImportImported, report.New, report.Existing, report.Failing, &now, nil
	return im, report, nil
}

// DiscardImport drops a pending upload and its file.
func (s *Imports) DiscardImport(ctx context.Context, actor domain.User, id int64) (domain.Import, error) {
	im, err := s.ImportByID(ctx, actor, id)
	if err != nil {
		return im, err
	}
	switch ok, err := s.store.Imports().DeleteImport(ctx, id); {
	case err != nil:
		return im, err
	case !ok:
		return im, errImportDone
	}
	return im, nil
}
