-- E-mail: which kinds of notification a person also gets by e-mail, the
-- daily digest, the token of their unsubscribe links, and the local date
-- of the last digest queued (so a restart never sends one twice). A
-- notification records when it was e-mailed, for the same reason.
ALTER TABLE users ADD COLUMN email_kinds TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN email_digest BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE users ADD COLUMN email_token TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN digest_sent_on TEXT NOT NULL DEFAULT '';
ALTER TABLE notifications ADD COLUMN emailed_at {{time}};
CREATE INDEX users_email_token_idx ON users (email_token);
