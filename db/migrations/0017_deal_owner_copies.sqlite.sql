-- Meetings and offers keep their deal's owner, so a salesperson's desk
-- reads their meetings and the offers waiting for them from one index
-- range, not by probing each of their thousand deals. Triggers keep the
-- copy in the transaction of every change that moves it: a meeting or
-- offer created or moved to another deal (a merge), a deal handed over.
ALTER TABLE meetings ADD COLUMN deal_owner_id BIGINT;
ALTER TABLE offers ADD COLUMN deal_owner_id BIGINT;

UPDATE meetings SET deal_owner_id = (SELECT owner_id FROM deals WHERE deals.id = meetings.deal_id);
UPDATE offers SET deal_owner_id = (SELECT owner_id FROM deals WHERE deals.id = offers.deal_id);

CREATE INDEX meetings_owner_starts_idx ON meetings (deal_owner_id, starts_at) WHERE status = 'scheduled';
CREATE INDEX offers_owner_status_idx ON offers (deal_owner_id, status, updated_at, id);

CREATE TRIGGER meetings_owner_insert AFTER INSERT ON meetings
BEGIN
    UPDATE meetings SET deal_owner_id = (SELECT owner_id FROM deals WHERE id = new.deal_id) WHERE id = new.id;
END;

CREATE TRIGGER meetings_owner_move AFTER UPDATE OF deal_id ON meetings WHEN old.deal_id <> new.deal_id
BEGIN
    UPDATE meetings SET deal_owner_id = (SELECT owner_id FROM deals WHERE id = new.deal_id) WHERE id = new.id;
END;

CREATE TRIGGER offers_owner_insert AFTER INSERT ON offers
BEGIN
    UPDATE offers SET deal_owner_id = (SELECT owner_id FROM deals WHERE id = new.deal_id) WHERE id = new.id;
END;

CREATE TRIGGER offers_owner_move AFTER UPDATE OF deal_id ON offers WHEN old.deal_id <> new.deal_id
BEGIN
    UPDATE offers SET deal_owner_id = (SELECT owner_id FROM deals WHERE id = new.deal_id) WHERE id = new.id;
END;

CREATE TRIGGER deals_owner_handover AFTER UPDATE OF owner_id ON deals WHEN old.owner_id <> new.owner_id
BEGIN
    UPDATE meetings SET deal_owner_id = new.owner_id WHERE deal_id = new.id;
    UPDATE offers SET deal_owner_id = new.owner_id WHERE deal_id = new.id;
END;

-- A salesperson's pipeline opens on their deals by last activity; their
-- desk walks their deals by closing date. Both carry what the pipeline's
-- sums read, so SQLite's planner, which counts the columns an index
-- holds, never prefers one that would send it to the table for them.
CREATE INDEX deals_owner_activity_idx ON deals (owner_id, last_activity_at, stage, currency, amount_minor) WHERE archived_at IS NULL;
CREATE INDEX deals_owner_close_idx ON deals (owner_id, expected_close_date, stage, currency, amount_minor) WHERE archived_at IS NULL;

-- A DevRel's promises to rate are found from their deals' promises, and
-- an owner's promises are counted, in the indexes alone.
CREATE INDEX assignments_user_deals_idx ON assignments (user_id, deal_id) WHERE active;
CREATE INDEX promises_deal_state_idx ON promises (deal_id, status, feasibility, due_date);
DROP INDEX promises_owner_idx;
CREATE INDEX promises_owner_idx ON promises (owner_id, due_date, status, deal_id);
