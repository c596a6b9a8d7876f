package read

import "github.com/presale/presale/internal/domain"

// TimelineEntry is an event with the name of who did it.
type TimelineEntry struct {
	domain.Event
	ActorName string
}
