-- Every editable thing carries a version checked in the UPDATE's WHERE, so
-- two instances never silently overwrite each other's change.
ALTER TABLE accounts ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE contacts ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE meetings ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE syncs ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE promises ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE support_requests ADD COLUMN version BIGINT NOT NULL DEFAULT 1;

-- An accepted offer becomes a promise at most once. A duplicate made before
-- this index keeps its row and loses only its link to the offer.
UPDATE promises SET offer_id = NULL WHERE offer_id IS NOT NULL
    AND id NOT IN (SELECT MIN(id) FROM promises WHERE offer_id IS NOT NULL GROUP BY offer_id);
CREATE UNIQUE INDEX promises_offer_key ON promises (offer_id) WHERE offer_id IS NOT NULL;

-- Session tokens are now stored as their SHA-256; tokens stored in the
-- clear can no longer be matched, so those sessions end.
DELETE FROM sessions;
