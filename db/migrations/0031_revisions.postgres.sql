-- What a page keeps of a deal is good while nothing it shows has changed.
-- A deal's revision counts the changes written about it (every change
-- about a deal passes through the service's write, which touches the
-- deal); the directory's counts changes to the people, accounts and
-- contacts whose names pages show, whichever path wrote them.
ALTER TABLE deals ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;

CREATE TABLE revisions (
    name TEXT PRIMARY KEY,
    n BIGINT NOT NULL
);
INSERT INTO revisions (name, n) VALUES ('directory', 0);

CREATE FUNCTION directory_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE revisions SET n = n + 1 WHERE name = 'directory';
    RETURN NULL;
END;
$$;

CREATE TRIGGER users_directory_insert AFTER INSERT ON users
    FOR EACH ROW EXECUTE FUNCTION directory_changed();

CREATE TRIGGER users_directory_update AFTER UPDATE ON users
    FOR EACH ROW
    WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.role IS DISTINCT FROM NEW.role OR OLD.active IS DISTINCT FROM NEW.active)
    EXECUTE FUNCTION directory_changed();

CREATE TRIGGER accounts_directory_update AFTER UPDATE ON accounts
    FOR EACH ROW EXECUTE FUNCTION directory_changed();

CREATE TRIGGER contacts_directory_update AFTER UPDATE ON contacts
    FOR EACH ROW EXECUTE FUNCTION directory_changed();
