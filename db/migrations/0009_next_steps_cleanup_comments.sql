-- The daily basics: next steps (tasks), archive and merge, comments on
-- offers and notes, and saved views of the pipeline.
ALTER TABLE deals ADD COLUMN archived_at {{time}};
ALTER TABLE accounts ADD COLUMN archived_at {{time}};
ALTER TABLE contacts ADD COLUMN archived_at {{time}};

CREATE TABLE tasks (
    id {{id}},
    deal_id BIGINT NOT NULL REFERENCES deals (id),
    title TEXT NOT NULL,
    due_on DATE NOT NULL,
    assignee_id BIGINT NOT NULL REFERENCES users (id),
    created_by_id BIGINT NOT NULL REFERENCES users (id),
    done_at {{time}},
    version BIGINT NOT NULL DEFAULT 1,
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL
);
CREATE INDEX tasks_deal_idx ON tasks (deal_id, done_at);
CREATE INDEX tasks_assignee_idx ON tasks (assignee_id, done_at, due_on);

-- A merge moves an account's contacts, deals and history into another;
-- the ids moved are kept so the newest merge can be undone.
CREATE TABLE account_merges (
    id {{id}},
    from_account_id BIGINT NOT NULL REFERENCES accounts (id),
    into_account_id BIGINT NOT NULL REFERENCES accounts (id),
    merged_by_id BIGINT NOT NULL REFERENCES users (id),
    contact_ids TEXT NOT NULL DEFAULT '',
    deal_ids TEXT NOT NULL DEFAULT '',
    event_ids TEXT NOT NULL DEFAULT '',
    merged_at {{time}} NOT NULL,
    undone_at {{time}}
);

CREATE TABLE comments (
    id {{id}},
    deal_id BIGINT NOT NULL REFERENCES deals (id),
    offer_id BIGINT REFERENCES offers (id),
    note_id BIGINT REFERENCES deal_notes (id),
    author_id BIGINT NOT NULL REFERENCES users (id),
    body TEXT NOT NULL,
    created_at {{time}} NOT NULL
);
CREATE INDEX comments_offer_idx ON comments (offer_id, created_at);
CREATE INDEX comments_note_idx ON comments (note_id, created_at);

CREATE TABLE saved_views (
    id {{id}},
    user_id BIGINT NOT NULL REFERENCES users (id),
    name TEXT NOT NULL,
    query TEXT NOT NULL,
    created_at {{time}} NOT NULL
);
CREATE UNIQUE INDEX saved_views_user_name_idx ON saved_views (user_id, lower(name));
