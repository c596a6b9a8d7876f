-- Lists, desks and coverage read live deals only (archived_at IS NULL):
-- their covering indexes hold just those, so the archive test is answered
-- by the index and no deal row is read.
DROP INDEX deals_pipeline_idx;
CREATE INDEX deals_pipeline_idx ON deals (owner_id, stage, currency, amount_minor) WHERE archived_at IS NULL;
DROP INDEX deals_lifetime_idx;
CREATE INDEX deals_lifetime_idx ON deals (created_at, closed_at, owner_id, currency, amount_minor) WHERE archived_at IS NULL;
DROP INDEX deals_stage_idx;
CREATE INDEX deals_stage_idx ON deals (stage, expected_close_date) WHERE archived_at IS NULL;
DROP INDEX deals_last_activity_idx;
CREATE INDEX deals_last_activity_idx ON deals (last_activity_at) WHERE archived_at IS NULL;
CREATE INDEX deals_archived_idx ON deals (archived_at) WHERE archived_at IS NOT NULL;
