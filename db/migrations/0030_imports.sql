-- CSV imports waiting for their person to map and confirm: the file as
-- uploaded (dropped once imported), the mapping so far, and what the
-- import did. A shared table, so any instance can show the preview.
CREATE TABLE imports (
    id {{id}},
    kind TEXT NOT NULL,
    file_name TEXT NOT NULL,
    content {{bytes}},
    plan TEXT NOT NULL,
    status TEXT NOT NULL,
    created INTEGER NOT NULL DEFAULT 0,
    existing INTEGER NOT NULL DEFAULT 0,
    skipped INTEGER NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1,
    created_by BIGINT NOT NULL REFERENCES users(id),
    created_at {{time}} NOT NULL,
    imported_at {{time}}
);
CREATE INDEX imports_created_idx ON imports (created_at);

-- Mappings a person chose to keep for the next file: a header to a field,
-- a stage name to a stage, an owner's name to a person.
CREATE TABLE import_mappings (
    kind TEXT NOT NULL,
    what TEXT NOT NULL,
    name TEXT NOT NULL,
    value TEXT NOT NULL,
    updated_at {{time}} NOT NULL,
    PRIMARY KEY (kind, what, name)
);
