package read

import (
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
	Written                      bool
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
