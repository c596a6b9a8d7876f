package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/presale/presale/db"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
	"github.com/presale/presale/internal/service"
	"github.com/presale/presale/internal/store"
	"github.com/presale/presale/internal/testenv"
)

// actsWorld is the demo organisation with a deal of the demo salesperson
// on a fresh account, for the first-day behaviours' tests to act on.
type actsWorld struct {
	base  string
	db    *db.DB
	st    *store.Store
	svc   *service.Service
	sales domain.User
	deal  domain.Deal
}

func newActsWorld(t *testing.T) actsWorld {
	t.Helper()
	base, d := demoServerDB(t)
	ctx := context.Background()
	st := store.New(d.Write, d.Read)
	svc := service.New(st)
	sales, err := st.People().UserByEmail(ctx, "sales@demo.test")
	if err != nil {
		t.Fatal(err)
	}
	acc, err := svc.Accounts.CreateAccount(ctx, sales, domain.AccountInput{Name: "Quillon Robotics"}, true)
	if err != nil {
		t.Fatal(err)
	}
	deal, err := svc.Deals.CreateDeal(ctx, sales, domain.DealInput{Title: "Arm telemetry", AccountID: fmt.Sprint(acc.ID),
		Stage: "discovery", Amount: "50000", Currency: "EUR", ExpectedCloseDate: time.Now().AddDate(0, 3, 0).Format(time.DateOnly)})
	if err != nil {
		t.Fatal(err)
	}
	return actsWorld{base: base, db: d, st: st, svc: svc, sales: sales, deal: deal}
}

// meetingIn schedules a meeting on the world's deal, hours from now.
func (w actsWorld) meetingIn(t *testing.T, title string, hours int) domain.Meeting {
	t.Helper()
	start := time.Now().Add(time.Duration(hours) * time.Hour).Truncate(time.Minute)
	m, err := w.svc.Meetings.ScheduleMeeting(context.Background(), w.sales, w.deal.ID, domain.MeetingInput{Title: title, Type: "demo",
		StartsAt: start.Format(domain.DateTimeLayout), EndsAt: start.Add(time.Hour).Format(domain.DateTimeLayout)}, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// On the deal page a meeting that has not started offers no one-click
// "Mark held": it leads to the meeting's own form, which asks for the
// outcome; with it, the meeting is held. At 390, 1366 and 1920 px.
func TestAFutureMeetingIsNotHeldInOneClickFromTheDealPage(t *testing.T) {
	w := newActsWorld(t)
	b := browser(t)
	signIn(t, b, w.base, "sales@demo.test")
	for _, width := range widths {
		m := w.meetingIn(t, fmt.Sprint("Demo at ", width), 48)
		item := fmt.Sprintf(`#meeting-%d`, m.ID)
		do(t, b, chromedp.EmulateViewport(width, 900), chromedp.Navigate(fmt.Sprint(w.base, "/deals/", w.deal.ID, "?tab=meetings")),
			chromedp.WaitVisible(chromedp.CSS(item)))
		buttons, err := chromedp.Run(b, chromedp.Evaluate[int](fmt.Sprintf(`[...document.querySelectorAll(%q)].filter(e => e.textContent.includes("Mark held")).length`, item+" button")))
		if err != nil || buttons != 0 {
			t.Fatalf("at %d px the deal page offers %d one-click Mark held buttons for a future meeting (%v)", width, buttons, err)
		}
		fits(t, b, "the deal's meetings", width)
		screenshot(t, b, fmt.Sprint("future-meeting-", width))
		do(t, b, chromedp.Click(chromedp.CSS(item+` [data-testid="held-early"]`)),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid="confirm-early"]`)))
		required, err := chromedp.Run(b, chromedp.Evaluate[bool](`document.querySelector('#meeting-actions textarea[name="outcome"]').required`))
		if err != nil || !required {
			t.Fatalf("at %d px marking a future meeting held does not ask for its outcome (%v)", width, err)
		}
		do(t, b, chromedp.SendKeys(chromedp.CSS(`#meeting-actions textarea[name="outcome"]`), "Moved up; they want a POC."),
			chromedp.Click(chromedp.CSS(`[data-testid="mark-held"]`)),
			hasText(`[data-testid="meeting-status"]`, "held"))
	}
}

// From the agenda, a new meeting without a deal asks which deal, finds it
// by name and continues to that deal's meeting form (it answered 404).
// At 390, 1366 and 1920 px.
func TestANewMeetingAsksForItsDeal(t *testing.T) {
	w := newActsWorld(t)
	b := browser(t)
	signIn(t, b, w.base, "sales@demo.test")
	for _, width := range widths {
		do(t, b, chromedp.EmulateViewport(width, 900), chromedp.Navigate(w.base+"/meetings"),
			chromedp.Click(chromedp.CSS(`[data-testid="new-meeting"]`)),
			chromedp.WaitVisible(chromedp.CSS(`#meeting-deal-q`)),
			chromedp.SendKeys(chromedp.CSS(`#meeting-deal-q`), "arm tele"),
			chromedp.Click(chromedp.CSS(`[data-testid="meeting-deal-search"] button`)),
			until(`location.search.includes("q=arm") && document.querySelectorAll('[data-testid="meeting-deal"]').length > 0`))
		fits(t, b, "the deal picker of a new meeting", width)
		screenshot(t, b, fmt.Sprint("meeting-deal-", width))
		if n, _ := chromedp.Run(b, chromedp.Evaluate[int](`document.querySelectorAll('[data-testid="meeting-deal"]').length`)); n != 1 {
			t.Fatalf("at %d px the search for the deal lists %d deals", width, n)
		}
		do(t, b, chromedp.Click(chromedp.CSS(`[data-testid="meeting-deal"] a`)),
			chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`form[action="/deals/%d/meetings"]`, w.deal.ID))))
	}
}

// Without script, the deal form's account field reaches an account past
// the first hundred: Find sends the form back with what was typed and the
// accounts found; choose one and save. At 390, 1366 and 1920 px.
func TestTheAccountFieldFindsWithoutScript(t *testing.T) {
	w := newActsWorld(t)
	ctx := context.Background()
	manager, err := w.st.People().UserByEmail(ctx, "manager@demo.test")
	if err != nil {
		t.Fatal(err)
	}
	for i := range read.AccountChoicesShown {
		if _, err := w.svc.Accounts.CreateAccount(ctx, manager, domain.AccountInput{Name: fmt.Sprintf("Aardvark Holdings %03d", i)}, true); err != nil {
			t.Fatal(err)
		}
	}
	zephyr, err := w.svc.Accounts.CreateAccount(ctx, manager, domain.AccountInput{Name: "Zephyr Wind Farms"}, true)
	if err != nil {
		t.Fatal(err)
	}
	b := browser(t)
	signIn(t, b, w.base, "sales@demo.test")
	do(t, b, func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return chromedp.Void{}, err
	})
	for _, width := range widths {
		title := fmt.Sprint("Turbines at ", width)
		do(t, b, chromedp.EmulateViewport(width, 900), chromedp.Navigate(w.base+"/deals/new"),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid="account-find"]`)),
			chromedp.SendKeys(chromedp.CSS(`#title`), title),
			chromedp.SendKeys(chromedp.CSS(`#account_id-find`), "zeph"),
			chromedp.Click(chromedp.CSS(`[data-testid="account-find"]`)),
			hasText(`#account_id`, "Zephyr Wind Farms"))
		fits(t, b, "the deal form after Find", width)
		screenshot(t, b, fmt.Sprint("account-find-noscript-", width))
		if got, _ := chromedp.Run(b, chromedp.Value(chromedp.CSS(`#title`))); got != title {
			t.Fatalf("at %d px Find lost the title: %q", width, got)
		}
		do(t, b, chromedp.SetValue(chromedp.CSS(`#account_id`), fmt.Sprint(zephyr.ID)),
			chromedp.Click(chromedp.CSS(`[data-testid="deal-form"] .form-actions button[type="submit"]`)),
			hasText(`h1`, title))
		if got := text(t, b, `main`); !strings.Contains(got, "Zephyr Wind Farms") {
			t.Fatalf("at %d px the deal saved without script is not on Zephyr", width)
		}
	}
}

// Undoing "clear" in the review queue puts the idea back as it was: the
// line says it was proposed when it was, not when it was undone. At 390
// and 1366 px.
func TestUndoingAClearKeepsWhenTheIdeaWasProposed(t *testing.T) {
	w := newActsWorld(t)
	ctx := context.Background()
	devrel, err := w.st.People().UserByEmail(ctx, "devrel@demo.test")
	if err != nil {
		t.Fatal(err)
	}
	// Proposed three hours ago.
	past := testenv.NewWorld(t, w.db, func() time.Time { return time.Now().Add(-3 * time.Hour) })
	past.Assign(w.deal.ID, devrel)
	b := browser(t)
	signIn(t, b, w.base, "sales@demo.test")
	for _, width := range widths {
		title := fmt.Sprint("Replay API ", width)
		o, err := past.Svc.Offers.ProposeOffer(ctx, devrel, w.deal.ID, domain.OfferProposal{Title: title, Kind: "idea"}, true)
		if err != nil {
			t.Fatal(err)
		}
		line := func() string {
			got, err := chromedp.Run(b, chromedp.Evaluate[string](fmt.Sprintf(
				`[...document.querySelectorAll('[data-testid="review-item"]')].filter(e => e.querySelector('a[href="/offers/%d"]')).map(e => e.querySelector("p.muted").textContent)[0] || ""`, o.ID)))
			if err != nil {
				t.Fatal(err)
			}
			return got
		}
		item := fmt.Sprintf(`[data-testid="review-item"]:has(a[href="/offers/%d"])`, o.ID)
		do(t, b, chromedp.EmulateViewport(width, 900), chromedp.Navigate(w.base+"/offers/review"), chromedp.WaitVisible(chromedp.CSS(item)))
		proposed := line()
		do(t, b, chromedp.Click(chromedp.CSS(item+` [data-testid="offer-clear"] button`)),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid="undo"]`)),
			chromedp.Click(chromedp.CSS(`[data-testid="undo"]`)),
			hasText(`[data-testid="flash"]`, "Undone"))
		do(t, b, chromedp.Navigate(w.base+"/offers/review"), chromedp.WaitVisible(chromedp.CSS(item)))
		fits(t, b, "the review queue after an undo", width)
		if got := line(); got != proposed {
			t.Fatalf("at %d px after undoing clear the idea reads %q, was %q", width, got, proposed)
		}
	}
}

// A move on the board by keyboard comes back with the focus on the card
// moved and "Moved to … · Undo"; Undo puts it back in its column. On the
// deal page the same menu moves it, with the same Undo. At 390, 1366 and 1920 px.
func TestAKeyboardMoveKeepsTheFocusAndCanBeUndone(t *testing.T) {
	w := newActsWorld(t)
	b := browser(t)
	signIn(t, b, w.base, "sales@demo.test")
	card := fmt.Sprintf(`#card-%d`, w.deal.ID)
	column := `document.querySelector('` + card + `').closest('[data-stage]').dataset.stage`
	for _, width := range widths {
		do(t, b, chromedp.EmulateViewport(width, 900), chromedp.Navigate(w.base+"/deals/board"), chromedp.WaitVisible(chromedp.CSS(card)),
			chromedp.Focus(chromedp.CSS(card+` a`)),
			chromedp.KeyEvent(kb.Tab), chromedp.KeyEvent(kb.Enter), // open "Move to…"
			chromedp.KeyEvent(kb.Tab))
		to, _ := chromedp.Run(b, chromedp.Evaluate[string](`document.activeElement.value`))
		do(t, b, chromedp.KeyEvent(kb.Enter), hasText(`#flash-region`, "moved to"), until(`document.readyState === "complete"`))
		if got, _ := chromedp.Run(b, chromedp.Evaluate[string](column)); got != to {
			t.Fatalf("at %d px moved by keyboard to %q, the card is in %q", width, to, got)
		}
		if in, _ := chromedp.Run(b, chromedp.Evaluate[bool](`document.activeElement.closest('`+card+`') !== null`)); !in {
			focused, _ := chromedp.Run(b, chromedp.Evaluate[string](`location.href + " " + document.activeElement.outerHTML.slice(0, 80)`))
			t.Fatalf("at %d px after a keyboard move the focus is on %s, not the card moved", width, focused)
		}
		fits(t, b, "the board after a move", width)
		screenshot(t, b, fmt.Sprint("board-moved-", width))
		do(t, b, chromedp.Click(chromedp.CSS(`[data-testid="undo"]`)), hasText(`[data-testid="flash"]`, "Undone"))
		if got, _ := chromedp.Run(b, chromedp.Evaluate[string](column)); got != "discovery" {
			t.Fatalf("at %d px after Undo the card is in %q, want discovery", width, got)
		}

		do(t, b, chromedp.Navigate(fmt.Sprint(w.base, "/deals/", w.deal.ID)),
			chromedp.Click(chromedp.CSS(`[data-testid="deal-summary"] [data-testid="move-to"] summary`)),
			chromedp.Click(chromedp.CSS(`[data-testid="deal-summary"] [data-testid="move-to"] button[value="negotiation"]`)),
			hasText(`[data-testid="flash"]`, "moved to Negotiation"),
			hasText(`[data-testid="deal-stage"]`, "Negotiation"))
		screenshot(t, b, fmt.Sprint("deal-moved-", width))
		fits(t, b, "the deal page after a move", width)
		do(t, b, chromedp.Click(chromedp.CSS(`[data-testid="undo"]`)), hasText(`[data-testid="flash"]`, "Undone"),
			hasText(`[data-testid="deal-stage"]`, "Discovery"))
	}
}

// A DevRel @mentioned in a deal's internal notes reads, in the inbox,
// which deal (linked) and what was written. At 390, 1366 and 1920 px.
func TestTheInboxNamesTheDealAndQuotesTheMention(t *testing.T) {
	w := newActsWorld(t)
	ctx := context.Background()
	devrel, err := w.st.People().UserByEmail(ctx, "devrel@demo.test")
	if err != nil {
		t.Fatal(err)
	}
	testenv.NewWorld(t, w.db).Assign(w.deal.ID, devrel)
	if err := w.svc.Deals.AddNote(ctx, w.sales, w.deal.ID, "@devrel could the arm telemetry run on their edge boxes? They asked twice."); err != nil {
		t.Fatal(err)
	}
	b := browser(t)
	signIn(t, b, w.base, "devrel@demo.test")
	line := `[data-testid="notification"]:has([data-testid="notification-quote"])`
	for _, width := range widths {
		do(t, b, chromedp.EmulateViewport(width, 900), chromedp.Navigate(w.base+"/notifications"), chromedp.WaitVisible(chromedp.CSS(line)))
		if got := text(t, b, line+` [data-testid="notification-deal"]`); got != "Arm telemetry" {
			t.Fatalf("at %d px the inbox line names the deal %q", width, got)
		}
		if got := text(t, b, line+` [data-testid="notification-quote"]`); !strings.Contains(got, "could the arm telemetry run on their edge boxes?") {
			t.Fatalf("at %d px the inbox line quotes %q", width, got)
		}
		fits(t, b, "the inbox", width)
		screenshot(t, b, fmt.Sprint("inbox-mention-", width))
		for _, v := range axeViolations(t, b) {
			t.Errorf("the inbox at %d px: %s (%s) %s at %s", width, v.ID, v.Impact, v.Help, strings.Join(v.Targets, ", "))
		}
	}
	do(t, b, chromedp.Click(chromedp.CSS(line+` [data-testid="notification-deal"]`)), hasText(`h1`, "Arm telemetry"))
}
