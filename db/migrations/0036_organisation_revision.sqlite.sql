-- What spans the organisation (the coverage review) is kept while
-- nothing in it has changed. On SQLite, with its one writer, a counter
-- says so: every change of a deal or of a row about one (which counts the
-- deal's revision, migration 34), every event, every change of names (the
-- directory, migration 31) and of the settings money is reckoned by.
-- PostgreSQL names its state by the current snapshot instead
-- (store.OrganisationRevision): a counter there would make every writer
-- wait for the last.
INSERT INTO revisions (name, n) VALUES ('organisation', 0);

CREATE TRIGGER deals_organisation_insert AFTER INSERT ON deals
BEGIN
    UPDATE revisions SET n = n + 1 WHERE name = 'organisation';
END;

CREATE TRIGGER deals_organisation_update AFTER UPDATE ON deals
BEGIN
    UPDATE revisions SET n = n + 1 WHERE name = 'organisation';
END;

CREATE TRIGGER deals_organisation_delete AFTER DELETE ON deals
BEGIN
    UPDATE revisions SET n = n + 1 WHERE name = 'organisation';
END;

CREATE TRIGGER organisation_settings_organisation_insert AFTER INSERT ON organisation_settings
BEGIN
    UPDATE revisions SET n = n + 1 WHERE name = 'organisation';
END;

CREATE TRIGGER organisation_settings_organisation_update AFTER UPDATE ON organisation_settings
BEGIN
    UPDATE revisions SET n = n + 1 WHERE name = 'organisation';
END;

CREATE TRIGGER organisation_settings_organisation_delete AFTER DELETE ON organisation_settings
BEGIN
    UPDATE revisions SET n = n + 1 WHERE name = 'organisation';
END;

CREATE TRIGGER exchange_rates_organisation_insert AFTER INSERT ON exchange_rates
BEGIN
    UPDATE revisions SET n = n + 1 WHERE name = 'organisation';
END;

CREATE TRIGGER exchange_rates_organisation_update AFTER UPDATE ON exchange_rates
BEGIN
    UPDATE revisions SET n = n + 1 WHERE name = 'organisation';
END;

CREATE TRIGGER exchange_rates_organisation_delete AFTER DELETE ON exchange_rates
BEGIN
    UPDATE revisions SET n = n + 1 WHERE name = 'organisation';
END;

CREATE TRIGGER stage_probabilities_organisation_insert AFTER INSERT ON stage_probabilities
BEGIN
    UPDATE revisions SET n = n + 1 WHERE name = 'organisation';
END;

CREATE TRIGGER stage_probabilities_organisation_update AFTER UPDATE ON stage_probabilities
BEGIN
    UPDATE revisions SET n = n + 1 WHERE name = 'organisation';
END;

CREATE TRIGGER stage_probabilities_organisation_delete AFTER DELETE ON stage_probabilities
BEGIN
    UPDATE revisions SET n = n + 1 WHERE name = 'organisation';
END;

CREATE TRIGGER events_organisation_insert AFTER INSERT ON events
BEGIN
    UPDATE revisions SET n = n + 1 WHERE name = 'organisation';
END;

CREATE TRIGGER directory_organisation AFTER UPDATE ON revisions
WHEN NEW.name = 'directory'
BEGIN
    UPDATE revisions SET n = n + 1 WHERE name = 'organisation';
END;
