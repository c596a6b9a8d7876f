package web

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
	"github.com/presale/presale/views/components"
	"github.com/presale/presale/views/pages"
)

// Handlers of webhook endpoints and their deliveries, for administrators.

func (s *Server) webhooks(c echo.Context) error {
	return s.webhooksPage(c, http.StatusOK, pages.WebhooksView{Input: domain.WebhookInput{Kind: string(domain.WebhookStandard)}})
}

func (s *Server) webhooksPage(c echo.Context, status int, v pages.WebhooksView) error {
	es, err := s.svc.WebhookEndpoints(c.Request().Context(), signedIn(c))
	if err != nil {
		return err
	}
	v.Endpoints = read.EndpointsOf(es)
	return s.render(c, status, pages.Webhooks(s.shell(c, "Webhooks"), v))
}

// createWebhook registers an endpoint and shows its secret in this
// response only.
func (s *Server) createWebhook(c echo.Context) error {
	in := domain.WebhookInput{URL: c.FormValue("url"), Kind: c.FormValue("kind"), EventTypes: formValues(c, "event_types")}
	e, err := s.svc.CreateWebhookEndpoint(c.Request().Context(), signedIn(c), in)
	var invalid domain.ValidationErrors
	switch {
	case errors.As(err, &invalid):
		return s.webhooksPage(c, http.StatusUnprocessableEntity, pages.WebhooksView{Input: in, Errors: invalid})
	case err != nil:
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return s.webhooksPage(c, http.StatusCreated, pages.WebhooksView{NewSecret: e.Secret, Input: domain.WebhookInput{Kind: string(domain.WebhookStandard)}})
}

func (s *Server) webhook(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	pg := page(c)
	e, ds, total, err := s.svc.WebhookDeliveries(c.Request().Context(), signedIn(c), id, pg)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, pages.Webhook(s.shell(c, "Webhook"), pages.WebhookView{Endpoint: read.EndpointOf(e), Deliveries: ds, Pager: pager(c, pg, total, "deliveries"), Now: s.svc.Now()}))
}

// rotateWebhookSecret gives the endpoint a new secret and shows it in this
// response only.
func (s *Server) rotateWebhookSecret(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	rotated, err := s.svc.RotateWebhookSecret(ctx, signedIn(c), id)
	if err != nil {
		return err
	}
	pg := page(c)
	e, ds, total, err := s.svc.WebhookDeliveries(ctx, signedIn(c), id, pg)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return s.render(c, http.StatusOK, pages.Webhook(s.shell(c, "Webhook"), pages.WebhookView{Endpoint: read.EndpointOf(e), Deliveries: ds,
		Pager: pager(c, pg, total, "deliveries"), NewSecret: rotated.Secret, Now: s.svc.Now()}))
}

// deleteWebhook deletes an endpoint once the administrator ticked that
// its log goes too.
func (s *Server) deleteWebhook(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	if c.FormValue("confirm") != "1" {
		return domain.ValidationErrors{"confirm": "Tick the box to delete the endpoint and its delivery log."}
	}
	e, err := s.svc.DeleteWebhookEndpoint(c.Request().Context(), signedIn(c), id)
	if err != nil {
		return err
	}
	s.flash(c, "Deleted "+e.URL+" and its delivery log.")
	return c.Redirect(http.StatusSeeOther, "/admin/webhooks")
}

// setWebhookActive pauses or resumes an endpoint.
func (s *Server) setWebhookActive(active bool) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := idParam(c)
		if err != nil {
			return err
		}
		e, err := s.svc.SetWebhookEndpointActive(c.Request().Context(), signedIn(c), id, active)
		if err != nil {
			return err
		}
		msg := "Paused: nothing more is queued for " + e.URL + "."
		if active {
			msg = "Resumed: " + e.URL + " gets changes again."
		}
		s.flash(c, msg)
		return c.Redirect(http.StatusSeeOther, components.Path("/admin/webhooks/", id))
	}
}

func (s *Server) redeliver(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	d, err := s.svc.Redeliver(c.Request().Context(), signedIn(c), id)
	if err != nil {
		return err
	}
	s.flash(c, "Queued again: it goes out in a moment.")
	return back(c, components.Path("/admin/webhooks/", d.EndpointID))
}
