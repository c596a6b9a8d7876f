-- Why deals are lost, and what the product lacks (issue 28): two short
-- lists the organisation edits (entries keep a stable key; the label may
-- be renamed; a retired entry stays on old records but is not offered),
-- the reason and note a deal was lost with (kept when it is reopened), and
-- the product area of a question or a promise (empty for none).
CREATE TABLE choices (
    id {{id}},
    list TEXT NOT NULL CHECK (list IN ('lost_reason', 'product_area')),
    key TEXT NOT NULL,
    label TEXT NOT NULL,
    position INTEGER NOT NULL,
    retired_at {{time}},
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL
);
CREATE UNIQUE INDEX choices_list_key ON choices (list, key);
INSERT INTO choices (list, key, label, position, created_at, updated_at) VALUES
    ('lost_reason', 'price', 'Price', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    ('lost_reason', 'missing_capability', 'Missing capability', 2, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    ('lost_reason', 'competitor', 'Competitor', 3, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    ('lost_reason', 'timing', 'Timing', 4, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    ('lost_reason', 'no_decision', 'No decision', 5, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP);

ALTER TABLE deals ADD COLUMN lost_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE deals ADD COLUMN lost_note TEXT NOT NULL DEFAULT '';
ALTER TABLE questions ADD COLUMN product_area TEXT NOT NULL DEFAULT '';
ALTER TABLE promises ADD COLUMN product_area TEXT NOT NULL DEFAULT '';
