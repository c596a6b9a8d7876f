package web_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-ical"
	"github.com/presale/presale/db"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/testenv"
	"github.com/presale/presale/web"
)

func TestCalendarFeed(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		a := newApp(t, d, web.Config{BaseURL: "https://presale.example"})
		acc, _ := a.account("Northwind, Inc.")
		sales, devrel := a.users[domain.RoleSales], a.users[domain.RoleDevRel]
		deal := a.deal(sales, acc.ID, "Fleet")
		a.meeting(sales, deal.ID, "Security deep dive; keys", 30, sales, devrel)
		a.meeting(sales, deal.ID, "Owner only", 50, sales)

		// The settings page gives the address; the feed needs no session.
		_, page := a.signedIn(domain.RoleDevRel).get("/settings")
		feedURL, _ := page.Find(`[data-testid="calendar-feed"] input`).Attr("value")
		if !strings.HasPrefix(feedURL, "https://presale.example/calendar/") || !strings.HasSuffix(feedURL, ".ics") {
			t.Fatalf("feed address %q", feedURL)
		}
		resp, err := http.Get(a.http.URL + strings.TrimPrefix(feedURL, "https://presale.example"))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		ics := string(body)
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/calendar; charset=utf-8" {
			t.Fatalf("%d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		if !strings.HasPrefix(ics, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") || !strings.HasSuffix(ics, "END:VCALENDAR\r\n") {
			t.Fatalf("not a calendar:\n%s", ics)
		}
		if n := strings.Count(ics, "BEGIN:VEVENT"); n != 1 {
			t.Fatalf("the DevRel's feed has %d events, want the one they attend", n)
		}
		for _, want := range []string{`SUMMARY:Security deep dive\; keys — Northwind\, Inc.`, "URL:https://presale.example/meetings/", "STATUS:CONFIRMED"} {
			if !strings.Contains(strings.ReplaceAll(ics, "\r\n ", ""), want) {
				t.Errorf("feed lacks %q:\n%s", want, ics)
			}
		}
		for _, l := range strings.Split(strings.TrimSuffix(ics, "\r\n"), "\r\n") {
			if len(l) > 75 {
				t.Errorf("line of %d octets: %q", len(l), l)
			}
		}
		// The owner sees both; an unknown token is not found.
		resp, _ = http.Get(a.http.URL + fmt.Sprint("/calendar/", sales.CalendarToken, ".ics"))
		body, _ = io.ReadAll(resp.Body)
		resp.Body.Close()
		if n := strings.Count(string(body), "BEGIN:VEVENT"); n != 2 {
			t.Fatalf("owner's feed has %d events", n)
		}
		for _, path := range []string{"/calendar/nope.ics", fmt.Sprint("/calendar/", sales.CalendarToken)} {
			resp, _ := http.Get(a.http.URL + path)
			resp.Body.Close()
			if resp.StatusCode != http.StatusNotFound {
				t.Fatalf("%s: %d", path, resp.StatusCode)
			}
		}
	})
}

// A real iCalendar parser reads the feed: every event has a UID naming
// this installation, SEQUENCE, LAST-MODIFIED, an ORGANIZER and ATTENDEEs,
// and a bare CR in a title cannot break a line. Polling gets 304 until a
// meeting changes.
func TestCalendarFeedForCalendarApps(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		a := newApp(t, d, web.Config{BaseURL: "https://presale.example:8443"})
		acc, contacts := a.account("Northwind", "Ines Ortega")
		ctx := context.Background()
		if _, err := a.svc().Accounts.UpdateContact(ctx, a.users[domain.RoleSales], contacts[0].ID, contacts[0].Version,
			domain.ContactInput{Name: "Ines Ortega", Email: "ines@northwind.example"}); err != nil {
			t.Fatal(err)
		}
		sales, devrel := a.users[domain.RoleSales], a.users[domain.RoleDevRel]
		deal := a.deal(sales, acc.ID, "Fleet")
		m := a.meeting(sales, deal.ID, "Kick-off\rX-INJECTED:1", 30, sales, devrel)
		path := "/calendar/" + devrel.CalendarToken + ".ics"

		fetch := func(h http.Header) (*http.Response, []byte) {
			req, _ := http.NewRequest(http.MethodGet, a.http.URL+path, nil)
			for k, v := range h {
				req.Header[k] = v
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			return resp, body
		}
		resp, body := fetch(nil)
		cal, err := ical.NewDecoder(bytes.NewReader(body)).Decode()
		if err != nil {
			t.Fatalf("a calendar parser refuses the feed: %v\n%s", err, body)
		}
		events := cal.Events()
		if len(events) != 1 {
			t.Fatalf("%d events", len(events))
		}
		ev := events[0]
		uid, _ := ev.Props.Text(ical.PropUID)
		if uid != fmt.Sprintf("meeting-%d@presale.example", m.ID) {
			t.Errorf("UID %q does not name the installation", uid)
		}
		// A title is one line (domain.Line): the CR typed into it is a space.
		if ev.Props.Get("X-INJECTED") != nil || !strings.Contains(string(body), "SUMMARY:Kick-off X-INJECTED:1") {
			t.Errorf("a bare CR in a title broke the feed:\n%s", body)
		}
		for _, p := range []string{ical.PropSequence, ical.PropLastModified, ical.PropOrganizer, ical.PropDateTimeStamp} {
			if ev.Props.Get(p) == nil {
				t.Errorf("no %s", p)
			}
		}
		if org := ev.Props.Get(ical.PropOrganizer); org == nil || org.Value != "mailto:"+sales.Email || org.Params.Get(ical.ParamCommonName) != sales.Name {
			t.Errorf("organizer %+v", org)
		}
		attendees := map[string]bool{}
		for _, p := range ev.Props.Values(ical.PropAttendee) {
			attendees[p.Value] = true
		}
		for _, want := range []string{"mailto:" + sales.Email, "mailto:" + devrel.Email} {
			if !attendees[want] {
				t.Errorf("attendees %v lack %s", attendees, want)
			}
		}

		etag, lastModified := resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
		if etag == "" || lastModified == "" {
			t.Fatalf("no validators: ETag %q, Last-Modified %q", etag, lastModified)
		}
		if resp, body := fetch(http.Header{"If-None-Match": {etag}}); resp.StatusCode != http.StatusNotModified || len(body) != 0 {
			t.Fatalf("If-None-Match: %d", resp.StatusCode)
		}
		if resp, _ := fetch(http.Header{"If-Modified-Since": {lastModified}}); resp.StatusCode != http.StatusNotModified {
			t.Fatalf("If-Modified-Since: %d", resp.StatusCode)
		}

		// Moving the meeting changes the feed, its validator and SEQUENCE.
		start := m.StartsAt.Add(time.Hour)
		if _, err := a.svc().Meetings.UpdateMeeting(ctx, sales, m.ID, m.Version, domain.MeetingInput{Title: "Kick-off", Type: "demo",
			StartsAt: start.Format(domain.DateTimeLayout), EndsAt: start.Add(time.Hour).Format(domain.DateTimeLayout),
			InternalAttendeeIDs: []string{fmt.Sprint(sales.ID), fmt.Sprint(devrel.ID)}}, time.UTC); err != nil {
			t.Fatal(err)
		}
		resp, body = fetch(http.Header{"If-None-Match": {etag}})
		if resp.StatusCode != http.StatusOK || resp.Header.Get("ETag") == etag || !strings.Contains(string(body), "SEQUENCE:1\r\n") {
			t.Fatalf("after a move: %d, ETag %q, feed:\n%s", resp.StatusCode, resp.Header.Get("ETag"), body)
		}
	})
}
