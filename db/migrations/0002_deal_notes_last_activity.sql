-- Internal notes by the deal team, and the time of each deal's latest
-- event so the pipeline can sort by last activity without scanning events.

CREATE TABLE deal_notes (
    id {{id}},
    deal_id BIGINT NOT NULL REFERENCES deals (id),
    author_id BIGINT NOT NULL REFERENCES users (id),
    body TEXT NOT NULL,
    created_at {{time}} NOT NULL
);
CREATE INDEX deal_notes_deal_idx ON deal_notes (deal_id, created_at);

ALTER TABLE deals ADD COLUMN last_activity_at {{time}};
UPDATE deals SET last_activity_at = COALESCE((SELECT MAX(at) FROM events WHERE events.deal_id = deals.id), updated_at);
CREATE INDEX deals_last_activity_idx ON deals (last_activity_at);
