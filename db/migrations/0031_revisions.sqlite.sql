-- What a page keeps of a deal is good while nothing it shows has changed.
-- A deal's revision counts the changes written about it (every change
-- about a deal passes through the service's write, which touches the
-- deal); the directory's counts changes to the people, accounts and
-- contacts whose names pages show, whichever path wrote them.
ALTER TABLE deals ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;

CREATE TABLE revisions (
    name TEXT PRIMARY KEY,
    n INTEGER NOT NULL
);
INSERT INTO revisions (name, n) VALUES ('directory', 0);

CREATE TRIGGER users_directory_insert AFTER INSERT ON users
BEGIN
    UPDATE revisions SET n = n + 1 WHERE name = 'directory';
END;

CREATE TRIGGER users_directory_update AFTER UPDATE ON users
WHEN OLD.name IS NOT NEW.name OR OLD.role IS NOT NEW.role OR OLD.active IS NOT NEW.active
BEGIN
    UPDATE revisions SET n = n + 1 WHERE name = 'directory';
END;

CREATE TRIGGER accounts_directory_update AFTER UPDATE ON accounts
BEGIN
    UPDATE revisions SET n = n + 1 WHERE name = 'directory';
END;

CREATE TRIGGER contacts_directory_update AFTER UPDATE ON contacts
BEGIN
    UPDATE revisions SET n = n + 1 WHERE name = 'directory';
END;
