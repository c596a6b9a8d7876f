package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/service"
	"github.com/presale/presale/views/components"
)

// setArchived archives or restores a deal, account or contact.
func (s *Server) setArchived(entity domain.Entity, archive bool) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := idParam(c)
		if err != nil {
			return err
		}
		undo, err := s.svc.SetArchived(c.Request().Context(), signedIn(c), entity, id, archive)
		if err != nil {
			return err
		}
		noun := entity.Noun()
		if archive {
			s.flashUndo(c, "The "+noun+" is archived: it has left lists, search, desks and coverage.", undo)
		} else {
			s.flash(c, "The "+noun+" is restored.")
		}
		return c.Redirect(http.StatusSeeOther, service.ArchivablePath(entity, id))
	}
}

func (s *Server) mergeAccount(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	into, _ := domain.ParseID(c.FormValue("into_id"))
	err = s.svc.MergeAccount(c.Request().Context(), signedIn(c), id, into)
	var invalid domain.ValidationErrors
	if errors.As(err, &invalid) {
		return s.accountPage(c, http.StatusUnprocessableEntity, invalid["into_id"])
	}
	if err != nil {
		return err
	}
	s.flash(c, "Merged: its contacts, deals and history are here now. Undo the merge below until the next one.")
	return c.Redirect(http.StatusSeeOther, components.Path("/accounts/", into))
}

func (s *Server) undoMerge(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	from, err := s.svc.UndoMerge(c.Request().Context(), signedIn(c), id)
	if err != nil {
		return err
	}
	s.flash(c, "Merge undone: the account and what it held are separate again.")
	return c.Redirect(http.StatusSeeOther, "/accounts/"+strconv.FormatInt(from, 10))
}
