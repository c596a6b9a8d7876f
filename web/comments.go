package web

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/views/components"
)

func (s *Server) commentOnOffer(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	body := c.FormValue("body")
	err = s.svc.CommentOnOffer(c.Request().Context(), signedIn(c), id, body)
	var invalid domain.ValidationErrors
	if errors.As(err, &invalid) {
		return s.offerPage(c, http.StatusUnprocessableEntity, offerForms{comment: body, commentError: invalid["body"]})
	}
	if err != nil {
		return err
	}
	s.flash(c, "Comment added.")
	return c.Redirect(http.StatusSeeOther, components.Path("/offers/", id, "#comments"))
}
