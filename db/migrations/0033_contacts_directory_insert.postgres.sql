-- A meeting's page lists its account's contacts to invite: a new contact
-- changes it, as a renamed one does (migration 31). Once a statement, so
-- an import of many contacts counts once a batch.
CREATE TRIGGER contacts_directory_insert AFTER INSERT ON contacts
    FOR EACH STATEMENT EXECUTE FUNCTION directory_changed();
