package pages

import (
	"slices"

	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
	"github.com/presale/presale/views/components"
)

// accountOptions are the accounts offered, chosen selected; after them a
// line says when more match than are listed, or that none does (q is
// what was searched for).
func accountOptions(c read.AccountChoices, chosen, q string) []components.Option {
	opts := []components.Option{{Value: "", Label: "Choose an account"}}
	for _, a := range append(slices.Clip(c.Chosen), c.Accounts...) {
		id := components.ID(a.ID)
		opts = append(opts, components.Option{Value: id, Label: a.Name, Selected: id == chosen})
	}
	switch {
	case c.More && q != "":
		opts = append(opts, components.Option{Label: "More accounts match: type more of the name", Disabled: true})
	case c.More:
		opts = append(opts, components.Option{Label: "More accounts: find them by name", Disabled: true})
	case len(c.Accounts) == 0 && q != "":
		opts = append(opts, components.Option{Label: "No account’s name holds “" + q + "”", Disabled: true})
	}
	return opts
}

func ownerOptions(users []read.Person, selected string) []components.Option {
	var opts []components.Option
	for _, u := range users {
		id := components.ID(u.ID)
		opts = append(opts, components.Option{Value: id, Label: u.Name + " (" + u.Role.Label() + ")", Selected: id == selected})
	}
	return opts
}

func stageOptions(selected string) []components.Option {
	var opts []components.Option
	for _, s := range domain.Stages {
		opts = append(opts, components.Option{Value: string(s), Label: s.Label(), Selected: string(s) == selected})
	}
	return opts
}

func techOptions(selected string) []components.Option {
	var opts []components.Option
	for _, t := range domain.TechnicalStatuses {
		opts = append(opts, components.Option{Value: string(t), Label: t.Label(), Selected: string(t) == selected})
	}
	return opts
}

func currencyOptions(selected string) []components.Option {
	var opts []components.Option
	for _, c := range domain.Currencies {
		opts = append(opts, components.Option{Value: c, Label: c, Selected: c == selected})
	}
	return opts
}

// staleHint shows, beside a field, the value someone else saved meanwhile
// when it differs from what the user typed.
func staleHint(f DealFormView, st *StaleView, field string) string {
	if st == nil {
		return ""
	}
	var theirs, mine string
	switch field {
	case "title":
		theirs, mine = st.Current.Title, f.Input.Title
	case "account_id":
		theirs, mine = st.Current.AccountID, f.Input.AccountID
		for _, a := range append(slices.Clip(f.Accounts.Chosen), f.Accounts.Accounts...) {
			if components.ID(a.ID) == theirs {
				theirs = a.Name
			}
			if components.ID(a.ID) == mine {
				mine = a.Name
			}
		}
	case "stage":
		theirs, mine = st.Current.Stage, f.Input.Stage
	case "technical_status":
		theirs, mine = st.Current.TechnicalStatus, f.Input.TechnicalStatus
	case "expected_close_date":
		theirs, mine = st.Current.ExpectedCloseDate, f.Input.ExpectedCloseDate
	}
	if theirs == mine {
		return ""
	}
	return "Saved meanwhile: " + components.Humanize(theirs)
}

func categoryOptions(selected string) []components.Option {
	var opts []components.Option
	for _, c := range domain.QuestionCategories {
		opts = append(opts, components.Option{Value: string(c), Label: components.Humanize(string(c)), Selected: string(c) == selected})
	}
	return opts
}

func contactOptions(contacts []domain.Contact, selected string) []components.Option {
	opts := []components.Option{{Value: "", Label: "Not recorded"}}
	for _, c := range contacts {
		id := components.ID(c.ID)
		opts = append(opts, components.Option{Value: id, Label: c.Name, Selected: id == selected})
	}
	return opts
}

func meetingTypeOptions(selected string) []components.Option {
	var opts []components.Option
	for _, t := range domain.MeetingTypes {
		opts = append(opts, components.Option{Value: string(t), Label: t.Label(), Selected: string(t) == selected})
	}
	return opts
}

func contactChecks(contacts []domain.Contact, selected []string) []components.Option {
	var opts []components.Option
	for _, c := range contacts {
		id := components.ID(c.ID)
		label := c.Name
		if c.Title != "" {
			label += " (" + c.Title + ")"
		}
		opts = append(opts, components.Option{Value: id, Label: label, Selected: slices.Contains(selected, id)})
	}
	return opts
}

func userChecks(users []read.Person, selected []string) []components.Option {
	var opts []components.Option
	for _, u := range users {
		id := components.ID(u.ID)
		opts = append(opts, components.Option{Value: id, Label: u.Name + " (" + u.Role.Label() + ")", Selected: slices.Contains(selected, id)})
	}
	return opts
}

func zoneOptions(zones []string, selected string) []components.Option {
	var opts []components.Option
	for _, z := range zones {
		opts = append(opts, components.Option{Value: z, Label: z, Selected: z == selected})
	}
	return opts
}

func meetingAction(f MeetingFormView) string {
	if f.ID == 0 {
		return components.Path("/deals/", f.Deal.ID, "/meetings")
	}
	return components.Path("/meetings/", f.ID)
}

func supportKindOptions(selected string) []components.Option {
	var opts []components.Option
	for _, k := range domain.SupportKinds {
		opts = append(opts, components.Option{Value: string(k), Label: k.Label(), Selected: string(k) == selected})
	}
	return opts
}

func offerKindOptions(selected string) []components.Option {
	var opts []components.Option
	for _, k := range domain.OfferKinds {
		opts = append(opts, components.Option{Value: string(k), Label: k.Label(), Selected: string(k) == selected})
	}
	return opts
}

func promiseKindOptions(selected string) []components.Option {
	var opts []components.Option
	for _, k := range domain.PromiseKinds {
		opts = append(opts, components.Option{Value: string(k), Label: k.Label(), Selected: string(k) == selected})
	}
	return opts
}

func feasibilityOptions(selected string) []components.Option {
	var opts []components.Option
	for _, f := range domain.Feasibilities[1:] {
		opts = append(opts, components.Option{Value: string(f), Label: f.Label(), Selected: string(f) == selected})
	}
	return opts
}

func meetingOptions(meetings []read.MeetingRow, selected string) []components.Option {
	opts := []components.Option{{Value: "", Label: "Not at a meeting"}}
	for _, m := range meetings {
		id := components.ID(m.ID)
		opts = append(opts, components.Option{Value: id, Label: m.Title, Selected: id == selected})
	}
	return opts
}

func roleOptions(selected string) []components.Option {
	var opts []components.Option
	for _, r := range domain.Roles {
		opts = append(opts, components.Option{Value: string(r), Label: r.Label(), Selected: string(r) == selected})
	}
	return opts
}

// sortState is how a column stands in the pipeline's order, for aria-sort.
func sortState(sort, key string) string {
	switch sort {
	case key:
		if key == "amount" {
			return "descending" // largest first
		}
		return "ascending"
	case "-" + key:
		if key == "amount" {
			return "ascending"
		}
		return "descending"
	}
	return "none"
}

// nextSort is the order a click on a column's header asks for: by it,
// or by it the other way round when it already sorts.
func nextSort(sort, key string) string {
	if sort == key {
		return "-" + key
	}
	return key
}

// choiceOptions are a list's entries offered, selected chosen, after an
// empty one labelled empty; the chosen entry is offered even retired (a
// record keeps it).
func choiceOptions(cs domain.Choices, chosen, empty string) []components.Option {
	opts := []components.Option{{Value: "", Label: empty, Selected: chosen == ""}}
	for _, c := range cs {
		if c.Retired() && c.Key != chosen {
			continue
		}
		l := c.Label
		if c.Retired() {
			l += " (retired)"
		}
		opts = append(opts, components.Option{Value: c.Key, Label: l, Selected: c.Key == chosen})
	}
	return opts
}
