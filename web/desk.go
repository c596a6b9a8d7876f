package web

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/views/pages"
)

func (s *Server) desk(c echo.Context) error {
	u := currentUser(c)
	d := pages.Desk{Role: u.Role, Sections: deskSections[u.Role]}
	return s.render(c, http.StatusOK, pages.DeskPage(s.shell(c, "My desk"), d))
}

// deskSections are the panels of each role's desk; each fills as its
// feature lands.
var deskSections = map[domain.Role][]pages.DeskSection{
	domain.RoleSales: {
		{Title: "My next meetings", TestID: "desk-meetings", Empty: "Your meetings of the next 7 days, with their sync state, will be listed here."},
		{Title: "Offers awaiting my review", TestID: "desk-review", Empty: "DevRel ideas waiting for you to clear, hold in reserve or decline will be listed here."},
		{Title: "Deals without DevRel", TestID: "desk-uncovered", Empty: "Your deals with a meeting coming and no DevRel assigned will be listed here."},
		{Title: "Promises due", TestID: "desk-promises", Empty: "Promises you made that fall due soon will be listed here."},
	},
	domain.RoleDevRel: {
		{Title: "Open requests to claim", TestID: "desk-requests", Empty: "Support requests you can take within your capacity will be listed here."},
		{Title: "My deals", TestID: "desk-deals", Empty: "The deals you carry, with their next meeting, will be listed here."},
		{Title: "Meetings needing sync", TestID: "desk-sync", Empty: "Meetings waiting for your sync confirmation will be listed here."},
		{Title: "Promises to rate", TestID: "desk-promises", Empty: "Promises waiting for your feasibility rating will be listed here."},
	},
	domain.RoleManager: {
		{Title: "Coverage summary", TestID: "desk-coverage", Empty: "Open pipeline with and without DevRel, by stage and salesperson, will be shown here."},
		{Title: "At risk this week", TestID: "desk-risk", Empty: "Meetings without DevRel or out of sync, overdue requests and risky promises will be listed here."},
	},
}
