-- CSV import: the id a row had in the system it came from (HubSpot's
-- Record ID, Salesforce's Opportunity ID…), so importing the same file
-- again finds what it brought the first time.
ALTER TABLE accounts ADD COLUMN external_id TEXT NOT NULL DEFAULT '';
ALTER TABLE contacts ADD COLUMN external_id TEXT NOT NULL DEFAULT '';
ALTER TABLE deals ADD COLUMN external_id TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX accounts_external_id_key ON accounts (external_id) WHERE external_id <> '';
CREATE UNIQUE INDEX contacts_external_id_key ON contacts (external_id) WHERE external_id <> '';
CREATE UNIQUE INDEX deals_external_id_key ON deals (external_id) WHERE external_id <> '';
