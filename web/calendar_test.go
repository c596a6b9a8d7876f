package web_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

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
