-- A meeting's page lists its account's contacts to invite: a new contact
-- changes it, as a renamed one does (migration 31).
CREATE TRIGGER contacts_directory_insert AFTER INSERT ON contacts
BEGIN
    UPDATE revisions SET n = n + 1 WHERE name = 'directory';
END;
