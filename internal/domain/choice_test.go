package domain

import (
	"testing"
	"time"
)

// A new entry's key is made from its label, once: lower case words joined
// by underscores, another's key never taken; a rename keeps it.
func TestAChoiceKeyIsMadeFromItsLabelOnce(t *testing.T) {
	now := time.Now()
	cs := Choices{{ID: 1, List: ListProductAreas, Key: "sso", Label: "SSO", Position: 1}}
	for label, want := range map[string]string{"Single sign-on & SCIM": "single_sign_on_scim", "  Billing  ": "billing", "SSO!": "sso_2", "Ünïcode": "n_code", "日本": "product_area"} {
		l, err := cs.ChoiceLabel(ListProductAreas, label, 0)
		if err != nil {
			t.Fatalf("%q: %v", label, err)
		}
		if got := cs.NewChoice(ListProductAreas, l, now); got.Key != want || got.Position != 2 {
			t.Errorf("%q: key %q position %d, want %q", label, got.Key, got.Position, want)
		}
	}
	if _, err := cs.ChoiceLabel(ListProductAreas, "sso", 0); err == nil {
		t.Error("a label another entry has, in other case, was taken")
	}
	if _, err := cs.ChoiceLabel(ListProductAreas, "sso", 1); err != nil {
		t.Errorf("an entry renamed to its own label in other case: %v", err)
	}
}

// Losing a deal needs a reason each time it becomes lost, one offered or
// the one it had; an edit of a lost deal keeps it; an import may leave it.
func TestLosingADealNeedsAReason(t *testing.T) {
	now := time.Now()
	retired := now
	reasons := Choices{{Key: "price", Label: "Price"}, {Key: "old", Label: "Old", RetiredAt: &retired}}
	in := DealInput{Title: "Fleet", AccountID: "1", Stage: "closed_lost", Currency: "USD", Reasons: reasons}
	d := Deal{OwnerID: 7}
	if err := in.Apply(&d, now); err == nil || err.(ValidationErrors)["lost_reason"] == "" {
		t.Fatalf("lost without a reason: %v", err)
	}
	in.LostReason = "old"
	if err := in.Apply(&d, now); err == nil {
		t.Fatal("lost for a retired reason")
	}
	in.LostReason = "price"
	if err := in.Apply(&d, now); err != nil || d.LostReason != "price" || d.Stage != StageClosedLost {
		t.Fatalf("lost for price: %v %q", err, d.LostReason)
	}
	edit := d.Input()
	edit.Reasons, edit.LostReason = reasons, ""
	if err := edit.Apply(&d, now); err != nil || d.LostReason != "price" {
		t.Fatalf("an edit of the lost deal: %v %q", err, d.LostReason)
	}
	reopen := d.Input()
	reopen.Stage, reopen.Reasons = "negotiation", reasons
	if err := reopen.Apply(&d, now); err != nil || d.LostReason != "price" {
		t.Fatalf("reopened: %v %q", err, d.LostReason)
	}
	again := d.Input()
	again.Stage, again.Reasons = "closed_lost", reasons
	if again.LostReason != "" || again.Apply(&d, now) == nil {
		t.Fatal("lost again without being asked")
	}
	var imported Deal
	if err := (DealInput{Title: "Old", AccountID: "1", Stage: "closed_lost", Currency: "USD", Imported: true}).Apply(&imported, now); err != nil {
		t.Fatalf("imported lost: %v", err)
	}
}
