package web

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/store"
)

// calendar serves a user's meetings as an RFC 5545 feed; the token in the
// address is the credential, so the feed needs no session.
func (s *Server) calendar(c echo.Context) error {
	token, ok := strings.CutSuffix(c.Param("file"), ".ics")
	if !ok {
		return domain.ErrNotFound
	}
	u, meetings, err := s.svc.CalendarFeed(c.Request().Context(), token)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "private, max-age=300")
	return c.Blob(http.StatusOK, "text/calendar; charset=utf-8", []byte(icsFeed(u, meetings, s.cfg.BaseURL, time.Now().UTC())))
}

// icsFeed writes the calendar: CRLF line ends, text escaped and long
// lines folded as RFC 5545 says.
func icsFeed(u domain.User, meetings []store.MeetingRow, baseURL string, now time.Time) string {
	var b strings.Builder
	line := func(name, value string) { b.WriteString(foldICS(name + ":" + value)) }
	stamp := func(t time.Time) string { return t.UTC().Format("20060102T150405Z") }
	line("BEGIN", "VCALENDAR")
	line("VERSION", "2.0")
	line("PRODID", "-//presale//pre-sale meetings//EN")
	line("CALSCALE", "GREGORIAN")
	line("METHOD", "PUBLISH")
	line("X-WR-CALNAME", escapeICS("presale: "+u.Name))
	for _, m := range meetings {
		line("BEGIN", "VEVENT")
		line("UID", fmt.Sprintf("meeting-%d@presale", m.ID))
		line("DTSTAMP", stamp(now))
		line("DTSTART", stamp(m.StartsAt))
		line("DTEND", stamp(m.EndsAt))
		line("SUMMARY", escapeICS(m.Title+" — "+m.AccountName))
		desc := "Deal: " + m.DealTitle
		if m.Goal != "" {
			desc += "\nGoal: " + m.Goal
		}
		if m.Agenda != "" {
			desc += "\nAgenda:\n" + m.Agenda
		}
		line("DESCRIPTION", escapeICS(desc))
		if m.Location != "" {
			line("LOCATION", escapeICS(m.Location))
		}
		if baseURL != "" {
			line("URL", strings.TrimSuffix(baseURL, "/")+fmt.Sprintf("/meetings/%d", m.ID))
		}
		status := "CONFIRMED"
		if m.Status == domain.MeetingCancelled {
			status = "CANCELLED"
		}
		line("STATUS", status)
		line("END", "VEVENT")
	}
	line("END", "VCALENDAR")
	return b.String()
}

// escapeICS escapes a TEXT value.
func escapeICS(s string) string {
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`).Replace(s)
}

// foldICS ends a content line with CRLF, folding it into lines of at most
// 75 octets without splitting a UTF-8 character.
func foldICS(l string) string {
	var b strings.Builder
	width := 0
	for _, r := range l {
		n := len(string(r))
		if width+n > 75 {
			b.WriteString("\r\n ")
			width = 1
		}
		b.WriteRune(r)
		width += n
	}
	b.WriteString("\r\n")
	return b.String()
}
