package web

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/presale/presale/views/pages"
)

// editComment is the form in which a comment's author changes its words.
func (h *dealHandlers) editComment(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	comment, where, err := h.svc.Deals.CommentToEdit(c.Request().Context(), signedIn(c), id)
	if err != nil {
		return err
	}
	return h.commentForm(c, http.StatusOK, pages.CommentEditView{ID: id, Version: comment.Version, Body: comment.Body, Back: where})
}

// updateComment saves a comment's new words and returns to its
// conversation; refused input and a stale page show the form again with
// what was typed.
func (h *dealHandlers) updateComment(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	body, version := c.FormValue("body"), formVersion(c)
	_, where, err := h.svc.Deals.EditComment(c.Request().Context(), signedIn(c), id, version, body)
	return h.site.saved(c, err, func(p formProblem) error {
		return h.commentForm(c, p.Status, pages.CommentEditView{ID: id, Version: p.version(version), Body: body, Back: where, Errors: p.Errors, Stale: p.Stale})
	}, where, "Comment saved.")
}

func (h *dealHandlers) commentForm(c echo.Context, status int, v pages.CommentEditView) error {
	return h.site.render(c, status, pages.CommentEdit(h.site.shell(c, "Edit your comment"), v))
}
