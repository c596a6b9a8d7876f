package web

import (
	"github.com/presale/presale/internal/companysignin"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
	"github.com/presale/presale/internal/service"
	"github.com/presale/presale/views/components"
	"github.com/presale/presale/views/pages"
)

// adminHandlers serve the administrators' pages: people and their roles,
// the organisation's currency, probabilities and rates (organisation.go),
// and webhook endpoints with their deliveries (webhooks.go).
type adminHandlers struct {
	svc     *service.Service
	site    site
	company *companysignin.Client // nil: no company sign-in to set
}

func (h *adminHandlers) users(c echo.Context) error {
	return h.usersPage(c, http.StatusOK, pages.NewUserForm{Role: string(domain.RoleSales)}, nil)
}

func (h *adminHandlers) usersPage(c echo.Context, status int, in pages.NewUserForm, errs domain.ValidationErrors) error {
	users, err := h.svc.People.Users(c.Request().Context(), signedIn(c))
	if err != nil {
		return err
	}
	return h.site.render(c, status, pages.Users(h.site.shell(c, "Users"), pages.UsersView{Users: read.PeopleOf(users), Input: in, Errors: errs}))
}

func (h *adminHandlers) createUser(c echo.Context) error {
	in := pages.NewUserForm{Name: c.FormValue("name"), Email: c.FormValue("email"), Role: c.FormValue("role"),
		Capacity: c.FormValue("capacity"), Admin: c.FormValue("admin") == "1"}
	capacity, _ := strconv.Atoi(in.Capacity)
	u := signedIn(c)
	created, err := h.svc.People.CreateUser(c.Request().Context(), &u, service.NewUser{Name: in.Name, Email: in.Email, Role: domain.Role(in.Role),
		Admin: in.Admin, Password: c.FormValue("password"), Capacity: capacity})
	return h.site.saved(c, err, func(p formProblem) error {
		return h.usersPage(c, p.Status, in, p.Errors)
	}, "/admin/users", created.Name+" can sign in now as "+created.Email+".")
}

func (h *adminHandlers) editUser(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	return h.userPage(c, http.StatusOK, id, nil, nil)
}

func (h *adminHandlers) userPage(c echo.Context, status int, id int64, in *domain.UserUpdate, errs domain.ValidationErrors) error {
	users, err := h.svc.People.Users(c.Request().Context(), signedIn(c))
	if err != nil {
		return err
	}
	for _, u := range users {
		if u.ID == id {
			if in == nil {
				in = &domain.UserUpdate{Role: string(u.Role), Admin: u.Admin, Active: u.Active, Capacity: strconv.Itoa(u.Capacity)}
			}
			return h.site.render(c, status, pages.UserEdit(h.site.shell(c, u.Name), pages.UserEditView{User: read.PersonOf(u), Input: *in, Errors: errs}))
		}
	}
	return domain.ErrNotFound
}

func (h *adminHandlers) updateUser(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	in := domain.UserUpdate{Role: c.FormValue("role"), Admin: c.FormValue("admin") == "1", Active: c.FormValue("active") == "1", Capacity: c.FormValue("capacity")}
	u, err := h.svc.People.UpdateUser(c.Request().Context(), signedIn(c), id, in)
	return h.site.saved(c, err, func(p formProblem) error {
		return h.userPage(c, p.Status, id, &in, p.Errors)
	}, components.Path("/admin/users/", id), u.Name+" saved.")
}

func (h *adminHandlers) setOneTimePassword(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	u, err := h.svc.People.SetOneTimePassword(c.Request().Context(), signedIn(c), id, c.FormValue("one_time_password"))
	return h.site.saved(c, err, func(p formProblem) error {
		return h.userPage(c, p.Status, id, nil, p.Errors)
	}, components.Path("/admin/users/", id), u.Name+" has a one-time password; they choose their own at the next sign-in.")
}
