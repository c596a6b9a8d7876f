package web

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/service"
)

// calendar serves a user's meetings as an RFC 5545 feed; the token in the
// address is the credential. The feed is the same bytes until a meeting
// changes, so calendar apps polling it get 304 Not Modified.
func (h *settingsHandlers) calendar(c echo.Context) error {
	token, ok := strings.CutSuffix(c.Param("file"), ".ics")
	if !ok {
		return domain.ErrNotFound
	}
	feed, err := h.svc.Meetings.CalendarFeed(c.Request().Context(), token)
	if err != nil {
		return err
	}
	body := []byte(icsFeed(feed, calendarHost(h.baseURL, c.Request().Host), h.baseURL))
	sum := sha256.Sum256(body)
	header := c.Response().Header()
	header.Set("Cache-Control", "private, max-age=300")
	header.Set("Content-Type", "text/calendar; charset=utf-8")
	header.Set("ETag", `"`+hex.EncodeToString(sum[:16])+`"`)
	var modified time.Time
	for _, m := range feed.Meetings {
		if m.UpdatedAt.After(modified) {
			modified = m.UpdatedAt
		}
	}
	http.ServeContent(c.Response(), c.Request(), "", modified, bytes.NewReader(body))
	return nil
}

// calendarHost names this installation in event UIDs, so two presale
// installations never collide in one calendar: the host of the base URL,
// or the host the feed was fetched from.
func calendarHost(baseURL, requestHost string) string {
	if u, err := url.Parse(baseURL); err == nil && u.Hostname() != "" {
		return u.Hostname()
	}
	if h, _, err := net.SplitHostPort(requestHost); err == nil {
		return h
	}
	return cmp.Or(requestHost, "presale")
}

// icsFeed writes the calendar: CRLF line ends, text escaped and long
// lines folded as RFC 5545 says. It depends only on the meetings, so it
// is byte for byte the same until one changes.
func icsFeed(f service.CalendarFeed, host, baseURL string) string {
	var b strings.Builder
	line := func(name, value string) { b.WriteString(foldICS(name + ":" + value)) }
	stamp := func(t time.Time) string { return t.UTC().Format("20060102T150405Z") }
	line("BEGIN", "VCALENDAR")
	line("VERSION", "2.0")
	line("PRODID", "-//presale//pre-sale meetings//EN")
	line("CALSCALE", "GREGORIAN")
	line("METHOD", "PUBLISH")
	line("X-WR-CALNAME", escapeICS("presale: "+f.User.Name))
	for _, m := range f.Meetings {
		line("BEGIN", "VEVENT")
		line("UID", fmt.Sprintf("meeting-%d@%s", m.ID, host))
		line("DTSTAMP", stamp(m.UpdatedAt))
		line("LAST-MODIFIED", stamp(m.UpdatedAt))
		line("SEQUENCE", strconv.FormatInt(max(m.Version-1, 0), 10))
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
		for _, p := range f.People[m.ID] {
			name := "CN=" + paramICS(p.Name)
			switch {
			case p.Email == "":
				continue // an attendee is a calendar address
			case p.Part == "organizer":
				line("ORGANIZER;"+name, "mailto:"+p.Email)
			case p.Part == "customer":
				line("ATTENDEE;"+name+";CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT", "mailto:"+p.Email)
			default:
				line("ATTENDEE;"+name+";CUTYPE=INDIVIDUAL;ROLE=OPT-PARTICIPANT", "mailto:"+p.Email)
			}
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

// paramICS quotes a parameter value (RFC 5545 3.2): no double quotes or
// control characters may appear inside, so they are dropped.
func paramICS(s string) string {
	return `"` + strings.Map(func(r rune) rune {
		if r == '"' || r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, s) + `"`
}

// escapeICS escapes a TEXT value.
func escapeICS(s string) string {
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`).Replace(s)
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
