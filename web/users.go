package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/read"
	"github.com/presale/presale/internal/service"
	"github.com/presale/presale/views/components"
	"github.com/presale/presale/views/pages"
)

func (s *Server) users(c echo.Context) error {
	return s.usersPage(c, http.StatusOK, pages.NewUserForm{Role: string(domain.RoleSales)}, nil)
}

func (s *Server) usersPage(c echo.Context, status int, in pages.NewUserForm, errs domain.ValidationErrors) error {
	users, err := s.svc.Users(c.Request().Context(), signedIn(c))
	if err != nil {
		return err
	}
	return s.render(c, status, pages.Users(s.shell(c, "Users"), pages.UsersView{Users: read.PeopleOf(users), Input: in, Errors: errs}))
}

func (s *Server) createUser(c echo.Context) error {
	in := pages.NewUserForm{Name: c.FormValue("name"), Email: c.FormValue("email"), Role: c.FormValue("role"),
		Capacity: c.FormValue("capacity"), Admin: c.FormValue("admin") == "1"}
	capacity, _ := strconv.Atoi(in.Capacity)
	u := signedIn(c)
	created, err := s.svc.CreateUser(c.Request().Context(), &u, service.NewUser{Name: in.Name, Email: in.Email, Role: domain.Role(in.Role),
		Admin: in.Admin, Password: c.FormValue("password"), Capacity: capacity})
	return s.saved(c, err, func(p formProblem) error {
		return s.usersPage(c, p.Status, in, p.Errors)
	}, "/admin/users", created.Name+" can sign in now as "+created.Email+".")
}

func (s *Server) editUser(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	return s.userPage(c, http.StatusOK, id, nil, nil)
}

func (s *Server) userPage(c echo.Context, status int, id int64, in *domain.UserUpdate, errs domain.ValidationErrors) error {
	users, err := s.svc.Users(c.Request().Context(), signedIn(c))
	if err != nil {
		return err
	}
	for _, u := range users {
		if u.ID == id {
			if in == nil {
				in = &domain.UserUpdate{Role: string(u.Role), Admin: u.Admin, Active: u.Active, Capacity: strconv.Itoa(u.Capacity)}
			}
			return s.render(c, status, pages.UserEdit(s.shell(c, u.Name), pages.UserEditView{User: read.PersonOf(u), Input: *in, Errors: errs}))
		}
	}
	return domain.ErrNotFound
}

func (s *Server) updateUser(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	in := domain.UserUpdate{Role: c.FormValue("role"), Admin: c.FormValue("admin") == "1", Active: c.FormValue("active") == "1", Capacity: c.FormValue("capacity")}
	u, err := s.svc.UpdateUser(c.Request().Context(), signedIn(c), id, in)
	return s.saved(c, err, func(p formProblem) error {
		return s.userPage(c, p.Status, id, &in, p.Errors)
	}, components.Path("/admin/users/", id), u.Name+" saved.")
}

func (s *Server) setOneTimePassword(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	u, err := s.svc.SetOneTimePassword(c.Request().Context(), signedIn(c), id, c.FormValue("one_time_password"))
	return s.saved(c, err, func(p formProblem) error {
		return s.userPage(c, p.Status, id, nil, p.Errors)
	}, components.Path("/admin/users/", id), u.Name+" has a one-time password; they choose their own at the next sign-in.")
}
