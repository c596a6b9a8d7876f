-- A password change ends the user's other sessions: each session carries
-- the epoch it was signed in under. An administrator's one-time password
-- must be replaced at the next sign-in.
ALTER TABLE users ADD COLUMN session_epoch BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT FALSE;
