-- Derived state is kept in Go from here on (store.KeepDerived, in the
-- transaction of each change; store.Rebuild from the rows): the triggers
-- that kept the rollups, the sync states, the DevRel loads, the copies of
-- a deal's owner and a meeting's start, and the deal and organisation
-- revisions go. The directory's revision stays with the database: paths
-- outside the service (the command line) name people too. Each deal's
-- figures are kept beside it; the rollups are emptied here and rebuilt
-- from the rows when the server or `presale migrate` next starts.
DROP TRIGGER IF EXISTS assignments_deal_revision ON assignments;
DROP TRIGGER IF EXISTS assignments_load ON assignments;
DROP TRIGGER IF EXISTS assignments_rollup ON assignments;
DROP TRIGGER IF EXISTS attendees_attendance ON meeting_attendees;
DROP TRIGGER IF EXISTS attendees_restate ON meeting_attendees;
DROP TRIGGER IF EXISTS attendees_start ON meeting_attendees;
DROP TRIGGER IF EXISTS comments_deal_revision ON comments;
DROP TRIGGER IF EXISTS deal_notes_deal_revision ON deal_notes;
DROP TRIGGER IF EXISTS deals_attendance ON deals;
DROP TRIGGER IF EXISTS deals_hours ON deals;
DROP TRIGGER IF EXISTS deals_load ON deals;
DROP TRIGGER IF EXISTS deals_owner_handover ON deals;
DROP TRIGGER IF EXISTS deals_rollup ON deals;
DROP TRIGGER IF EXISTS deals_totals_delete ON deals;
DROP TRIGGER IF EXISTS deals_totals_insert ON deals;
DROP TRIGGER IF EXISTS deals_totals_update ON deals;
DROP TRIGGER IF EXISTS events_deal_revision ON events;
DROP TRIGGER IF EXISTS events_restate ON events;
DROP TRIGGER IF EXISTS meeting_attendees_deal_revision ON meeting_attendees;
DROP TRIGGER IF EXISTS meeting_contacts_deal_revision ON meeting_contacts;
DROP TRIGGER IF EXISTS meetings_attendance ON meetings;
DROP TRIGGER IF EXISTS meetings_attendees_start ON meetings;
DROP TRIGGER IF EXISTS meetings_deal_revision ON meetings;
DROP TRIGGER IF EXISTS meetings_hours ON meetings;
DROP TRIGGER IF EXISTS meetings_owner ON meetings;
DROP TRIGGER IF EXISTS offers_deal_revision ON offers;
DROP TRIGGER IF EXISTS offers_owner ON offers;
DROP TRIGGER IF EXISTS offers_rollup ON offers;
DROP TRIGGER IF EXISTS promises_deal_revision ON promises;
DROP TRIGGER IF EXISTS promises_rollup ON promises;
DROP TRIGGER IF EXISTS questions_deal_revision ON questions;
DROP TRIGGER IF EXISTS support_requests_deal_revision ON support_requests;
DROP TRIGGER IF EXISTS syncs_deal_revision ON syncs;
DROP TRIGGER IF EXISTS syncs_restate ON syncs;
DROP TRIGGER IF EXISTS tasks_deal_revision ON tasks;
DROP TRIGGER IF EXISTS users_restate ON users;

DROP FUNCTION IF EXISTS assignments_rollup;
DROP FUNCTION IF EXISTS attendance;
DROP FUNCTION IF EXISTS attendance_start;
DROP FUNCTION IF EXISTS covered_add;
DROP FUNCTION IF EXISTS deal_owner_copy;
DROP FUNCTION IF EXISTS deal_owner_handover;
DROP FUNCTION IF EXISTS deal_revision_of_meeting_row;
DROP FUNCTION IF EXISTS deal_revision_of_row;
DROP FUNCTION IF EXISTS deal_totals;
DROP FUNCTION IF EXISTS deals_rollup;
DROP FUNCTION IF EXISTS devrel_load;
DROP FUNCTION IF EXISTS meetings_hours;
DROP FUNCTION IF EXISTS meetings_restate;
DROP FUNCTION IF EXISTS meeting_sync_state;
DROP FUNCTION IF EXISTS offers_rollup;
DROP FUNCTION IF EXISTS pipeline_add;
DROP FUNCTION IF EXISTS promises_rollup;
DROP FUNCTION IF EXISTS epoch_day;
DROP FUNCTION IF EXISTS epoch_hour;
DROP FUNCTION IF EXISTS due_day;
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
ALTER TABLE users ADD COLUMN wrote_at TIMESTAMPTZ;
