package web

import (
	"context"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/service"
)

// deskAPI serves what is the caller's own: their notifications (and apiMe,
// who the token acts as, which needs nothing more).
type deskAPI struct{ svc *service.Service }

type meOut struct{ Body apiUserOut }

// apiMe says who the token acts as.
func apiMe(ctx context.Context, _ *struct{}) (*meOut, error) {
	u := apiUser(ctx)
	return &meOut{Body: apiUserOut{ID: u.ID, Name: u.Name, Email: u.Email, Role: choice[domain.Role](u.Role), Admin: u.Admin}}, nil
}

type notificationsIn struct {
	Paging
}

func (h *deskAPI) apiNotifications(ctx context.Context, in *notificationsIn) (*list[apiNotification], error) {
	pg, err := in.page()
	if err != nil {
		return nil, err
	}
	rows, total, err := h.svc.Desk.Notifications(ctx, apiUser(ctx), pg)
	return listOf(mapped(rows, notificationOut), next(pg, len(rows), total)), err
}

type readOutput struct {
	Body struct {
		Read bool `json:"read"`
	}
}

func (h *deskAPI) apiMarkRead(ctx context.Context, in *IDParam) (*readOutput, error) {
	if err := h.svc.Desk.MarkRead(ctx, apiUser(ctx), in.ID); err != nil {
		return nil, err
	}
	out := &readOutput{}
	out.Body.Read = true
	return out, nil
}
