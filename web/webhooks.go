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

func (h *adminHandlers) webhooks(c echo.Context) error {
	return h.webhooksPage(c, http.StatusOK, pages.WebhooksView{Input: domain.WebhookInput{Kind: string(domain.WebhookStandard)}})
}

func (h *adminHandlers) webhooksPage(c echo.Context, status int, v pages.WebhooksView) error {
	es, err := h.svc.Deliveries.WebhookEndpoints(c.Request().Context(), signedIn(c))
	if err != nil {
		return err
	}
	v.Endpoints = read.EndpointsOf(es)
	return h.site.render(c, status, pages.Webhooks(h.site.shell(c, "Webhooks"), v))
}

// createWebhook registers an endpoint and shows its secret in this
// response only.
func (h *adminHandlers) createWebhook(c echo.Context) error {
	in := domain.WebhookInput{URL: c.FormValue("url"), Kind: c.FormValue("kind"), EventTypes: formValues(c, "event_types")}
	e, err := h.svc.Deliveries.CreateWebhookEndpoint(c.Request().Context(), signedIn(c), in)
	var invalid domain.ValidationErrors
	switch {
	case errors.As(err, &invalid):
		return h.webhooksPage(c, http.StatusUnprocessableEntity, pages.WebhooksView{Input: in, Errors: invalid})
	case err != nil:
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return h.webhooksPage(c, http.StatusCreated, pages.WebhooksView{NewSecret: e.Secret, Input: domain.WebhookInput{Kind: string(domain.WebhookStandard)}})
}

func (h *adminHandlers) webhook(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	pg := page(c)
	e, ds, total, err := h.svc.Deliveries.WebhookDeliveries(c.Request().Context(), signedIn(c), id, pg)
	if err != nil {
		return err
	}
	return h.site.render(c, http.StatusOK, pages.Webhook(h.site.shell(c, "Webhook"), pages.WebhookView{Endpoint: read.EndpointOf(e), Deliveries: ds, Pager: pager(c, pg, total, "deliveries"), Now: h.svc.Now()}))
}

// rotateWebhookSecret gives the endpoint a new secret and shows it in this
// response only.
func (h *adminHandlers) rotateWebhookSecret(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	rotated, err := h.svc.Deliveries.RotateWebhookSecret(ctx, signedIn(c), id)
	if err != nil {
		return err
	}
	pg := page(c)
	e, ds, total, err := h.svc.Deliveries.WebhookDeliveries(ctx, signedIn(c), id, pg)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return h.site.render(c, http.StatusOK, pages.Webhook(h.site.shell(c, "Webhook"), pages.WebhookView{Endpoint: read.EndpointOf(e), Deliveries: ds,
		Pager: pager(c, pg, total, "deliveries"), NewSecret: rotated.Secret, Now: h.svc.Now()}))
}

// deleteWebhook deletes an endpoint once the administrator ticked that
// its log goes too.
func (h *adminHandlers) deleteWebhook(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	if c.FormValue("confirm") != "1" {
		return domain.ValidationErrors{"confirm": "Tick the box to delete the endpoint and its delivery log."}
	}
	e, err := h.svc.Deliveries.DeleteWebhookEndpoint(c.Request().Context(), signedIn(c), id)
	if err != nil {
		return err
	}
	h.site.flash(c, "Deleted "+e.URL+" and its delivery log.")
	return c.Redirect(http.StatusSeeOther, "/admin/webhooks")
}

// setWebhookActive pauses or resumes an endpoint.
func (h *adminHandlers) setWebhookActive(active bool) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := idParam(c)
		if err != nil {
			return err
		}
		e, err := h.svc.Deliveries.SetWebhookEndpointActive(c.Request().Context(), signedIn(c), id, active)
		if err != nil {
			return err
		}
		msg := "Paused: nothing more is queued for " + e.URL + "."
		if active {
			msg = "Resumed: " + e.URL + " gets changes again."
		}
		h.site.flash(c, msg)
		return c.Redirect(http.StatusSeeOther, components.Path("/admin/webhooks/", id))
	}
}

func (h *adminHandlers) redeliver(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	d, err := h.svc.Deliveries.Redeliver(c.Request().Context(), signedIn(c), id)
	if err != nil {
		return err
	}
	h.site.flash(c, "Queued again: it goes out in a moment.")
	return back(c, components.Path("/admin/webhooks/", d.EndpointID))
}
