package read

import "github.com/presale/presale/internal/domain"

// TaskRow is a next step with the names it is shown with.
type TaskRow struct {
	domain.Task
	AssigneeName string
	DealTitle    string
}
