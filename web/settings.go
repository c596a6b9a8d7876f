package web

import (
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/alexedwards/scs/v2"
	"github.com/labstack/echo/v4"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/service"
	"github.com/presale/presale/views/pages"
)

// settingsHandlers serve a person's own settings: time zone, password,
// e-mail and its unsubscribe links, the calendar feed (calendar.go), and
// API tokens (their own, and everyone's for administrators).
type settingsHandlers struct {
	svc      *service.Service
	site     site
	sessions *scs.SessionManager // a changed password renews the session
	baseURL  string              // where presale is served, if configured (the feed's address)
}

func (h *settingsHandlers) settings(c echo.Context) error {
	return h.settingsPage(c, http.StatusOK, pages.SettingsView{})
}

// settingsPage draws the settings with what v already holds (a zone as
// typed, errors) and the rest from the signed-in user.
func (h *settingsHandlers) settingsPage(c echo.Context, status int, v pages.SettingsView) error {
	u := signedIn(c)
	if v.TimeZone == "" {
		if v.TimeZone = userZone(c); v.TimeZone == "" {
			v.TimeZone = h.site.location(c).String()
		}
	}
	v.Zones = zonesWith(v.TimeZone)
	v.CalendarURL = h.absolute(c, "/calendar/"+u.CalendarToken+".ics")
	v.MustChange, v.NoPassword = u.MustChangePassword, u.PasswordHash == ""
	tokens, err := h.svc.People.Tokens(c.Request().Context(), u, false)
	if err != nil {
		return err
	}
	v.Tokens.Tokens, v.Tokens.Now = tokens, h.svc.Now()
	v.Email = pages.EmailView{Kinds: strings.Fields(u.EmailKinds), Digest: u.EmailDigest, On: h.svc.Deliveries.SendsEmail(), Zone: v.TimeZone}
	return h.site.render(c, status, pages.Settings(h.site.shell(c, "Settings"), v))
}

func (h *settingsHandlers) saveSettings(c echo.Context) error {
	tz := c.FormValue("time_zone")
	err := h.svc.People.SetTimeZone(c.Request().Context(), signedIn(c), tz)
	to := "/settings"
	if next := c.FormValue("next"); next != "" && localPath(next) == next {
		to = next // the offer to switch zones returns to the page it was on
	}
	return h.site.saved(c, err, func(p formProblem) error {
		return h.settingsPage(c, p.Status, pages.SettingsView{TimeZone: tz, Error: p.Errors["time_zone"]})
	}, to, "Settings saved: times now show in "+tz+".")
}

func (h *settingsHandlers) rotateEmailLinks(c echo.Context) error {
	if err := h.svc.People.RotateEmailToken(c.Request().Context(), signedIn(c)); err != nil {
		return err
	}
	h.site.flash(c, "Your unsubscribe links are new; those in the e-mails already sent no longer work.")
	return c.Redirect(http.StatusSeeOther, "/settings#email")
}

func (h *settingsHandlers) rotateCalendar(c echo.Context) error {
	if _, err := h.svc.People.RotateCalendarToken(c.Request().Context(), signedIn(c)); err != nil {
		return err
	}
	h.site.flash(c, "Your calendar feed has a new address; the old one no longer works. Subscribe again with the new one.")
	return c.Redirect(http.StatusSeeOther, "/settings#calendar")
}

func (h *settingsHandlers) changePassword(c echo.Context) error {
	ctx := c.Request().Context()
	u, err := h.svc.People.ChangePassword(ctx, signedIn(c), c.FormValue("current_password"), c.FormValue("new_password"))
	if err == nil {
		// This session goes on under the new password, with a new token;
		// every other one has ended.
		if err = h.sessions.RenewToken(ctx); err == nil {
			h.sessions.Put(ctx, sessionEpoch, u.SessionEpoch)
		}
	}
	return h.site.saved(c, err, func(p formProblem) error {
		return h.settingsPage(c, p.Status, pages.SettingsView{PasswordErrors: p.Errors})
	}, "/settings", "Password changed. Your other sessions have ended.")
}

// createToken makes a personal API token and shows its secret in this
// response only: it is never put in the session or a redirect.
func (h *settingsHandlers) createToken(c echo.Context) error {
	in := domain.TokenInput{Name: c.FormValue("name"), Scope: c.FormValue("scope"), ExpiresOn: c.FormValue("expires_on")}
	t, secret, err := h.svc.People.CreateToken(c.Request().Context(), signedIn(c), in)
	var invalid domain.ValidationErrors
	switch {
	case errors.As(err, &invalid):
		return h.settingsPage(c, http.StatusUnprocessableEntity, pages.SettingsView{Tokens: pages.TokensView{Input: in, Errors: invalid}})
	case err != nil:
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return h.settingsPage(c, http.StatusCreated, pages.SettingsView{Tokens: pages.TokensView{NewSecret: secret, NewName: t.Name}})
}

// revokeToken ends a token: one's own from the settings page, anyone's
// from the administrators' list.
func (h *settingsHandlers) revokeToken(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	t, err := h.svc.People.RevokeToken(c.Request().Context(), signedIn(c), id)
	if err != nil {
		return err
	}
	h.site.flash(c, "API token “"+t.Name+"” revoked; it no longer works.")
	if t.UserID != signedIn(c).ID {
		return c.Redirect(http.StatusSeeOther, "/admin/tokens")
	}
	return c.Redirect(http.StatusSeeOther, "/settings#tokens")
}

// saveEmail keeps which notifications also come by e-mail, and the digest.
func (h *settingsHandlers) saveEmail(c echo.Context) error {
	prefs := domain.EmailPrefs{Kinds: formValues(c, "kinds"), Digest: c.FormValue("digest") == "1"}
	if _, err := h.svc.People.SetEmailPrefs(c.Request().Context(), signedIn(c), prefs); err != nil {
		return err
	}
	h.site.flash(c, "E-mail choices saved.")
	return c.Redirect(http.StatusSeeOther, "/settings#email")
}

// unsubscribe confirms (GET) or takes (POST, one click from a mail client
// as RFC 8058 asks) one kind of e-mail off. The token in the address is
// the credential: no session, no CSRF token.
func (h *settingsHandlers) unsubscribe(c echo.Context) error {
	token, kind := c.Param("token"), c.QueryParam("kind")
	label, ok := domain.EmailKindLabel(kind)
	if !ok {
		return domain.ErrNotFound
	}
	v := pages.UnsubscribeView{Token: token, Kind: kind, Label: label}
	if c.Request().Method == http.MethodPost {
		if _, err := h.svc.People.Unsubscribe(c.Request().Context(), token, kind); err != nil {
			return err
		}
		v.Done = true
	} else if _, err := h.svc.People.UserByEmailToken(c.Request().Context(), token); err != nil {
		return err
	}
	return h.site.render(c, http.StatusOK, pages.Unsubscribe(h.site.shell(c, "E-mail"), v))
}

// adminTokens lists every person's API tokens for administrators.
func (h *settingsHandlers) adminTokens(c echo.Context) error {
	tokens, err := h.svc.People.Tokens(c.Request().Context(), signedIn(c), true)
	if err != nil {
		return err
	}
	return h.site.render(c, http.StatusOK, pages.AdminTokens(h.site.shell(c, "API tokens"), pages.AdminTokensView{Tokens: tokens, Now: h.svc.Now()}))
}

// zonesWith lists the offered zones plus the current one if it is not
// among them.
func zonesWith(tz string) []string {
	if tz == "" || slices.Contains(timeZones, tz) {
		return timeZones
	}
	return append([]string{tz}, timeZones...)
}

// absolute makes a path a full address: the configured base URL, else the
// host the request came to.
func (h *settingsHandlers) absolute(c echo.Context, path string) string {
	if h.baseURL != "" {
		return strings.TrimSuffix(h.baseURL, "/") + path
	}
	return c.Scheme() + "://" + c.Request().Host + path
}

// timeZones are the zones the settings page offers.
var timeZones = strings.Fields(`UTC
America/Los_Angeles America/Denver America/Chicago America/New_York America/Toronto America/Mexico_City
America/Bogota America/Sao_Paulo America/Argentina/Buenos_Aires
Europe/London Europe/Dublin Europe/Lisbon Europe/Paris Europe/Berlin Europe/Madrid Europe/Rome Europe/Amsterdam
Europe/Stockholm Europe/Oslo Europe/Copenhagen Europe/Warsaw Europe/Zurich Europe/Athens Europe/Helsinki Europe/Istanbul
Africa/Lagos Africa/Johannesburg Africa/Nairobi Asia/Dubai Asia/Kolkata Asia/Singapore Asia/Shanghai Asia/Hong_Kong
Asia/Tokyo Asia/Seoul Australia/Perth Australia/Sydney Pacific/Auckland`)
