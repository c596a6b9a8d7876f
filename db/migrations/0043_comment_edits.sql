-- A comment's author may change its words: when they last did, and a
-- version the edit form carries back, so an edit made from a stale page is
-- refused instead of overwriting a newer one.
ALTER TABLE comments ADD COLUMN edited_at {{time}};
ALTER TABLE comments ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
