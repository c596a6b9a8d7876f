package web

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/views/pages"
)

// Handlers of the organisation's lists: why deals are lost and the
// product areas (adding, renaming, retiring an entry).

func (h *adminHandlers) lists(c echo.Context) error {
	return h.listsPage(c, http.StatusOK, nil)
}

// listsPage draws the lists as saved; refused, when set, puts a refused
// add or rename back in its list as typed.
func (h *adminHandlers) listsPage(c echo.Context, status int, refused func(*pages.ChoiceListView)) error {
	lists, err := h.svc.Organisation.Lists(c.Request().Context(), signedIn(c))
	if err != nil {
		return err
	}
	var v pages.ListsView
	for i, cs := range lists {
		l := pages.ChoiceListView{List: domain.ChoiceLists[i], Choices: cs}
		if refused != nil {
			refused(&l)
		}
		v.Lists = append(v.Lists, l)
	}
	return h.site.render(c, status, pages.Lists(h.site.shell(c, "Lost reasons and product areas"), v))
}

func (h *adminHandlers) addChoice(c echo.Context) error {
	list := domain.ChoiceList(c.Param("list"))
	label := c.FormValue("label")
	ch, err := h.svc.Organisation.AddChoice(c.Request().Context(), signedIn(c), list, label)
	return h.site.saved(c, err, func(p formProblem) error {
		return h.listsPage(c, p.Status, func(l *pages.ChoiceListView) {
			if l.List == list {
				l.Adding, l.AddError = label, p.Errors["label"]
			}
		})
	}, "/admin/lists#"+string(list), "“"+ch.Label+"” added to "+domain.InSentence(list.Label())+".")
}

func (h *adminHandlers) renameChoice(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	label := c.FormValue("label")
	ch, err := h.svc.Organisation.RenameChoice(c.Request().Context(), signedIn(c), id, label)
	return h.site.saved(c, err, func(p formProblem) error {
		return h.listsPage(c, p.Status, func(l *pages.ChoiceListView) {
			if _, ok := l.Choices.Find(ch.Key); ok && l.List == ch.List {
				l.Renaming, l.Renamed, l.RenameError = id, label, p.Errors["label"]
			}
		})
	}, "/admin/lists#"+string(ch.List), "Renamed to “"+ch.Label+"”; records that have it read the new name.")
}

// retireChoice stops offering an entry (retire) or offers it again.
func (h *adminHandlers) retireChoice(retire bool) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := idParam(c)
		if err != nil {
			return err
		}
		ch, err := h.svc.Organisation.RetireChoice(c.Request().Context(), signedIn(c), id, retire)
		if err != nil {
			return err
		}
		msg := "“" + ch.Label + "” is offered again."
		if retire {
			msg = "“" + ch.Label + "” retired: no longer offered; records that have it keep it."
		}
		h.site.flash(c, msg)
		return c.Redirect(http.StatusSeeOther, "/admin/lists#"+string(ch.List))
	}
}
