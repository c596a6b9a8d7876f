package service

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/presale/presale/internal/csvfile"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
	"github.com/presale/presale/internal/store"
)

// PlanImport recognises a file's columns: the plan, and the headers left
// for the person to map.
func PlanImport(kind domain.ImportKind, f csvfile.File) (domain.ImportPlan, []string) {
	cols, unknown := domain.RecognizeColumns(kind, f.Header)
	return domain.ImportPlan{Kind: kind, Columns: cols}, unknown
}

// ErrImportFails refuses to write a file with failing rows unless they
// are to be skipped.
var ErrImportFails = domain.Conflictf("Some rows cannot be imported as they are. Fix them in the file, or choose to skip them.")

// ErrImportAsks refuses to write a file whose numbers or dates read two
// ways until the person says how the file writes them.
var ErrImportAsks = domain.Conflictf("Some amounts or dates of this file read two ways. Choose how the file writes numbers and dates, then import.")

// Imports are the use cases of importing CSV exports: an upload, its
// mapping and preview (uploads.go), and the import itself.
type Imports struct{ *core }

// Import checks every row of f against presale and, when commit, writes
// the new ones in one transaction: all of them or none. Rows presale has
// already (by the other system's id, or the same company, contact or
// deal) are never created twice. Managers and administrators import.
func (s *Imports) Import(ctx context.Context, actor domain.User, f csvfile.File, plan domain.ImportPlan, commit, skipFailing bool) (read.ImportReport, error) {
	return s.importRows(ctx, actor, f, plan, commit, skipFailing, nil)
}

// importRows is Import with done, which runs inside the transaction with
// the report before any row is written: the page's confirm records there
// that its upload is imported, so two confirms cannot both write.
func (s *Imports) importRows(ctx context.Context, actor domain.User, f csvfile.File, plan domain.ImportPlan, commit, skipFailing bool,
	done func(tx *store.Store, report read.ImportReport) error) (read.ImportReport, error) {
	if err := domain.Authorize(actor, domain.ActionImport, domain.ImportSubject{Kind: plan.Kind}); err != nil {
		return read.ImportReport{}, err
	}
	check := func(st *store.Store) (*importer, error) {
		im, err := newImporter(ctx, st, actor, plan, s.now().UTC())
		if err != nil {
			return nil, err
		}
		im.styles(f.Rows)
		for _, row := range f.Rows {
			im.row(row)
		}
		return im, nil
	}
	if !commit {
		im, err := check(s.store)
		if err != nil {
			return read.ImportReport{}, err
		}
		return im.report, nil
	}
	var report read.ImportReport
	err := s.writeQuiet(ctx, &actor, func(tx *store.Store) ([]Change, error) {
		if err := tx.Imports().ImportLock(ctx); err != nil {
			return nil, err
		}
		im, err := check(tx) // again, inside the transaction: what it writes is what it checked
		if err != nil {
			return nil, err
		}
		report = im.report
		if report.Asks() {
			return nil, ErrImportAsks
		}
		if report.New > 0 && report.Failing > 0 && !skipFailing {
			return nil, ErrImportFails
		}
		// The rows are checked one by one already; the import as a whole
		// is asked again, so no row the policy refuses is ever written.
		if err := domain.Authorize(actor, domain.ActionImport, domain.ImportSubject{Kind: plan.Kind, DealOwnerIDs: im.ownerIDs()}); err != nil {
			return nil, err
		}
		if done != nil {
			if err := done(tx, report); err != nil {
				return nil, err
			}
		}
		if report.New == 0 {
			return nil, nil
		}
		changes, err := im.write(ctx, tx)
		report.Written = err == nil
		return changes, err
	})
	return report, err
}

// importer holds what a file's rows are checked against: presale's
// accounts, contacts, deals and people, and the file's own new rows.
type importer struct {
	actor   domain.User
	plan    domain.ImportPlan
	now     time.Time
	report  read.ImportReport
	index   store.ImportIndex
	seen    map[string]int // a key of a new row → its line, for duplicates inside the file
	rows    []importRow
	numbers []domain.NumberStyle // the styles amounts are read in
	dates   []domain.DateStyle
	created map[string]int                  // a deals file's new account (its key) → its index in accounts
	alike   map[string][]read.AccountChoice // an unknown account's key → its look-alikes
	// accounts a deals file creates, before its deals
	accounts []domain.Account
}

// importRow is a new row, ready to write.
type importRow struct {
	account    domain.Account
	contact    domain.Contact
	deal       domain.Deal
	newAccount int       // for a deal at an account it creates: 1 + its index in importer.accounts
	names      [2]string // the deal's account and owner names, for its event
}

func newImporter(ctx context.Context, tx *store.Store, actor domain.User, plan domain.ImportPlan, now time.Time) (*importer, error) {
	idx, err := tx.Imports().ImportIndex(ctx, plan.Kind)
	if err != nil {
		return nil, err
	}
	return &importer{actor: actor, plan: plan, now: now, index: idx, seen: map[string]int{}, created: map[string]int{}, alike: map[string][]read.AccountChoice{}, report: read.ImportReport{Kind: plan.Kind}}, nil
}

// styles settles how a deals file's amounts and dates are read: as the
// plan chose, else as the file's values say.
func (im *importer) styles(rows []csvfile.Row) {
	if im.plan.Kind != domain.ImportDeals {
		return
	}
	var amounts, dates []string
	for _, r := range rows {
		amounts, dates = append(amounts, im.value(r, "amount")), append(dates, im.value(r, "expected_close_date"))
	}
	im.report.Numbers = read.ImportStyle[domain.NumberStyle]{Chosen: im.plan.Numbers, Guess: domain.GuessNumbers(amounts)}
	im.report.Dates = read.ImportStyle[domain.DateStyle]{Chosen: im.plan.Dates, Guess: domain.GuessDates(dates)}
	im.numbers, im.dates = im.report.Numbers.Styles(), im.report.Dates.Styles()
}

// ownerIDs are the owners of the deals the import creates.
func (im *importer) ownerIDs() []int64 {
	var ids []int64
	for _, r := range im.rows {
		if r.deal.OwnerID != 0 && !slices.Contains(ids, r.deal.OwnerID) {
			ids = append(ids, r.deal.OwnerID)
		}
	}
	return ids
}

// value is a row's field, trimmed; empty when unmapped.
func (im *importer) value(r csvfile.Row, field string) string {
	i, ok := im.plan.Columns[field]
	if !ok || i >= len(r.Fields) {
		return ""
	}
	return strings.TrimSpace(r.Fields[i])
}

func (im *importer) add(l read.ImportLine) {
	im.report.Lines = append(im.report.Lines, l)
	switch l.Outcome {
	case read.ImportNew:
		im.report.New++
	case read.ImportExisting:
		im.report.Existing++
	default:
		im.report.Failing++
	}
}

// key is a row's key for once: what and its value, or none for an empty
// value (rows without an e-mail or an id are not the same row).
func key(what, v string) string {
	if v == "" {
		return ""
	}
	return what + v
}

// once reports a duplicate of an earlier new row of the file.
func (im *importer) once(line int, keys ...string) string {
	for _, k := range keys {
		if k == "" {
			continue
		}
		if at, dup := im.seen[k]; dup {
			return fmt.Sprintf("The same as line %d of this file.", at)
		}
	}
	for _, k := range keys {
		if k != "" {
			im.seen[k] = line
		}
	}
	return ""
}

// problemFields are the fields a row's validation may name, in the
// form's order, with the label people read for each.
var problemFields = []struct{ name, label string }{
	{"title", "Title"}, {"name", "Name"}, {"account_id", "Account"}, {"owner_id", "Owner"}, {"stage", "Stage"},
	{"amount", "Amount"}, {"currency", "Currency"}, {"expected_close_date", "Expected close date"}, {"email", "E-mail"}, {"domain", "Domain"},
}

// problems are what a validation error says, field by field in the
// form's order, a line each: a failing row names all it must fix.
func problems(err error) string {
	v, ok := err.(domain.ValidationErrors)
	if !ok {
		return err.Error()
	}
	var says []string
	for _, f := range problemFields {
		if msg, ok := v[f.name]; ok {
			says = append(says, f.label+": "+msg)
		}
	}
	if len(says) == 0 {
		return err.Error()
	}
	return strings.Join(says, "\n")
}

func (im *importer) row(r csvfile.Row) {
	l := read.ImportLine{Line: r.Line, Values: map[string]string{}}
	ext := im.value(r, "external_id")
	switch im.plan.Kind {
	case domain.ImportAccounts:
		var a domain.Account
		err := domain.AccountInput{Name: im.value(r, "name"), Domain: im.value(r, "domain"), Industry: im.value(r, "industry"), Notes: im.value(r, "notes")}.Apply(&a)
		a.ExternalID, a.CreatedAt, a.UpdatedAt = ext, im.now, im.now
		l.Values = map[string]string{"name": a.Name, "domain": a.Domain, "industry": a.Industry}
		switch existing, found := im.index.Account(ext, a.Name, a.Domain); {
		case err != nil:
			l.Outcome, l.Problem = read.ImportFailing, problems(err)
		case found:
			l.Outcome, l.Problem = read.ImportExisting, "In presale already as “"+existing+"”."
		default:
			if dup := im.once(r.Line, key("a:", domain.AccountKey(a.Name)), key("d:", domain.DomainKey(a.Domain)), key("x:", ext)); dup != "" {
				l.Outcome, l.Problem = read.ImportFailing, dup
				break
			}
			l.Outcome = read.ImportNew
			im.rows = append(im.rows, importRow{account: a})
		}
	case domain.ImportContacts:
		name := im.value(r, "name")
		if name == "" {
			name = strings.TrimSpace(im.value(r, "first_name") + " " + im.value(r, "last_name"))
		}
		var c domain.Contact
		err := domain.ContactInput{Name: name, Title: im.value(r, "title"), Email: im.value(r, "email"), Phone: im.value(r, "phone")}.Apply(&c)
		c.ExternalID = ext
		accountName := im.value(r, "account")
		accountID, known := im.index.AccountID(accountName)
		c.AccountID = accountID
		l.Values = map[string]string{"account": accountName, "name": c.Name, "email": c.Email, "title": c.Title}
		switch {
		case err != nil:
			l.Outcome, l.Problem = read.ImportFailing, problems(err)
		case !known:
			l.Outcome, l.Problem = read.ImportFailing, "No account “"+accountName+"” in presale: import the accounts first."
		case im.index.HasContact(ext, accountID, c.Name, c.Email):
			l.Outcome, l.Problem = read.ImportExisting, "In presale already."
		default:
			if dup := im.once(r.Line, key(fmt.Sprint("c:", accountID, ":"), strings.ToLower(c.Email)), key(fmt.Sprint("n:", accountID, ":"), strings.ToLower(c.Name)), key("x:", ext)); dup != "" {
				l.Outcome, l.Problem = read.ImportFailing, dup
				break
			}
			l.Outcome = read.ImportNew
			im.rows = append(im.rows, importRow{contact: c})
		}
	case domain.ImportDeals:
		im.deal(r, ext, &l)
	}
	im.add(l)
}

// readIn reads a value in styles, or says why not: it is not what of
// any of them, or they read it differently (then the person chooses how
// the file writes what it chooses).
func readIn[S ~string](styles []S, v string, read func(S, string) (string, bool), label func(S) string, field, what, choose string) (string, string) {
	name := func(s S) string { short, _, _ := strings.Cut(label(s), " ("); return short }
	out, ok, differ := domain.ReadIn(styles, v, read)
	switch {
	case differ:
		var readings []string
		as := map[string][]string{} // a reading → the styles that give it
		for _, st := range styles {
			if r, ok := read(st, v); ok {
				if as[r] == nil {
					readings = append(readings, r)
				}
				as[r] = append(as[r], name(st))
			}
		}
		var ways []string
		for _, r := range readings {
			ways = append(ways, r+" written as "+strings.Join(as[r], " or "))
		}
		return "", field + ": “" + v + "” reads as " + strings.Join(ways, " or as ") + ". Choose how the file writes " + choose + ", above."
	case !ok:
		var as []string
		for _, st := range styles {
			as = append(as, name(st))
		}
		return "", field + ": “" + v + "” is not " + what + " written as " + strings.Join(as, " or ") + "."
	}
	return out, ""
}

// knownAccount is the account of presale a deals row names, by name or
// domain, or as the plan maps its name.
func (im *importer) knownAccount(name, domainName string) (int64, bool) {
	if id, ok := im.index.AccountID(name, domainName); ok {
		return id, true
	}
	to, mapped := im.plan.Accounts[domain.AccountKey(name)]
	return to, mapped && to != domain.NewAccount && im.index.HasAccount(to)
}

// dealAccount finds the account a deals row names: presale's (by name or
// domain), one the plan maps the name to, or one the import creates: the
// account's id or the key of the one to create, or why neither.
func (im *importer) dealAccount(name, domainName string) (id int64, create string, problem string) {
	key := domain.AccountKey(name)
	if id, ok := im.knownAccount(name, domainName); ok {
		if _, found := im.index.AccountID(name, domainName); !found {
			im.report.MappedAccounts = appendAccount(im.report.MappedAccounts, read.ImportAccount{Name: name, Key: key, LookAlikes: im.lookAlikes(name, key)})
		}
		return id, "", ""
	}
	if key == "" {
		return 0, "", "" // the deal's own check says the account is missing
	}
	if to, mapped := im.plan.Accounts[key]; mapped && to == domain.NewAccount {
		im.report.MappedAccounts = appendAccount(im.report.MappedAccounts, read.ImportAccount{Name: name, Key: key, LookAlikes: im.lookAlikes(name, key)})
		return 0, key, ""
	}
	alike := im.lookAlikes(name, key)
	im.report.UnknownAccounts = appendAccount(im.report.UnknownAccounts, read.ImportAccount{Name: name, Key: key, LookAlikes: alike})
	if len(alike) > 0 {
		// Not created on a guess: "Northwind" may be the "Northwind
		// Logistics" an accounts import brought.
		return 0, "", "Account: “" + name + "” may be “" + alike[0].Name + "” in presale. Choose it, or a new account, under Accounts above."
	}
	return 0, key, ""
}

// lookAlikes are presale's accounts a name may be short or long for,
// looked up once a name.
func (im *importer) lookAlikes(name, key string) []read.AccountChoice {
	alike, seen := im.alike[key]
	if !seen {
		alike = im.index.LookAlikes(name)
		im.alike[key] = alike
	}
	return alike
}

func appendAccount(list []read.ImportAccount, a read.ImportAccount) []read.ImportAccount {
	if slices.ContainsFunc(list, func(b read.ImportAccount) bool { return b.Key == a.Key }) {
		return list
	}
	return append(list, a)
}

// newAccountID stands for an account the import is to create while its
// deal is checked.
const newAccountID = 1

func (im *importer) deal(r csvfile.Row, ext string, l *read.ImportLine) {
	accountName, ownerName, stageName := im.value(r, "account"), im.value(r, "owner"), im.value(r, "stage")
	amount, closing := im.value(r, "amount"), im.value(r, "expected_close_date")
	currency := strings.ToUpper(im.value(r, "currency"))
	l.Values = map[string]string{"title": im.value(r, "title"), "account": accountName, "owner": ownerName, "stage": stageName,
		"amount": amount, "currency": cmp.Or(currency, im.plan.Currency, "USD"), "expected_close_date": closing}
	fail := func(p string) { l.Outcome, l.Problem = read.ImportFailing, p }
	// A deal presale has (by the other system's id, or its title at its
	// account) is that, whatever else the row says: a file imported again
	// asks nothing.
	if id, _ := im.knownAccount(accountName, im.value(r, "account_domain")); im.index.HasDeal(ext, id, domain.Line(im.value(r, "title"))) {
		l.Outcome, l.Problem = read.ImportExisting, "In presale already."
		return
	}
	// The owner and the stage are looked up before anything fails, so
	// every name to map is listed at once.
	owner, ownerKnown := im.actor, true
	if ownerName != "" {
		id := im.plan.Owners[ownerName] // 0, nobody, when not mapped
		_, ok := im.index.OwnerName(id)
		if ok {
			im.report.MappedOwners = appendOnce(im.report.MappedOwners, ownerName)
		} else if id, ok = im.index.Owner(ownerName); !ok {
			im.report.UnknownOwners = appendOnce(im.report.UnknownOwners, ownerName)
		}
		name, _ := im.index.OwnerName(id)
		owner, ownerKnown = domain.User{ID: id, Name: name}, ok
	}
	// Every reason the row fails, so one fix of the file mends it.
	var says []string
	if ownerKnown {
		l.Values["owner"] = owner.Name
		if err := domain.Authorize(im.actor, domain.ActionImport, domain.ImportSubject{Kind: domain.ImportDeals, DealOwnerIDs: []int64{owner.ID}}); err != nil {
			// A salesperson's file naming another owner: refused, unless
			// they map the name to themselves.
			im.report.UnknownOwners = appendOnce(im.report.UnknownOwners, ownerName)
			says = append(says, "Owner: "+owner.Name+". "+err.Error()+" To import it as yours, map “"+ownerName+"” to yourself above.")
		}
	}
	stage, stageKnown := domain.StageProspecting, true
	if stageName != "" {
		st, ok := im.plan.Stages[stageName]
		if ok {
			im.report.MappedStages = appendOnce(im.report.MappedStages, stageName)
		} else if st, ok = domain.ImportStage(stageName); !ok {
			im.report.UnknownStages = appendOnce(im.report.UnknownStages, stageName)
		}
		stage, stageKnown = st, ok
	}
	accountID, create, problem := im.dealAccount(accountName, im.value(r, "account_domain"))
	if problem != "" {
		says = append(says, problem)
	}
	if create != "" {
		l.Values["account"] = accountName + " (new)"
	} else if accountID != 0 {
		l.Values["account"] = im.index.AccountName(accountID)
	}
	if !ownerKnown {
		says = append(says, "No salesperson or manager “"+ownerName+"” in presale: map the owner.")
	}
	if stageKnown {
		l.Values["stage"] = stage.Label()
	} else {
		says = append(says, "No stage “"+stageName+"” in presale: map the stage.")
	}
	number := ""
	if amount != "" {
		n, sign, err := domain.SplitAmount(amount)
		switch {
		case err != nil:
			says = append(says, "Amount: "+err.Error()+".")
		case sign != "" && currency != "" && sign != currency:
			says = append(says, "Amount: “"+amount+"” is in "+sign+" but the currency column says "+currency+".")
		default:
			currency = cmp.Or(currency, sign)
			var why string
			if number, why = readIn(im.numbers, n, domain.NumberStyle.Read, domain.NumberStyle.Label, "Amount", "an amount", "numbers"); why != "" {
				says = append(says, why)
			}
		}
	}
	currency = cmp.Or(currency, im.plan.Currency, "USD")
	l.Values["currency"] = currency
	date, why := readIn(im.dates, closing, domain.DateStyle.Read, domain.DateStyle.Label, "Expected close date", "a date", "dates")
	if why != "" {
		says = append(says, why)
	}
	if number != "" {
		l.Values["amount"] = number
	}
	if date != "" {
		l.Values["expected_close_date"] = date
	}
	if len(says) > 0 {
		fail(strings.Join(says, "\n"))
		return
	}
	var d domain.Deal
	in := domain.DealInput{Title: im.value(r, "title"), AccountID: fmt.Sprint(accountID), OwnerID: fmt.Sprint(owner.ID), Stage: string(stage),
		Amount: number, Currency: currency, ExpectedCloseDate: date, Description: im.value(r, "description"),
		Imported: true}
	var account domain.Account
	if create != "" {
		// The account is the import's to create, checked as the accounts
		// form checks one; the deal names it once it is written.
		in.AccountID = strconv.Itoa(newAccountID)
		if err := (domain.AccountInput{Name: accountName, Domain: im.value(r, "account_domain")}).Apply(&account); err != nil {
			says = append(says, "Account: "+problems(err))
		}
	}
	if err := in.Apply(&d, im.now); err != nil {
		says = append(says, problems(err))
	}
	if len(says) > 0 {
		fail(strings.Join(says, "\n"))
		return
	}
	d.ExternalID, d.CreatedAt, d.UpdatedAt = ext, im.now, im.now
	l.Values["amount"] = strings.TrimSuffix(d.Amount(), " "+d.Currency) // as people read it: 120,000.50
	if im.index.HasDeal(ext, accountID, d.Title) {
		l.Outcome, l.Problem = read.ImportExisting, "In presale already."
		return
	}
	at := fmt.Sprint(accountID)
	if create != "" {
		at = "new " + create
	}
	if dup := im.once(r.Line, key("t:"+at+":", strings.ToLower(d.Title)), key("x:", ext)); dup != "" {
		fail(dup)
		return
	}
	l.Outcome = read.ImportNew
	row := importRow{deal: d, names: [2]string{im.index.AccountName(accountID), owner.Name}}
	if create != "" {
		i, ok := im.created[create]
		if !ok {
			account.CreatedAt, account.UpdatedAt = im.now, im.now
			i, im.accounts = len(im.accounts), append(im.accounts, account)
			im.created[create] = i
			im.report.NewAccounts++
		}
		row.newAccount, row.names[0] = i+1, im.accounts[i].Name
	}
	im.rows = append(im.rows, row)
}

// write creates the new rows in batches, each with its event saying it
// came from an import.
func (im *importer) write(ctx context.Context, tx *store.Store) ([]Change, error) {
	source := domain.FieldChange{Field: "source", New: "CSV import"}
	var changes []Change
	switch im.plan.Kind {
	case domain.ImportAccounts:
		as := mapped(im.rows, func(r importRow) domain.Account { return r.account })
		if err := tx.Imports().CreateAccounts(ctx, as); err != nil {
			return nil, err
		}
		for _, a := range as {
			changes = append(changes, created(domain.EntityAccount, a.ID, nil, append(accountSnapshot(a), source)))
		}
	case domain.ImportContacts:
		cs := mapped(im.rows, func(r importRow) domain.Contact { return r.contact })
		if err := tx.Imports().CreateContacts(ctx, cs); err != nil {
			return nil, err
		}
		for _, c := range cs {
			changes = append(changes, created(domain.EntityContact, c.ID, nil, append(contactSnapshot(c), source)))
		}
	case domain.ImportDeals:
		// The accounts the file names and presale lacked, first.
		if len(im.accounts) > 0 {
			if err := tx.Imports().CreateAccounts(ctx, im.accounts); err != nil {
				return nil, err
			}
			for _, a := range im.accounts {
				changes = append(changes, created(domain.EntityAccount, a.ID, nil, append(accountSnapshot(a), source)))
			}
		}
		ds := mapped(im.rows, func(r importRow) domain.Deal {
			if r.newAccount > 0 {
				r.deal.AccountID = im.accounts[r.newAccount-1].ID
			}
			return r.deal
		})
		if err := tx.Imports().CreateDeals(ctx, ds); err != nil {
			return nil, err
		}
		for i, d := range ds {
			changes = append(changes, created(domain.EntityDeal, d.ID, &ds[i].ID, append(d.Snapshot(im.rows[i].names[0], im.rows[i].names[1], nil), source)))
		}
	}
	return changes, nil
}

func mapped[R, T any](rows []R, f func(R) T) []T {
	out := make([]T, len(rows))
	for i, r := range rows {
		out[i] = f(r)
	}
	return out
}

func appendOnce(list []string, v string) []string {
	if slices.Contains(list, v) {
		return list
	}
	return append(list, v)
}
