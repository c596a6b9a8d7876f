package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/service"
	"github.com/presale/presale/views/pages"
)

// Handlers of the organisation's settings: the reporting currency, stage
// probabilities and exchange rates.

// maxRatesUpload bounds a rates file (about 5,000 lines).
const maxRatesUpload = 256 << 10

func (h *adminHandlers) organisation(c echo.Context) error {
	return h.organisationPage(c, http.StatusOK, pages.OrganisationView{})
}

// organisationPage draws the settings with what v already holds (a form as
// typed, its errors) and the rest as saved.
func (h *adminHandlers) organisationPage(c echo.Context, status int, v pages.OrganisationView) error {
	st, err := h.svc.Organisation.Settings(c.Request().Context(), signedIn(c))
	if err != nil {
		return err
	}
	if v.Reporting == "" {
		v.Reporting = st.Rates.Reporting
	}
	if v.Probabilities == nil {
		v.Probabilities = map[domain.Stage]string{}
		for _, stage := range domain.Stages {
			v.Probabilities[stage] = strconv.Itoa(st.Probabilities[stage])
		}
	}
	if v.Rate.EffectiveOn == "" {
		v.Rate.EffectiveOn = h.svc.Now().In(h.site.location(c)).Format(domain.DateLayout)
	}
	v.Rates, v.Recent = st.Rates, st.Recent
	if h.company != nil && v.SignIn == nil {
		c, err := h.svc.Organisation.CompanySignIn(c.Request().Context(), signedIn(c))
		if err != nil {
			return err
		}
		v.SignIn = &pages.CompanySignInView{Domains: c.SignInDomains, Role: string(c.SignInRole), Required: c.SignInRequired}
	}
	if v.SignIn != nil {
		v.SignIn.Provider = h.company.Label()
	}
	return h.site.render(c, status, pages.Organisation(h.site.shell(c, "Currency and pipeline"), v))
}

func (h *adminHandlers) saveOrganisation(c echo.Context) error {
	in := domain.SettingsInput{ReportingCurrency: c.FormValue("reporting_currency"), Percents: map[domain.Stage]string{}}
	for _, stage := range domain.Stages {
		in.Percents[stage] = c.FormValue("probability_" + string(stage))
	}
	err := h.svc.Organisation.SaveSettings(c.Request().Context(), signedIn(c), in)
	return h.site.saved(c, err, func(p formProblem) error {
		return h.organisationPage(c, p.Status, pages.OrganisationView{Reporting: in.ReportingCurrency, Probabilities: in.Percents, Errors: p.Errors})
	}, "/admin/settings", "Settings saved.")
}

func (h *adminHandlers) addRate(c echo.Context) error {
	in := domain.RateInput{Currency: c.FormValue("currency"), Rate: c.FormValue("rate"), EffectiveOn: c.FormValue("effective_on")}
	err := h.svc.Organisation.AddRate(c.Request().Context(), signedIn(c), in)
	return h.site.saved(c, err, func(p formProblem) error {
		return h.organisationPage(c, p.Status, pages.OrganisationView{Rate: in, RateErrors: p.Errors})
	}, "/admin/settings#rates-in-use", "Rate added: 1 "+in.Currency+" = "+in.Rate+" from "+in.EffectiveOn+".")
}

func (h *adminHandlers) uploadRates(c echo.Context) error {
	c.Request().Body = http.MaxBytesReader(c.Response(), c.Request().Body, maxRatesUpload)
	fh, err := c.FormFile("file")
	if err != nil {
		return h.organisationPage(c, http.StatusUnprocessableEntity, pages.OrganisationView{UploadError: "Choose a CSV file of at most 256 KB."})
	}
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	n, err := h.svc.Organisation.ImportRates(c.Request().Context(), signedIn(c), f)
	var rows service.RowErrors
	if errors.As(err, &rows) {
		v := pages.OrganisationView{}
		for _, r := range rows {
			v.UploadErrors = append(v.UploadErrors, pages.RowProblem{Line: r.Line, Message: r.Message})
		}
		return h.organisationPage(c, http.StatusUnprocessableEntity, v)
	}
	return h.site.saved(c, err, func(p formProblem) error {
		return h.organisationPage(c, p.Status, pages.OrganisationView{UploadError: p.Errors["file"]})
	}, "/admin/settings#rates-in-use", "Rates uploaded: "+strconv.Itoa(n)+" saved.")
}

func (h *adminHandlers) saveCompanySignIn(c echo.Context) error {
	if h.company == nil {
		return echo.ErrNotFound
	}
	in := domain.CompanySignInInput{Domains: c.FormValue("sign_in_domains"), Role: c.FormValue("sign_in_role"), Required: c.FormValue("sign_in_required") != ""}
	err := h.svc.Organisation.SaveCompanySignIn(c.Request().Context(), signedIn(c), in)
	return h.site.saved(c, err, func(p formProblem) error {
		return h.organisationPage(c, p.Status, pages.OrganisationView{SignIn: &pages.CompanySignInView{Domains: in.Domains, Role: in.Role, Required: in.Required, Errors: p.Errors}})
	}, "/admin/settings#company-sign-in", "Company sign-in saved.")
}
