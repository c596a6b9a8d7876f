package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/presale/presale/db"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/testenv"
	"github.com/presale/presale/web"
)

// A comment's author changes its words, from the version they read, while
// they may still write where it stands; readers see it marked edited,
// whoever the new words @mention for the first time is told, and the
// change stays with the deal team like the comment.
func TestACommentsAuthorChangesItsWords(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		a := newApp(t, d, web.Config{})
		ctx := context.Background()
		sales, devrel, manager := a.users[domain.RoleSales], a.users[domain.RoleDevRel], a.users[domain.RoleManager]
		acc, _ := a.account("Northwind")
		deal := a.deal(sales, acc.ID, "Fleet")
		a.assign(deal.ID, devrel)
		o, err := a.svc().Offers.ProposeOffer(ctx, devrel, deal.ID, domain.OfferProposal{Title: "Free pilot", Kind: "poc"}, true)
		if err != nil {
			t.Fatal(err)
		}
		if err := a.svc().Offers.CommentOnOffer(ctx, devrel, o.ID, "Two weeks of pilot is enough."); err != nil {
			t.Fatal(err)
		}
		if err := a.svc().Offers.CommentOnOffer(ctx, sales, o.ID, "Agreed."); err != nil {
			t.Fatal(err)
		}
		var ids []int64
		d.Read.Table("comments").Order("id").Pluck("id", &ids)
		mine, theirs := ids[0], ids[1]
		offerPage, edit := fmt.Sprint("/offers/", o.ID), fmt.Sprint("/comments/", mine)

		dev := a.signedIn(domain.RoleDevRel)
		_, page := dev.get(offerPage)
		if page.Find(`[data-testid="comment"]`).Eq(0).Find(`[data-testid="edit-comment"]`).Length() != 1 ||
			page.Find(`[data-testid="comment"]`).Eq(1).Find(`[data-testid="edit-comment"]`).Length() != 0 {
			t.Fatal("the author is offered to edit their comment, and only theirs")
		}
		resp, form := dev.get(edit + "/edit")
		if resp.StatusCode != http.StatusOK || form.Find(`textarea[name="body"]`).Text() != "Two weeks of pilot is enough." || form.Find(`input[name="version"]`).AttrOr("value", "") != "1" {
			t.Fatalf("the edit form: %d %q", resp.StatusCode, form.Find("form").Text())
		}
		if resp, page := dev.submit(edit, url.Values{"body": {"  "}, "version": {"1"}}); resp.StatusCode != http.StatusUnprocessableEntity || fieldError(page, "body") == "" {
			t.Fatalf("an empty comment: %d", resp.StatusCode)
		}
		words := "Three weeks of pilot, @" + manager.Handle() + " can you sign it off?"
		if got := location(t, mustResp(dev.submit(edit, url.Values{"body": {words}, "version": {"1"}})), http.StatusSeeOther); got != offerPage+"#comments" {
			t.Fatalf("saved, it returns to %q", got)
		}
		_, page = dev.get(offerPage)
		first := page.Find(`[data-testid="comment"]`).Eq(0)
		if !strings.Contains(first.Text(), words) || first.Find(`[data-testid="comment-edited"]`).Length() != 1 ||
			page.Find(`[data-testid="comment"]`).Eq(1).Find(`[data-testid="comment-edited"]`).Length() != 0 {
			t.Fatalf("the thread after the edit: %q", page.Find(`[data-testid="comments"]`).Text())
		}
		if !strings.Contains(page.Find(".flash").Text(), "Comment saved.") {
			t.Error("no word that the comment was saved")
		}
		_, inbox := a.signedIn(domain.RoleManager).get("/notifications")
		if !strings.Contains(inbox.Text(), "mentioned you in a comment they changed") {
			t.Fatalf("the manager, newly @mentioned, was not told: %q", inbox.Find("main").Text())
		}

		// From a page read before the save: refused, what was typed kept.
		resp, page = dev.submit(edit, url.Values{"body": {"Four weeks"}, "version": {"1"}})
		if resp.StatusCode != http.StatusConflict || page.Find(`textarea[name="body"]`).Text() != "Four weeks" ||
			page.Find(`[data-testid="conflict"]`).Length() != 1 || page.Find(`input[name="version"]`).AttrOr("value", "") != "2" {
			t.Fatalf("a stale edit: %d", resp.StatusCode)
		}

		// Not the author's: refused; off the team, a reserved offer's
		// thread is not there at all.
		owner := a.signedIn(domain.RoleSales)
		for _, r := range []string{"GET", "POST"} {
			var resp *http.Response
			if r == "GET" {
				resp, _ = owner.get(edit + "/edit")
			} else {
				resp, _ = owner.submit(edit, url.Values{"body": {"mine now"}, "version": {"2"}})
			}
			if resp.StatusCode != http.StatusForbidden {
				t.Fatalf("%s another's comment: %d", r, resp.StatusCode)
			}
		}
		if _, _, err := a.svc().Offers.MoveOffer(ctx, sales, o.ID, domain.OfferHold, domain.OfferInput{Trigger: "if they push"}); err != nil {
			t.Fatal(err)
		}
		outsider := a.signInAs(a.user("Olga Outsider", domain.RoleSales))
		if resp, _ := outsider.get(fmt.Sprint("/comments/", theirs, "/edit")); resp.StatusCode != http.StatusNotFound {
			t.Fatalf("a reserved offer's comment off the team: %d", resp.StatusCode)
		}
		_, outside := outsider.get(fmt.Sprint("/deals/", deal.ID))
		if strings.Contains(outside.Text(), "Three weeks") || strings.Contains(outside.Text(), "Two weeks") {
			t.Fatal("the edit reached the timeline off the deal team")
		}
		// Decided, the thread stays as it was.
		if resp, _ := dev.submit(edit, url.Values{"body": {"Four weeks"}, "version": {"2"}}); resp.StatusCode != http.StatusConflict {
			t.Fatalf("an edit on a decided offer's thread: %d", resp.StatusCode)
		}

		// A reply on a note returns to the notes; its author, once off the
		// deal team, may no longer change it.
		location(t, mustResp(owner.submit(fmt.Sprint("/deals/", deal.ID, "/notes"), url.Values{"body": {"Pilot budget is tight"}})), http.StatusSeeOther)
		var note int64
		d.Read.Table("deal_notes").Select("MAX(id)").Scan(&note)
		location(t, mustResp(dev.submit(fmt.Sprint("/notes/", note, "/comments"), url.Values{"body": {"We can trim it"}})), http.StatusSeeOther)
		var reply int64
		d.Read.Table("comments").Select("MAX(id)").Scan(&reply)
		if got := location(t, mustResp(dev.submit(fmt.Sprint("/comments/", reply), url.Values{"body": {"We can trim it to two weeks"}, "version": {"1"}})), http.StatusSeeOther); got != fmt.Sprint("/deals/", deal.ID, "#deal-notes") {
			t.Fatalf("a reply saved returns to %q", got)
		}
		if err := d.Write.Table("assignments").Where("deal_id = ? AND user_id = ?", deal.ID, devrel.ID).Update("active", false).Error; err != nil {
			t.Fatal(err)
		}
		if resp, _ := dev.submit(fmt.Sprint("/comments/", reply), url.Values{"body": {"still mine?"}, "version": {"2"}}); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("off the team, the reply's author edited it: %d", resp.StatusCode)
		}
	})
}
