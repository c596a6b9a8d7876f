-- Derived state is kept in Go from here on (store.KeepDerived, in the
-- transaction of each change; store.Rebuild from the rows): the triggers
-- that kept the rollups, the sync states, the DevRel loads, the copies of
-- a deal's owner and a meeting's start, and the deal and organisation
-- revisions go. The directory's revision stays with the database: paths
-- outside the service (the command line) name people too. Each deal's
-- figures are kept beside it; the rollups are emptied here and rebuilt
-- from the rows when the server or `presale migrate` next starts.
DROP TRIGGER IF EXISTS assignments_deal_revision_delete;
DROP TRIGGER IF EXISTS assignments_deal_revision_insert;
DROP TRIGGER IF EXISTS assignments_deal_revision_update;
DROP TRIGGER IF EXISTS assignments_load_end;
DROP TRIGGER IF EXISTS assignments_load_insert;
DROP TRIGGER IF EXISTS assignments_rollup_end;
DROP TRIGGER IF EXISTS assignments_rollup_insert;
DROP TRIGGER IF EXISTS attendees_hours_delete;
DROP TRIGGER IF EXISTS attendees_hours_insert;
DROP TRIGGER IF EXISTS attendees_start_insert;
DROP TRIGGER IF EXISTS attendees_state_delete;
DROP TRIGGER IF EXISTS attendees_state_insert;
DROP TRIGGER IF EXISTS comments_deal_revision_delete;
DROP TRIGGER IF EXISTS comments_deal_revision_insert;
DROP TRIGGER IF EXISTS comments_deal_revision_update;
DROP TRIGGER IF EXISTS deal_notes_deal_revision_delete;
DROP TRIGGER IF EXISTS deal_notes_deal_revision_insert;
DROP TRIGGER IF EXISTS deal_notes_deal_revision_update;
DROP TRIGGER IF EXISTS deals_attendance_archive;
DROP TRIGGER IF EXISTS deals_hours_archive;
DROP TRIGGER IF EXISTS deals_load_update;
DROP TRIGGER IF EXISTS deals_organisation_delete;
DROP TRIGGER IF EXISTS deals_organisation_insert;
DROP TRIGGER IF EXISTS deals_organisation_update;
DROP TRIGGER IF EXISTS deals_owner_handover;
DROP TRIGGER IF EXISTS deals_rollup_archive;
DROP TRIGGER IF EXISTS deals_rollup_insert;
DROP TRIGGER IF EXISTS deals_rollup_update;
DROP TRIGGER IF EXISTS deals_totals_delete;
DROP TRIGGER IF EXISTS deals_totals_insert;
DROP TRIGGER IF EXISTS deals_totals_update;
DROP TRIGGER IF EXISTS directory_organisation;
DROP TRIGGER IF EXISTS events_deal_revision_delete;
DROP TRIGGER IF EXISTS events_deal_revision_insert;
DROP TRIGGER IF EXISTS events_deal_revision_update;
DROP TRIGGER IF EXISTS events_organisation_insert;
DROP TRIGGER IF EXISTS events_state_insert;
DROP TRIGGER IF EXISTS exchange_rates_organisation_delete;
DROP TRIGGER IF EXISTS exchange_rates_organisation_insert;
DROP TRIGGER IF EXISTS exchange_rates_organisation_update;
DROP TRIGGER IF EXISTS meeting_attendees_deal_revision_delete;
DROP TRIGGER IF EXISTS meeting_attendees_deal_revision_insert;
DROP TRIGGER IF EXISTS meeting_attendees_deal_revision_update;
DROP TRIGGER IF EXISTS meeting_contacts_deal_revision_delete;
DROP TRIGGER IF EXISTS meeting_contacts_deal_revision_insert;
DROP TRIGGER IF EXISTS meeting_contacts_deal_revision_update;
DROP TRIGGER IF EXISTS meetings_attendance_update;
DROP TRIGGER IF EXISTS meetings_attendees_start;
DROP TRIGGER IF EXISTS meetings_deal_revision_delete;
DROP TRIGGER IF EXISTS meetings_deal_revision_insert;
DROP TRIGGER IF EXISTS meetings_deal_revision_update;
DROP TRIGGER IF EXISTS meetings_hours_delete;
DROP TRIGGER IF EXISTS meetings_hours_insert;
DROP TRIGGER IF EXISTS meetings_hours_update;
DROP TRIGGER IF EXISTS meetings_owner_insert;
DROP TRIGGER IF EXISTS meetings_owner_move;
DROP TRIGGER IF EXISTS offers_deal_revision_delete;
DROP TRIGGER IF EXISTS offers_deal_revision_insert;
DROP TRIGGER IF EXISTS offers_deal_revision_update;
DROP TRIGGER IF EXISTS offers_owner_insert;
DROP TRIGGER IF EXISTS offers_owner_move;
DROP TRIGGER IF EXISTS offers_rollup_insert;
DROP TRIGGER IF EXISTS offers_rollup_update;
DROP TRIGGER IF EXISTS organisation_settings_organisation_delete;
DROP TRIGGER IF EXISTS organisation_settings_organisation_insert;
DROP TRIGGER IF EXISTS organisation_settings_organisation_update;
DROP TRIGGER IF EXISTS promises_deal_revision_delete;
DROP TRIGGER IF EXISTS promises_deal_revision_insert;
DROP TRIGGER IF EXISTS promises_deal_revision_update;
DROP TRIGGER IF EXISTS promises_rollup_insert;
DROP TRIGGER IF EXISTS promises_rollup_update;
DROP TRIGGER IF EXISTS questions_deal_revision_delete;
DROP TRIGGER IF EXISTS questions_deal_revision_insert;
DROP TRIGGER IF EXISTS questions_deal_revision_update;
DROP TRIGGER IF EXISTS stage_probabilities_organisation_delete;
DROP TRIGGER IF EXISTS stage_probabilities_organisation_insert;
DROP TRIGGER IF EXISTS stage_probabilities_organisation_update;
DROP TRIGGER IF EXISTS support_requests_deal_revision_delete;
DROP TRIGGER IF EXISTS support_requests_deal_revision_insert;
DROP TRIGGER IF EXISTS support_requests_deal_revision_update;
DROP TRIGGER IF EXISTS syncs_deal_revision_delete;
DROP TRIGGER IF EXISTS syncs_deal_revision_insert;
DROP TRIGGER IF EXISTS syncs_deal_revision_update;
DROP TRIGGER IF EXISTS syncs_state_insert;
DROP TRIGGER IF EXISTS syncs_state_update;
DROP TRIGGER IF EXISTS tasks_deal_revision_delete;
DROP TRIGGER IF EXISTS tasks_deal_revision_insert;
DROP TRIGGER IF EXISTS tasks_deal_revision_update;
DROP TRIGGER IF EXISTS users_state_role;

DELETE FROM revisions WHERE name = 'organisation';

CREATE TABLE deal_figures (
    deal_id BIGINT NOT NULL PRIMARY KEY,
    figures TEXT NOT NULL
);

DELETE FROM pipeline_rollup;
DELETE FROM pipeline_days;
DELETE FROM deal_rollup;
DELETE FROM offer_days;
DELETE FROM promise_rollup;
DELETE FROM meeting_hours;
DELETE FROM attendance_hours;
DELETE FROM devrel_loads;

-- When each person last changed something: reads across the organisation
-- kept from before it are read again for them.
ALTER TABLE users ADD COLUMN wrote_at TIMESTAMP;
