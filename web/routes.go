package web

import (
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/presale/presale/assets"
	"github.com/presale/presale/internal/domain"
)

// routes is the one place that says which URL does what.
func (s *Server) routes() {
	e := s.echo
	signedIn := s.requireUser

	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	e.GET("/metrics", s.metricsHandler())
	e.StaticFS("/assets", assets.FS)

	e.GET("/calendar/:file", s.settings.calendar) // :file is the token with .ics
	e.GET("/docs/api", s.apiDocs)                 // the JSON API (apiRoutes) described for people
	e.GET(apiBase+"/openapi.json", s.openAPIDoc)

	e.GET("/login", s.loginForm)
	e.POST("/login", s.login, signInLimit())
	e.POST("/logout", s.logout)
	e.POST("/login/company", s.beginCompanySignIn, signInLimit()) // to the organisation's identity provider
	e.GET(CompanyCallbackPath, s.finishCompanySignIn)             // and back (its code and state stay out of the log)

	e.GET("/", s.desk.desk, signedIn)
	e.GET("/search", s.desk.search, signedIn)
	e.POST("/undo", s.undo, signedIn)
	e.GET("/settings", s.settings.settings, signedIn)
	e.POST("/settings", s.settings.saveSettings, signedIn)
	e.POST("/settings/calendar", s.settings.rotateCalendar, signedIn)
	e.POST("/settings/email/links", s.settings.rotateEmailLinks, signedIn)
	e.POST("/settings/password", s.settings.changePassword, signedIn)
	e.POST("/settings/tokens", s.settings.createToken, signedIn)
	e.POST("/settings/email", s.settings.saveEmail, signedIn)
	e.GET("/email/unsubscribe/:token", s.settings.unsubscribe)  // the token is the credential
	e.POST("/email/unsubscribe/:token", s.settings.unsubscribe) // one click from a mail client (RFC 8058): no CSRF token
	e.POST("/tokens/:id/revoke", s.settings.revokeToken, signedIn)

	e.GET("/accounts", s.accounts.accounts, signedIn)
	e.GET("/accounts/new", s.accounts.newAccount, signedIn)
	e.GET("/accounts/choices", s.accounts.accountChoices, signedIn) // a form's account search (htmx)
	e.POST("/accounts", s.accounts.createAccount, signedIn)
	e.GET("/accounts/:id", s.accounts.account, signedIn)
	e.GET("/accounts/:id/edit", s.accounts.editAccount, signedIn)
	e.POST("/accounts/:id", s.accounts.updateAccount, signedIn)
	e.POST("/accounts/:id/archive", s.setArchived(domain.EntityAccount, true), signedIn)
	e.POST("/accounts/:id/restore", s.setArchived(domain.EntityAccount, false), signedIn)
	e.POST("/accounts/:id/merge", s.accounts.mergeAccount, signedIn)
	e.POST("/account-merges/:id/undo", s.accounts.undoMerge, signedIn)
	e.GET("/contacts", s.accounts.contacts, signedIn)
	e.GET("/contacts/new", s.accounts.newContact, signedIn)
	e.POST("/contacts", s.accounts.createContact, signedIn)
	e.GET("/contacts/:id", s.accounts.contact, signedIn)
	e.GET("/contacts/:id/edit", s.accounts.editContact, signedIn)
	e.POST("/contacts/:id", s.accounts.updateContact, signedIn)
	e.POST("/contacts/:id/archive", s.setArchived(domain.EntityContact, true), signedIn)
	e.POST("/contacts/:id/restore", s.setArchived(domain.EntityContact, false), signedIn)

	e.GET("/deals", s.deals.deals, signedIn)
	e.GET("/deals/new", s.deals.newDeal, signedIn)
	e.GET("/deals/board", s.deals.board, signedIn)
	e.POST("/deals", s.deals.createDeal, signedIn)
	e.POST("/deals/bulk", s.deals.bulkDeals, signedIn)
	e.POST("/deals/views", s.deals.saveView, signedIn)
	e.GET("/deals/views/:id/edit", s.deals.editView, signedIn)
	e.POST("/deals/views/:id", s.deals.renameView, signedIn)
	e.POST("/deals/views/:id/delete", s.deals.deleteView, signedIn)
	e.GET("/deals/:id", s.deals.deal, signedIn)
	e.GET("/deals/:id/edit", s.deals.editDeal, signedIn)
	e.POST("/deals/:id", s.deals.updateDeal, signedIn)
	e.POST("/deals/:id/notes", s.deals.addNote, signedIn)
	e.POST("/deals/:id/tasks", s.deals.addTask, signedIn)
	e.POST("/deals/:id/archive", s.setArchived(domain.EntityDeal, true), signedIn)
	e.POST("/deals/:id/restore", s.setArchived(domain.EntityDeal, false), signedIn)
	e.GET("/tasks/:id/edit", s.deals.editTask, signedIn)
	e.POST("/tasks/:id", s.deals.updateTask, signedIn)
	e.POST("/tasks/:id/done", s.deals.taskDone, signedIn)
	e.POST("/tasks/:id/delete", s.deals.deleteTask, signedIn)
	e.POST("/notes/:id/comments", s.deals.commentOnNote, signedIn)
	e.GET("/comments/:id/edit", s.deals.editComment, signedIn)
	e.POST("/comments/:id", s.deals.updateComment, signedIn)
	e.POST("/deals/:id/stage", s.deals.moveDeal, signedIn)
	e.POST("/deals/:id/meetings", s.meetings.createMeeting, signedIn)
	e.POST("/deals/:id/support-requests", s.support.requestSupport, signedIn)
	e.POST("/deals/:id/offers", s.offers.proposeOffer, signedIn)
	e.POST("/deals/:id/promises", s.offers.recordPromise, signedIn)

	e.GET("/meetings", s.meetings.agenda, signedIn)
	e.GET("/meetings/new", s.meetings.newMeeting, signedIn)
	e.GET("/meetings/:id", s.meetings.meeting, signedIn)
	e.GET("/meetings/:id/edit", s.meetings.editMeeting, signedIn)
	e.POST("/meetings/:id", s.meetings.updateMeeting, signedIn)
	e.POST("/meetings/:id/held", s.meetings.meetingHeld, signedIn)
	e.POST("/meetings/:id/cancel", s.meetings.meetingCancel, signedIn)
	e.POST("/meetings/:id/reopen", s.meetings.meetingReopen, signedIn)
	e.POST("/meetings/:id/questions", s.meetings.raiseQuestion, signedIn)
	e.POST("/meetings/:id/sync", s.meetings.saveSync, signedIn)
	e.POST("/meetings/:id/sync/confirm", s.meetings.confirmSync, signedIn)
	e.GET("/meetings/:id/brief", s.meetings.brief, signedIn)

	e.GET("/offers/review", s.offers.reviewQueue, signedIn)
	e.GET("/offers/:id", s.offers.offer, signedIn)
	for _, a := range domain.OfferActions {
		e.POST("/offers/:id/"+string(a), s.offers.moveOffer(a), signedIn)
	}
	e.POST("/offers/:id/comments", s.offers.commentOnOffer, signedIn)
	e.GET("/offers/:id/promise", s.offers.offerPromise, signedIn)
	e.POST("/offers/:id/promise", s.offers.offerToPromise, signedIn)

	e.GET("/questions/:id", s.meetings.question, signedIn)
	e.POST("/questions/:id/answer", s.meetings.answerQuestion, signedIn)

	e.GET("/promises", s.offers.promises, signedIn)
	e.GET("/promises/:id", s.offers.promise, signedIn)
	e.POST("/promises/:id/review", s.offers.reviewPromise, signedIn)
	e.POST("/promises/:id/status", s.offers.promiseStatus, signedIn)

	e.GET("/support", s.support.supportBoard, signedIn)
	e.GET("/support-requests/:id", s.support.supportRequest, signedIn)
	e.POST("/support-requests/:id/claim", s.support.claimSupport, signedIn)
	e.POST("/support-requests/:id/ask-to-assign", s.support.askToAssign, signedIn)
	e.POST("/support-requests/:id/assign", s.support.assignSupport, signedIn)
	e.POST("/support-requests/:id/release", s.support.releaseSupport, signedIn)
	e.POST("/support-requests/:id/cancel", s.support.cancelSupport, signedIn)

	e.GET("/coverage", s.coverage.coverage, signedIn)
	e.GET("/coverage.csv", s.coverage.coverageCSV, signedIn)
	e.GET("/evidence", s.evidence.evidence, signedIn)
	e.GET("/evidence.csv", s.evidence.evidenceCSV, signedIn)
	e.GET("/evidence/deals", s.evidence.evidenceDeals, signedIn)

	e.GET("/admin/users", s.admin.users, signedIn)
	e.POST("/admin/users", s.admin.createUser, signedIn)
	e.GET("/admin/users/:id", s.admin.editUser, signedIn)
	e.POST("/admin/users/:id", s.admin.updateUser, signedIn)
	e.POST("/admin/users/:id/password", s.admin.setOneTimePassword, signedIn)
	e.GET("/admin/settings", s.admin.organisation, signedIn)
	e.POST("/admin/settings", s.admin.saveOrganisation, signedIn)
	e.POST("/admin/settings/rates", s.admin.addRate, signedIn)
	e.POST("/admin/settings/sign-in", s.admin.saveCompanySignIn, signedIn)
	e.POST("/admin/settings/rates/upload", s.admin.uploadRates, signedIn)
	e.GET("/admin/lists", s.admin.lists, signedIn)
	e.POST("/admin/lists/:list", s.admin.addChoice, signedIn)
	e.POST("/admin/choices/:id", s.admin.renameChoice, signedIn)
	e.POST("/admin/choices/:id/retire", s.admin.retireChoice(true), signedIn)
	e.POST("/admin/choices/:id/restore", s.admin.retireChoice(false), signedIn)
	e.GET("/admin/tokens", s.settings.adminTokens, signedIn)
	e.GET("/admin/webhooks", s.admin.webhooks, signedIn)
	e.POST("/admin/webhooks", s.admin.createWebhook, signedIn)
	e.GET("/admin/webhooks/:id", s.admin.webhook, signedIn)
	e.POST("/admin/webhooks/:id/pause", s.admin.setWebhookActive(false), signedIn)
	e.POST("/admin/webhooks/:id/resume", s.admin.setWebhookActive(true), signedIn)
	e.POST("/admin/webhooks/:id/rotate", s.admin.rotateWebhookSecret, signedIn)
	e.POST("/admin/webhooks/:id/delete", s.admin.deleteWebhook, signedIn)
	e.POST("/admin/webhook-deliveries/:id/redeliver", s.admin.redeliver, signedIn)

	e.GET("/import", s.imports.imports, signedIn)
	e.POST("/import", s.imports.uploadImport, signedIn) // the one body over 2 MB (importUpload)
	e.GET("/import/:id", s.imports.importPage, signedIn)
	e.POST("/import/:id", s.imports.mapImport, signedIn)
	e.POST("/import/:id/confirm", s.imports.confirmImport, signedIn)
	e.POST("/import/:id/discard", s.imports.discardImport, signedIn)
	e.GET("/import/:id/failing.csv", s.imports.failingRows, signedIn)
	e.POST("/import/mappings/:kind/forget", s.imports.forgetMappings, signedIn)

	e.GET("/notifications", s.desk.inbox, signedIn)
	e.POST("/notifications/read", s.desk.markRead, signedIn)
	e.POST("/notifications/:id/read", s.desk.markRead, signedIn)
}

// apiRoutes are the JSON API's operations, under /api/v1 (api.go): the
// pages' actions through the same service calls.
func (s *Server) apiRoutes(api huma.API) {
	get, post, patch, create := http.MethodGet, http.MethodPost, http.MethodPatch, methodCreate
	operation(s, api, get, "/me", "me", "Who the token acts as", apiMe)

	operation(s, api, get, "/accounts", "list-accounts", "List accounts", s.accountAPI.apiAccounts)
	operation(s, api, create, "/accounts", "create-account", "Create an account", s.accountAPI.apiCreateAccount)
	operation(s, api, get, "/accounts/{id}", "get-account", "Get an account", s.accountAPI.apiAccount)
	operation(s, api, patch, "/accounts/{id}", "update-account", "Change an account", s.accountAPI.apiUpdateAccount)
	operation(s, api, get, "/contacts", "list-contacts", "List contacts", s.accountAPI.apiContacts)
	operation(s, api, create, "/contacts", "create-contact", "Create a contact", s.accountAPI.apiCreateContact)
	operation(s, api, get, "/contacts/{id}", "get-contact", "Get a contact", s.accountAPI.apiContact)
	operation(s, api, patch, "/contacts/{id}", "update-contact", "Change a contact", s.accountAPI.apiUpdateContact)

	operation(s, api, get, "/deals", "list-deals", "List deals with the pipeline's filters", s.dealAPI.apiDeals)
	operation(s, api, create, "/deals", "create-deal", "Create a deal", s.dealAPI.apiCreateDeal)
	operation(s, api, get, "/deals/{id}", "get-deal", "Get a deal", s.dealAPI.apiDeal)
	operation(s, api, patch, "/deals/{id}", "update-deal", "Change a deal's fields", s.dealAPI.apiUpdateDeal)
	operation(s, api, get, "/deals/{id}/meetings", "list-deal-meetings", "List a deal's meetings", s.meetingAPI.apiDealMeetings)
	operation(s, api, create, "/deals/{id}/meetings", "schedule-meeting", "Schedule a meeting", s.meetingAPI.apiScheduleMeeting)
	operation(s, api, get, "/deals/{id}/offers", "list-deal-offers", "List a deal's offers you may see", s.offerAPI.apiDealOffers)
	operation(s, api, create, "/deals/{id}/offers", "propose-offer", "Propose an offer", s.offerAPI.apiProposeOffer)
	operation(s, api, create, "/deals/{id}/support-requests", "request-support", "Ask for DevRel support", s.supportAPI.apiRequestSupport)
	operation(s, api, create, "/deals/{id}/promises", "record-promise", "Record a promise made to the customer", s.offerAPI.apiRecordPromise)

	operation(s, api, get, "/meetings", "list-meetings", "List upcoming (or past) meetings", s.meetingAPI.apiAgenda)
	operation(s, api, get, "/meetings/{id}", "get-meeting", "Get a meeting", s.meetingAPI.apiMeeting)
	operation(s, api, post, "/meetings/{id}/held", "mark-meeting-held", "Mark a meeting held, with its outcome", s.meetingAPI.apiMeetingHeld)
	operation(s, api, post, "/meetings/{id}/cancel", "cancel-meeting", "Cancel a meeting", s.meetingAPI.apiMeetingCancel)
	operation(s, api, get, "/meetings/{id}/sync", "get-sync", "Get a meeting's pre-meeting sync", s.meetingAPI.apiSync)
	operation(s, api, post, "/meetings/{id}/sync", "record-sync", "Record what the sync agreed", s.meetingAPI.apiRecordSync)
	operation(s, api, post, "/meetings/{id}/sync/confirm", "confirm-sync", "Confirm the sync for your side", s.meetingAPI.apiConfirmSync)
	operation(s, api, create, "/meetings/{id}/questions", "raise-question", "Record a question the customer raised", s.meetingAPI.apiRaiseQuestion)

	operation(s, api, get, "/offers/{id}", "get-offer", "Get an offer", s.offerAPI.apiOffer)
	for _, a := range domain.OfferActions {
		path, id := "/offers/{id}/"+string(a), string(a)+"-offer"
		switch a { // a hold, a decline and a share each need one thing more
		case domain.OfferHold:
			operation(s, api, post, path, id, offerSteps[a], apiMoveOffer[offerHold](s.offerAPI, a))
		case domain.OfferDecline:
			operation(s, api, post, path, id, offerSteps[a], apiMoveOffer[offerDecline](s.offerAPI, a))
		case domain.OfferShare:
			operation(s, api, post, path, id, offerSteps[a], apiMoveOffer[offerShare](s.offerAPI, a))
		default:
			operation(s, api, post, path, id, offerSteps[a], apiMoveOffer[offerStep](s.offerAPI, a))
		}
	}
	operation(s, api, get, "/questions/{id}", "get-question", "Get a question", s.meetingAPI.apiQuestion)
	operation(s, api, post, "/questions/{id}/answer", "answer-question", "Answer a question", s.meetingAPI.apiAnswerQuestion)
	operation(s, api, get, "/promises", "list-promises", "List the promise register", s.offerAPI.apiPromises)
	operation(s, api, get, "/promises/{id}", "get-promise", "Get a promise", s.offerAPI.apiPromise)
	operation(s, api, post, "/promises/{id}/review", "review-promise", "Rate a promise's feasibility", s.offerAPI.apiReviewPromise)

	operation(s, api, get, "/support-requests", "list-support-requests", "List the support board", s.supportAPI.apiSupportBoard)
	operation(s, api, get, "/support-requests/{id}", "get-support-request", "Get a support request", s.supportAPI.apiSupportRequest)
	operation(s, api, post, "/support-requests/{id}/claim", "claim-support-request", "Claim a support request", s.supportAPI.apiClaimSupport)
	operation(s, api, post, "/support-requests/{id}/release", "release-support-request", "Release a claimed request", s.supportAPI.apiReleaseSupport)

	operation(s, api, get, "/coverage", "get-coverage", "The coverage review (managers)", s.coverageAPI.apiCoverage)
	operation(s, api, get, "/evidence", "get-evidence", "Whether the pattern pays: win rates of the deals closed in a period, compared (managers and DevRel)", s.evidenceAPI.apiEvidence)
	operation(s, api, get, "/notifications", "list-notifications", "List your notifications", s.deskAPI.apiNotifications)
	operation(s, api, post, "/notifications/{id}/read", "mark-notification-read", "Mark a notification read", s.deskAPI.apiMarkRead)
}

// offerSteps say what each lifecycle step of an offer does.
var offerSteps = map[domain.OfferAction]string{
	domain.OfferSubmit: "Submit a draft offer for the salesperson's review", domain.OfferClear: "Clear an offer to be raised",
	domain.OfferHold: "Hold an offer in reserve, with its trigger", domain.OfferRelease: "Release a reserved offer (cleared again)",
	domain.OfferDecline: "Decline an offer, with a reason", domain.OfferShare: "Mark a cleared offer shared in a meeting",
	domain.OfferAccept: "Record that the customer accepted an offer", domain.OfferReject: "Record that the customer rejected an offer",
	domain.OfferWithdraw: "Withdraw an offer you proposed",
}

// navEntry is a page in the main navigation: shown once its route exists,
// and only to who the policy lets use it.
type navEntry struct {
	label   string
	path    string
	action  domain.Action // if set, the policy must allow it; else everyone
	section string        // routes starting so mark the entry current too
	also    string        // and routes starting so
}

// current reports whether the route is this entry's page or in its section.
func (n navEntry) current(route string) bool {
	under := func(prefix string) bool { return prefix != "" && strings.HasPrefix(route, prefix) }
	return route == n.path || under(n.section) || under(n.also)
}

var navigation = []navEntry{
	{label: "My desk", path: "/"},
	{label: "Deals", path: "/deals", section: "/deals/"},
	{label: "Meetings", path: "/meetings", section: "/meetings/"},
	{label: "Support board", path: "/support", action: domain.ActionUseSupportBoard, section: "/support-requests/"},
	{label: "Review queue", path: "/offers/review", action: domain.ActionReviewOffers},
	{label: "Promises", path: "/promises", section: "/promises/"},
	{label: "Coverage", path: "/coverage", action: domain.ActionViewCoverage},
	{label: "Evidence", path: "/evidence", action: domain.ActionViewEvidence, section: "/evidence/"},
	{label: "Accounts", path: "/accounts", action: domain.ActionManageAccounts, section: "/accounts/", also: "/contacts"},
	{label: "Import", path: "/import", action: domain.ActionImport, section: "/import/"},
	{label: "Admin", path: "/admin/users", action: domain.ActionManageUsers, section: "/admin/"},
}
