package read

import (
	"cmp"
	"strings"

	"github.com/presale/presale/internal/csvfile"
	"github.com/presale/presale/internal/domain"
)

// Outcomes of a row.
const (
	ImportNew      = "new"      // will be (or was) created
	ImportExisting = "existing" // presale has it already: nothing is written
	ImportFailing  = "failing"  // cannot be imported as it is
)

// ImportLine is one row of the file as it will be saved, or why not.
type ImportLine struct {
	Line    int
	Outcome string
	Values  map[string]string // the fields as presale will hold them
	Problem string            // why it fails, a reason a line; or how it is in presale already
}

// Reasons are the line's problem, one reason each.
func (l ImportLine) Reasons() []string { return strings.Split(l.Problem, "\n") }

// ImportReport is what an import does, or did.
type ImportReport struct {
	Kind                         domain.ImportKind
	Lines                        []ImportLine
	New, Existing, Failing       int
	UnknownStages, UnknownOwners []string // to map before importing
	MappedStages, MappedOwners   []string // the file's names the plan maps
	// A deals file's accounts presale lacks: to map, or mapped by the plan
	UnknownAccounts, MappedAccounts []ImportAccount
	NewAccounts                     int // accounts the import creates for its deals
	Numbers                         ImportStyle[domain.NumberStyle]
	Dates                           ImportStyle[domain.DateStyle]
	Written                         bool
}

// Asks reports a file with rows to import whose amounts or dates read
// two ways, the person not having said which: nothing is imported then.
func (r ImportReport) Asks() bool {
	return r.New+r.Failing > 0 && (r.Numbers.Ask() || r.Dates.Ask())
}

// ImportAccount is an account a deals file names that presale does not
// have, with the accounts it may be short or long for.
type ImportAccount struct {
	Name, Key  string // as the file first writes it; domain.AccountKey
	LookAlikes []AccountChoice
}

// ImportStyle is how a deals file's amounts or dates are read: as the
// person chose, or as the file's values say.
type ImportStyle[S ~string] struct {
	Chosen S
	Guess  domain.Guess[S]
}

// Style is the style the file is read in; "" while it is to choose.
func (s ImportStyle[S]) Style() S { return cmp.Or(s.Chosen, s.Guess.Style()) }

// Ask reports a file that reads two ways and no choice made: nothing is
// imported until the person chooses.
func (s ImportStyle[S]) Ask() bool { return s.Chosen == "" && !s.Guess.Settled() }

// Styles are the styles values are read in: the one chosen, else those
// the file leaves.
func (s ImportStyle[S]) Styles() []S {
	if s.Chosen != "" {
		return []S{s.Chosen}
	}
	return s.Guess.Styles
}

// ImportPreview is what confirming a pending upload would do: the file's
// header, and the report of every row checked against presale now.
type ImportPreview struct {
	File   csvfile.File
	Report ImportReport
}

// ImportRow is an upload in the list of imports, without its file, with
// who brought it.
type ImportRow struct {
	domain.Import
	CreatorName string
}
