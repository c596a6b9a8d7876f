package domain

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// ImportKind is what a CSV import brings in.
type ImportKind string

const (
	ImportAccounts ImportKind = "accounts"
	ImportContacts ImportKind = "contacts"
	ImportDeals    ImportKind = "deals"
)

// ImportKinds lists the kinds in the order people bring them: accounts
// first, so contacts and deals find theirs.
var ImportKinds = []ImportKind{ImportAccounts, ImportContacts, ImportDeals}

// Valid reports whether k is a known kind.
func (k ImportKind) Valid() bool { return oneOf(k, ImportKinds) }

// Label is the kind for people: "Deals".
func (k ImportKind) Label() string { return strings.ToUpper(string(k[:1])) + string(k[1:]) }

// One is one thing of the kind: "deal".
func (k ImportKind) One() string { return strings.TrimSuffix(string(k), "s") }

// ImportField is a presale field a column can fill, with the column names
// HubSpot's and Salesforce's standard exports (and people) give it.
type ImportField struct {
	Name     string // as the forms name it
	Label    string
	Required bool
	Columns  []string // known headers, compared without case, spaces or punctuation
}

// ImportFields are the fields of each kind.
var ImportFields = map[ImportKind][]ImportField{
	ImportAccounts: {
		{Name: "external_id", Label: "ID in the other system", Columns: []string{"Record ID", "Company ID", "Account ID", "External ID", "ID"}},
		{Name: "name", Label: "Name", Required: true, Columns: []string{"Company name", "Account Name", "Name", "Company"}},
		{Name: "domain", Label: "Domain or website", Columns: []string{"Company Domain Name", "Website URL", "Website", "Domain"}},
		{Name: "industry", Label: "Industry", Columns: []string{"Industry"}},
		{Name: "notes", Label: "Notes", Columns: []string{"Description", "About Us", "Notes"}},
	},
	ImportContacts: {
		{Name: "external_id", Label: "ID in the other system", Columns: []string{"Record ID", "Contact ID", "External ID", "ID"}},
		{Name: "account", Label: "Account (name)", Required: true, Columns: []string{"Associated Company", "Company Name", "Account Name", "Company", "Account"}},
		{Name: "name", Label: "Full name", Columns: []string{"Full Name", "Name", "Contact Name"}},
		{Name: "first_name", Label: "First name", Columns: []string{"First Name"}},
		{Name: "last_name", Label: "Last name", Columns: []string{"Last Name"}},
		{Name: "title", Label: "Job title", Columns: []string{"Job Title", "Title"}},
		{Name: "email", Label: "E-mail", Columns: []string{"Email", "E-mail", "Email Address"}},
		{Name: "phone", Label: "Phone", Columns: []string{"Phone Number", "Phone", "Mobile Phone Number", "Mobile"}},
	},
	ImportDeals: {
		{Name: "external_id", Label: "ID in the other system", Columns: []string{"Record ID", "Deal ID", "Opportunity ID", "External ID", "ID"}},
		{Name: "title", Label: "Title", Required: true, Columns: []string{"Deal Name", "Opportunity Name", "Title", "Name"}},
		{Name: "account", Label: "Account (name)", Required: true, Columns: []string{"Associated Company", "Account Name", "Company Name", "Company", "Account"}},
		{Name: "account_domain", Label: "Account's domain or website", Columns: []string{"Company Domain Name", "Account Website", "Company Website", "Website", "Domain"}},
		{Name: "owner", Label: "Owner (name or e-mail)", Columns: []string{"Deal owner", "Opportunity Owner", "Owner", "Owner Name", "Owner Email"}},
		{Name: "stage", Label: "Stage", Columns: []string{"Deal Stage", "Stage"}},
		{Name: "amount", Label: "Amount", Columns: []string{"Amount", "Deal Amount", "Opportunity Amount"}},
		{Name: "currency", Label: "Currency", Columns: []string{"Currency", "Deal Currency Code", "Opportunity Currency", "Amount Currency"}},
		{Name: "expected_close_date", Label: "Expected close date", Columns: []string{"Close Date", "Expected Close Date"}},
		{Name: "description", Label: "Description", Columns: []string{"Description", "Deal Description"}},
	},
}

// columnKey compares headers: letters and digits only, lower case, so
// "Deal owner", "deal_owner" and "DEAL OWNER" are one.
func columnKey(h string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(h) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// RecognizeColumns maps a file's header onto a kind's fields: field name
// to column index, for the headers it knows (the first known name wins,
// in the order of each field's Columns), and the headers it does not,
// for the person to map.
func RecognizeColumns(kind ImportKind, header []string) (mapping map[string]int, unknown []string) {
	mapping = map[string]int{}
	at := map[string]int{}
	for i, h := range header {
		if _, seen := at[columnKey(h)]; !seen {
			at[columnKey(h)] = i
		}
	}
	used := map[int]bool{}
	for _, f := range ImportFields[kind] {
		for _, c := range f.Columns {
			if i, ok := at[columnKey(c)]; ok && !used[i] {
				mapping[f.Name], used[i] = i, true
				break
			}
		}
	}
	for i, h := range header {
		if !used[i] && strings.TrimSpace(h) != "" {
			unknown = append(unknown, h)
		}
	}
	return mapping, unknown
}

// importStages are the stage names of HubSpot's default pipeline and
// Salesforce's standard picklist, as presale's stages.
var importStages = map[string]Stage{
	"appointmentscheduled": StageDiscovery, "qualifiedtobuy": StageDiscovery, "presentationscheduled": StageEvaluation,
	"decisionmakerboughtin": StageProposal, "contractsent": StageNegotiation, "closedwon": StageClosedWon, "closedlost": StageClosedLost,
	"prospecting": StageProspecting, "qualification": StageDiscovery, "needsanalysis": StageDiscovery, "valueproposition": StageEvaluation,
	"iddecisionmakers": StageEvaluation, "perceptionanalysis": StageEvaluation, "proposalpricequote": StageProposal,
	"negotiationreview": StageNegotiation,
}

// ImportStage is presale's stage for a stage name from a file: one of
// presale's own (code or label), or a HubSpot or Salesforce default;
// false for a name the person has to map.
func ImportStage(name string) (Stage, bool) {
	key := columnKey(name)
	for _, s := range Stages {
		if key == columnKey(string(s)) || key == columnKey(s.Label()) {
			return s, true
		}
	}
	s, ok := importStages[key]
	return s, ok
}

// ImportPlan says how a file's columns and values become presale's.
type ImportPlan struct {
	Kind     ImportKind
	Columns  map[string]int   // field name → column index
	Stages   map[string]Stage // the file's stage names, as mapped
	Owners   map[string]int64 // the file's owner names, as mapped
	Currency string           // for deals without a currency column; USD if empty
	// The accounts a deals file names that presale does not have, by
	// AccountKey: an account's id, or NewAccount to create it.
	Accounts map[string]int64
	Numbers  NumberStyle // as chosen; "" to read as the file says
	Dates    DateStyle   // likewise
}

// NewAccount maps a deals file's account name to a new account.
const NewAccount int64 = 0

// ImportStatus is where an uploaded file is on its way in.
type ImportStatus string

const (
	ImportPending  ImportStatus = "pending"  // uploaded: being mapped and previewed
	ImportImported ImportStatus = "imported" // confirmed and written
)

// Label is the status for people.
func (s ImportStatus) Label() string {
	if s == ImportImported {
		return "Imported"
	}
	return "Waiting for confirmation"
}

// ImportKeep is how long an upload nobody confirmed is kept.
const ImportKeep = 7 * 24 * time.Hour

// Import is an uploaded file on its way in: the file (dropped once
// imported, so customer data is not kept twice), the mapping chosen so
// far, and what the import did.
type Import struct {
	ID                         int64
	Kind                       ImportKind
	FileName                   string
	Content                    []byte
	Plan                       ImportPlan `gorm:"serializer:json"`
	Status                     ImportStatus
	Created, Existing, Skipped int
	Version                    int64
	CreatedBy                  int64
	CreatedAt                  time.Time
	ImportedAt                 *time.Time
}

// What an import mapping maps.
const (
	MapColumn   = "column"   // a header → a field name
	MapStage    = "stage"    // a stage name → a stage
	MapOwner    = "owner"    // an owner's name → a person's id
	MapCurrency = "currency" // "" → the currency of amounts without one
	MapAccount  = "account"  // an account's key → an account's id
)

// ImportMapping is a mapping kept for the next file of a kind.
type ImportMapping struct {
	Kind      ImportKind `gorm:"primaryKey"`
	What      string     `gorm:"primaryKey"`
	Name      string     `gorm:"primaryKey"`
	Value     string
	UpdatedAt time.Time
}

// ImportMappingInput is the mapping form as posted: for each field the
// column chosen (its index, or "" for none), the file's stage and owner
// names with what each becomes, the currency of amounts without one, and
// whether to keep the mapping for the next file.
type ImportMappingInput struct {
	Columns                map[string]string
	StageNames, Stages     []string
	OwnerNames, Owners     []string
	AccountNames, Accounts []string // an account's id, "new" to create it, "" undecided
	Currency               string
	Numbers, Dates         string // a style, or "" to read as the file says
	Remember               bool
}

// NewAccountChoice is the mapping form's value for creating an account.
const NewAccountChoice = "new"

// Apply checks the mapping against the file's header and makes it the
// plan. Owners are checked to be people by the caller, who knows them.
func (in ImportMappingInput) Apply(p *ImportPlan, header []string) error {
	errs := ValidationErrors{}
	plan := ImportPlan{Kind: p.Kind, Columns: map[string]int{}, Stages: map[string]Stage{}, Owners: map[string]int64{}, Accounts: map[string]int64{}, Currency: p.Currency}
	usedBy := map[int]string{}
	for _, f := range ImportFields[p.Kind] {
		v := strings.TrimSpace(in.Columns[f.Name])
		if v == "" {
			if f.Required {
				errs["column_"+f.Name] = "Choose the column that holds the " + strings.ToLower(f.Label) + "."
			}
			continue
		}
		i, err := strconv.Atoi(v)
		switch {
		case err != nil || i < 0 || i >= len(header):
			errs["column_"+f.Name] = "Choose one of the file's columns."
		case usedBy[i] != "":
			errs["column_"+f.Name] = "“" + header[i] + "” is chosen for " + strings.ToLower(usedBy[i]) + " already."
		default:
			plan.Columns[f.Name], usedBy[i] = i, f.Label
		}
	}
	for i, name := range in.StageNames {
		if i >= len(in.Stages) || in.Stages[i] == "" {
			continue // left unmapped: its rows fail and say so
		}
		st := Stage(in.Stages[i])
		if !st.Valid() {
			errs["stages"] = "Choose one of presale's stages."
			continue
		}
		plan.Stages[name] = st
	}
	for i, name := range in.OwnerNames {
		if i >= len(in.Owners) || in.Owners[i] == "" {
			continue
		}
		id, err := strconv.ParseInt(in.Owners[i], 10, 64)
		if err != nil || id <= 0 {
			errs["owners"] = "Choose one of presale's salespeople or managers."
			continue
		}
		plan.Owners[name] = id
	}
	for i, name := range in.AccountNames {
		switch {
		case i >= len(in.Accounts) || in.Accounts[i] == "" || AccountKey(name) == "":
		case in.Accounts[i] == NewAccountChoice:
			plan.Accounts[AccountKey(name)] = NewAccount
		default:
			id, err := strconv.ParseInt(in.Accounts[i], 10, 64)
			if err != nil || id <= 0 {
				errs["accounts"] = "Choose one of presale's accounts, or a new one."
				continue
			}
			plan.Accounts[AccountKey(name)] = id
		}
	}
	if p.Kind == ImportDeals {
		plan.Currency = strings.ToUpper(strings.TrimSpace(in.Currency))
		if !ValidCurrency(plan.Currency) {
			errs["currency"] = "Choose a currency."
		}
		plan.Numbers, plan.Dates = NumberStyle(in.Numbers), DateStyle(in.Dates)
		if plan.Numbers != "" && !plan.Numbers.Valid() {
			errs["numbers"] = "Choose how the file writes numbers."
		}
		if plan.Dates != "" && !plan.Dates.Valid() {
			errs["dates"] = "Choose how the file writes dates."
		}
	}
	if len(errs) > 0 {
		return errs
	}
	*p = plan
	return nil
}

// NamesLookAlike reports two account names one of which may be short for
// the other: "Northwind" and "Northwind Logistics", not "Northwind
// Traders" and "Northwind Logistics". The same name is not a look-alike:
// it is the same account.
func NamesLookAlike(a, b string) bool {
	ka, kb := strings.Fields(AccountKey(a)), strings.Fields(AccountKey(b))
	if len(ka) == 0 || len(kb) == 0 || len(ka) == len(kb) {
		return false
	}
	if len(ka) > len(kb) {
		ka, kb = kb, ka
	}
	return slices.Equal(ka, kb[:len(ka)])
}
