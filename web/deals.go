package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
	"github.com/presale/presale/internal/service"
	"github.com/presale/presale/views/components"
	"github.com/presale/presale/views/pages"
)

// dealHandlers serve the pipeline (the list, the board, saved views and
// bulk changes), a deal's page and form, its notes and next steps.
type dealHandlers struct {
	svc  *service.Service
	site site
}

// dealFilter reads the pipeline's filters from the URL; the list and the
// board share them.
func dealFilter(c echo.Context) read.DealFilter {
	f := read.DealFilter{
		NoNextStep:      c.QueryParam("next") == "none",
		Archived:        c.QueryParam("archived") == "1",
		Q:               strings.TrimSpace(c.QueryParam("q")),
		Stage:           domain.Stage(c.QueryParam("stage")),
		OwnerID:         queryID(c, "owner"),
		TechnicalStatus: domain.TechnicalStatus(c.QueryParam("technical_status")),
		DevRel:          c.QueryParam("devrel"),
		Open:            c.QueryParam("status"),
		AssignedTo:      queryID(c, "assigned"),
		Sort:            c.QueryParam("sort"),
		Page:            page(c),
	}
	if !f.Stage.Valid() {
		f.Stage = ""
	}
	if !f.TechnicalStatus.Valid() {
		f.TechnicalStatus = ""
	}
	if f.Open != "open" && f.Open != "closed" {
		f.Open = ""
	}
	// A salesperson's pipeline opens on their own deals; "Any owner"
	// (owner=) shows everyone's.
	if u := signedIn(c); u.Role == domain.RoleSales && !c.QueryParams().Has("owner") {
		f.OwnerID = u.ID
	}
	return f
}

func (h *dealHandlers) deals(c echo.Context) error {
	ctx := c.Request().Context()
	f := dealFilter(c)
	list, err := h.svc.Deals.DealsPage(ctx, f)
	if err != nil {
		return err
	}
	assigned := ""
	if f.AssignedTo != 0 {
		if assigned, err = userName(c, h.svc, f.AssignedTo); err != nil {
			return err
		}
	}
	views, err := h.svc.Deals.SavedViews(ctx, signedIn(c))
	if err != nil {
		return err
	}
	return h.site.render(c, http.StatusOK, pages.Deals(h.site.shell(c, "Deals"), pages.DealsList{AssignedName: assigned, Views: views,
		CanBulk: domain.Can(signedIn(c), domain.ActionBulkEdit, domain.Organisation{}),
		Filter:  f, Query: c.QueryParams(), Owners: read.PeopleOf(list.Owners), Rows: list.Rows, Pager: pager(c, f.Page, list.Total, "deals"),
		Value: list.Value, Weighted: list.Weighted,
		CanCreate: domain.Can(signedIn(c), domain.ActionCreateDeal, domain.Organisation{}),
	}))
}

func (h *dealHandlers) deal(c echo.Context) error {
	return h.dealPage(c, http.StatusOK, dealForms{})
}

// dealForms are the deal page's forms as typed, when one was refused.
type dealForms struct {
	support *pages.SupportFormView
	offer   *pages.OfferFormView
	promise *pages.PromiseFormView
	task    *taskForm
}

// taskForm is a next step as typed, and what is wrong with it.
type taskForm struct {
	in   domain.TaskInput
	errs domain.ValidationErrors
}

// dealPage shows a deal, with any refused form as it was typed.
func (h *dealHandlers) dealPage(c echo.Context, status int, forms dealForms) error {
	ctx := c.Request().Context()
	id, err := idParam(c)
	if err != nil {
		return err
	}
	u := signedIn(c)
	d, err := h.svc.Deals.DealDetail(ctx, u, id)
	if err != nil {
		return err
	}
	areas := d.Lists[domain.ListProductAreas]
	if forms.support == nil && domain.Can(u, domain.ActionRequestSupport, d.Team) {
		forms.support = &pages.SupportFormView{DealID: id, Input: domain.SupportInput{Kind: string(domain.SupportDemo)}}
	}
	if forms.offer == nil && domain.Can(u, domain.ActionProposeOffer, d.Team) {
		forms.offer = &pages.OfferFormView{DealID: id, Input: domain.OfferProposal{Kind: string(domain.OfferIdea)}}
	}
	if forms.promise == nil && domain.Can(u, domain.ActionRecordPromise, d.Team) {
		forms.promise = &pages.PromiseFormView{DealID: id, Input: domain.PromiseInput{Kind: string(domain.PromiseExistingFeature), OwnerID: components.ID(d.Deal.OwnerID)}}
	}
	if forms.promise != nil {
		forms.promise.Owners, forms.promise.Meetings = d.Owners, d.Meetings
		forms.promise.Areas = areas
	}
	lost := ""
	if d.Deal.LostReason != "" {
		lost = d.Lists[domain.ListLostReasons].Label(d.Deal.LostReason)
	}
	tasks := h.tasksView(c, d.Deal, d.Team, d.Owner, d.Members, d.Tasks, components.Path("/deals/", id, "#tasks"), forms.task)
	return h.site.render(c, status, pages.Deal(h.site.shell(c, d.Deal.Title), pages.DealView{
		Tasks: tasks, NoteComments: d.NoteComments, LostReason: lost, Areas: areas,
		Deal: d.Deal, Account: d.Account, Owner: d.Owner, Members: d.Members, Former: d.Former, Meetings: d.Meetings, Questions: d.Questions,
		Notes: d.Notes, Timeline: d.Timeline, Support: d.Support, SupportForm: forms.support,
		Offers: d.Offers, OfferForm: forms.offer, Promises: d.Promises, PromiseForm: forms.promise, Now: h.svc.Now(),
		CanEdit:           domain.Can(u, domain.ActionEditDeal, d.Team),
		CanManageMeetings: domain.Can(u, domain.ActionManageMeetings, d.Team),
		CanAddNote:        domain.Can(u, domain.ActionAddNote, d.Team),
		CanAnswer:         domain.Can(u, domain.ActionAnswerQuestion, d.Team),
	}))
}

// dealForm shows the deal form with its choices; the status says why.
func (h *dealHandlers) dealForm(c echo.Context, status int, f pages.DealFormView) error {
	// The form names its account, and someone else's when they saved
	// meanwhile: both are among the choices, by name.
	named := []string{f.Input.AccountID}
	if f.Stale != nil {
		named = append(named, f.Stale.Current.AccountID)
	}
	var accounts []int64
	for _, a := range named {
		if id, err := strconv.ParseInt(a, 10, 64); err == nil {
			accounts = append(accounts, id)
		}
	}
	choices, err := h.svc.Deals.DealChoices(c.Request().Context(), strings.TrimSpace(c.FormValue("account_q")), accounts...)
	if err != nil {
		return err
	}
	f.Accounts, f.Owners = choices.Accounts, read.PeopleOf(choices.Owners)
	if f.Reasons, err = h.svc.Organisation.Choices(c.Request().Context(), domain.ListLostReasons); err != nil {
		return err
	}
	f.CanOwner = domain.Can(signedIn(c), domain.ActionHandOverDeal, domain.Organisation{})
	title := "New deal"
	if f.ID != 0 {
		title = "Edit deal"
	}
	return h.site.render(c, status, pages.DealForm(h.site.shell(c, title), f))
}

func (h *dealHandlers) newDeal(c echo.Context) error {
	u := signedIn(c)
	if err := domain.Authorize(u, domain.ActionCreateDeal, domain.Organisation{}); err != nil {
		return err
	}
	return h.dealForm(c, http.StatusOK, pages.DealFormView{Input: domain.DealInput{
		AccountID: c.QueryParam("account"), OwnerID: components.ID(u.ID), Stage: string(domain.StageProspecting),
		TechnicalStatus: string(domain.TechNotStarted), Currency: "USD",
	}})
}

func (h *dealHandlers) editDeal(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	d, team, err := h.svc.Deals.Deal(c.Request().Context(), id)
	if err != nil {
		return err
	}
	if err := domain.Authorize(signedIn(c), domain.ActionEditDeal, team); err != nil {
		return err
	}
	return h.dealForm(c, http.StatusOK, pages.DealFormView{ID: id, Version: d.Version, Input: d.Input()})
}

func dealInput(c echo.Context) domain.DealInput {
	return domain.DealInput{Title: c.FormValue("title"), AccountID: c.FormValue("account_id"), OwnerID: c.FormValue("owner_id"),
		Stage: c.FormValue("stage"), Amount: c.FormValue("amount"), Currency: c.FormValue("currency"),
		ExpectedCloseDate: c.FormValue("expected_close_date"), TechnicalStatus: c.FormValue("technical_status"),
		Description: c.FormValue("description"), LostReason: c.FormValue("lost_reason"), LostNote: c.FormValue("lost_note")}
}

// findingAccount reports whether a form was sent by its account field's
// Find button (pages.AccountPicker): without script, the search redraws
// the form with what was typed and the accounts found, and saves nothing.
func findingAccount(c echo.Context) bool { return c.FormValue("account_find") != "" }

func (h *dealHandlers) createDeal(c echo.Context) error {
	in := dealInput(c)
	if findingAccount(c) {
		return h.dealForm(c, http.StatusOK, pages.DealFormView{Input: in})
	}
	d, err := h.svc.Deals.CreateDeal(c.Request().Context(), signedIn(c), in)
	return h.site.saved(c, err, func(p formProblem) error {
		return h.dealForm(c, p.Status, pages.DealFormView{Input: in, Errors: p.Errors})
	}, components.Path("/deals/", d.ID), "Deal “"+d.Title+"” created.")
}

func (h *dealHandlers) updateDeal(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	in := dealInput(c)
	version := formVersion(c)
	if findingAccount(c) {
		return h.dealForm(c, http.StatusOK, pages.DealFormView{ID: id, Version: version, Input: in})
	}
	d, err := h.svc.Deals.UpdateDeal(c.Request().Context(), signedIn(c), id, version, in)
	var stale *service.StaleDealError
	if errors.As(err, &stale) {
		// The second editor keeps their input; the version moves on so a
		// second save knowingly applies it.
		return h.dealForm(c, http.StatusConflict, pages.DealFormView{ID: id, Version: stale.Current.Version, Input: in,
			Stale: &pages.StaleView{Changes: stale.Changes, Current: stale.Current.Input()}})
	}
	return h.site.saved(c, err, func(p formProblem) error {
		return h.dealForm(c, p.Status, pages.DealFormView{ID: id, Version: version, Input: in, Errors: p.Errors})
	}, components.Path("/deals/", id), "Deal “"+d.Title+"” saved.")
}

func (h *dealHandlers) addNote(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	if err := h.svc.Deals.AddNote(c.Request().Context(), signedIn(c), id, c.FormValue("body")); err != nil {
		return err
	}
	h.site.flash(c, "Note added.")
	return c.Redirect(http.StatusSeeOther, components.Path("/deals/", id)+"#deal-notes")
}

func (h *dealHandlers) commentOnNote(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	dealID, err := h.svc.Deals.CommentOnNote(c.Request().Context(), signedIn(c), id, c.FormValue("body"))
	if err != nil {
		return err
	}
	h.site.flash(c, "Reply added.")
	return c.Redirect(http.StatusSeeOther, components.Path("/deals/", dealID, "#deal-notes"))
}

// board shows the open pipeline by stage, filtered as the list is.
func (h *dealHandlers) board(c echo.Context) error {
	return h.boardPage(c, http.StatusOK, "")
}

func (h *dealHandlers) boardPage(c echo.Context, status int, notice string) error {
	ctx := c.Request().Context()
	f := dealFilter(c)
	cols, err := h.svc.Deals.Board(ctx, f)
	if err != nil {
		return err
	}
	owners, err := h.svc.People.Owners(ctx)
	if err != nil {
		return err
	}
	v := pages.BoardView{Filter: f, Query: c.QueryParams(), Owners: read.PeopleOf(owners), Notice: notice}
	for _, col := range cols {
		v.Columns = append(v.Columns, pages.BoardColumn{Stage: col.Stage, Deals: col.Rows, Total: col.Total, Value: col.Value, Weighted: col.Weighted})
	}
	return h.site.render(c, status, pages.Board(h.site.shell(c, "Pipeline board"), v))
}

// moveDeal changes a deal's stage from the board. The board's version
// rides along: if the deal changed since the board was drawn, the board
// comes back as it is now, with 409.
func (h *dealHandlers) moveDeal(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	stage := domain.Stage(c.FormValue("stage"))
	loss := lossInput(c)
	d, undo, undoable, err := h.svc.Deals.MoveDeal(c.Request().Context(), signedIn(c), id, formVersion(c), stage, loss)
	var stale *service.StaleDealError
	if errors.As(err, &stale) {
		return h.boardPage(c, http.StatusConflict, "“"+stale.Current.Title+"” changed since the board was drawn; it now shows where it stands. Move it again if you still want to.")
	}
	var invalid domain.ValidationErrors
	if errors.As(err, &invalid) && stage == domain.StageClosedLost {
		// The move waits for why it was lost; asked first, not told off.
		if !c.Request().Form.Has("lost_reason") {
			invalid = nil
		}
		return h.lostForm(c, id, loss, invalid)
	}
	if errors.As(err, &invalid) {
		return h.boardPage(c, http.StatusUnprocessableEntity, "Choose one of the stages to move it to.")
	}
	if err != nil {
		return err
	}
	msg := "“" + d.Title + "” moved to " + d.Stage.Label() + "."
	if undoable {
		h.site.flashUndo(c, msg, undo)
	} else {
		h.site.flash(c, msg)
	}
	// Back where it was moved from (the board, as filtered, or the deal),
	// at the card moved: the script gives it the focus again.
	return back(c, returnTo(c, "/deals/board")+"#"+pages.CardID(d.ID))
}

// lossInput is why a deal was lost, as a form gives it.
func lossInput(c echo.Context) domain.DealLoss {
	return domain.DealLoss{Reason: c.FormValue("lost_reason"), Note: c.FormValue("lost_note")}
}

// lostForm asks why deal id, moved to Closed lost, was lost: 422, the
// move kept in the form (stage, version, where it was made).
func (h *dealHandlers) lostForm(c echo.Context, id int64, in domain.DealLoss, errs domain.ValidationErrors) error {
	ctx := c.Request().Context()
	d, _, err := h.svc.Deals.Deal(ctx, id)
	if err != nil {
		return err
	}
	reasons, err := h.svc.Organisation.Choices(ctx, domain.ListLostReasons)
	if err != nil {
		return err
	}
	return h.site.render(c, http.StatusUnprocessableEntity, pages.LostForm(h.site.shell(c, "Why was it lost?"), pages.LostFormView{
		Deal: d, Version: formVersion(c), Next: returnTo(c, "/deals/board"), Input: in, Reasons: reasons, Errors: errs}))
}

// bulkDeals changes many deals at once for a manager: the first post
// shows what will change, the confirmed one changes it.
func (h *dealHandlers) bulkDeals(c echo.Context) error {
	ctx := c.Request().Context()
	u := signedIn(c)
	if err := domain.Authorize(u, domain.ActionBulkEdit, domain.Organisation{}); err != nil {
		return err
	}
	var ids []int64
	for _, v := range formValues(c, "deal_ids") {
		if id, ok := domain.ParseID(v); ok {
			ids = append(ids, id)
		}
	}
	ownerID, _ := domain.ParseID(c.FormValue("owner_id"))
	ch := service.BulkChange{OwnerID: ownerID, Stage: domain.Stage(c.FormValue("stage")), Loss: lossInput(c)}
	back := returnTo(c, "/deals")
	if c.FormValue("confirm") == "1" {
		n, err := h.svc.Deals.BulkUpdateDeals(ctx, u, ids, ch)
		var invalid domain.ValidationErrors
		if !errors.As(err, &invalid) {
			if err != nil {
				return err
			}
			h.site.flash(c, components.Plural(int64(n), "deal", "deals")+" changed; each deal's timeline records it.")
			return c.Redirect(http.StatusSeeOther, back)
		}
		return h.bulkConfirm(c, http.StatusUnprocessableEntity, ids, ch, back, invalid)
	}
	return h.bulkConfirm(c, http.StatusOK, ids, ch, back, h.svc.Deals.CheckBulk(ids, ch))
}

func (h *dealHandlers) bulkConfirm(c echo.Context, status int, ids []int64, ch service.BulkChange, back string, errs domain.ValidationErrors) error {
	ctx := c.Request().Context()
	if len(errs) > 0 && status == http.StatusOK {
		status = http.StatusUnprocessableEntity
	}
	v := pages.BulkView{Stage: ch.Stage, Back: back, Errors: errs, Loss: ch.Loss}
	if ch.Stage == domain.StageClosedLost {
		reasons, err := h.svc.Organisation.Choices(ctx, domain.ListLostReasons)
		if err != nil {
			return err
		}
		v.Reasons = reasons
	}
	if len(ids) > 0 && len(ids) <= service.MaxBulk {
		list, err := h.svc.Deals.Pipeline(ctx, read.DealFilter{IDs: ids, Sort: "title", Page: read.Page{Size: service.MaxBulk}})
		if err != nil {
			return err
		}
		v.Deals = list.Rows
	}
	if ch.OwnerID != 0 {
		owner, err := h.svc.People.User(ctx, ch.OwnerID)
		if err != nil {
			return err
		}
		person := read.PersonOf(owner)
		v.Owner = &person
	}
	return h.site.render(c, status, pages.BulkConfirm(h.site.shell(c, "Change deals"), v))
}

// saveView keeps the pipeline's filters under a name for the user.
func (h *dealHandlers) saveView(c echo.Context) error {
	query, _ := url.ParseQuery(c.FormValue("query"))
	v, err := h.svc.Deals.SaveView(c.Request().Context(), signedIn(c), c.FormValue("name"), query)
	var invalid domain.ValidationErrors
	if errors.As(err, &invalid) {
		h.site.flash(c, "The view was not saved: "+invalid["name"])
		return c.Redirect(http.StatusSeeOther, "/deals?"+c.FormValue("query"))
	}
	if err != nil {
		return err
	}
	h.site.flash(c, "View “"+v.Name+"” saved; find it under Views.")
	return c.Redirect(http.StatusSeeOther, "/deals?"+v.Query)
}

// editView is the form that renames one of the user's views; filters is
// the pipeline the user came from, which the view may take instead.
func (h *dealHandlers) editView(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	return h.viewForm(c, http.StatusOK, id, func(f *pages.ViewFormView) { f.Name = f.View.Name })
}

// viewForm shows the rename form of the user's view id as fill leaves
// it; another's view is not found, so nobody learns it exists.
func (h *dealHandlers) viewForm(c echo.Context, status int, id int64, fill func(*pages.ViewFormView)) error {
	v, err := h.svc.Deals.SavedView(c.Request().Context(), signedIn(c), id)
	if err != nil {
		return err
	}
	f := viewFilters(c)
	f.View, f.Differ = v, f.Filters != "" && f.Filters != v.Query
	fill(&f)
	return h.site.render(c, status, pages.ViewForm(h.site.shell(c, "Rename a view"), f))
}

// viewFilters are the pipeline's filters the rename form came from, as a
// view keeps them.
func viewFilters(c echo.Context) pages.ViewFormView {
	filters, _ := url.ParseQuery(c.Request().FormValue("filters"))
	return pages.ViewFormView{Filters: service.ViewQuery(filters)}
}

// renameView names one of the user's views anew and, if asked, gives it
// the filters the user came from; then back to the pipeline as they left it.
func (h *dealHandlers) renameView(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	from := viewFilters(c)
	var filters url.Values
	if c.FormValue("update") == "1" && from.Filters != "" {
		filters, _ = url.ParseQuery(from.Filters)
	}
	v, err := h.svc.Deals.RenameView(c.Request().Context(), signedIn(c), id, c.FormValue("name"), filters)
	msg := "View renamed to “" + v.Name + "”."
	if filters != nil {
		msg = "View renamed to “" + v.Name + "”; it shows the filters you were looking at."
	}
	return h.site.saved(c, err, func(p formProblem) error {
		return h.viewForm(c, p.Status, id, func(f *pages.ViewFormView) {
			f.Name, f.Update, f.Errors = c.FormValue("name"), filters != nil, p.Errors
		})
	}, from.Back(), msg)
}

func (h *dealHandlers) deleteView(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	v, undo, err := h.svc.Deals.DeleteView(c.Request().Context(), signedIn(c), id)
	if err != nil {
		return err
	}
	h.site.flashUndo(c, "View “"+v.Name+"” deleted.", undo)
	return c.Redirect(http.StatusSeeOther, "/deals")
}
