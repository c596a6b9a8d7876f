-- Search tests the newest rows one by one before it asks the index
-- (store.newestMatches): with the words kept in a column, written with
-- the row, that test no longer parses every title again.
ALTER TABLE deals ADD COLUMN search_words tsvector GENERATED ALWAYS AS (to_tsvector('simple', title)) STORED;
ALTER TABLE accounts ADD COLUMN search_words tsvector GENERATED ALWAYS AS (to_tsvector('simple', name || ' ' || domain)) STORED;
ALTER TABLE contacts ADD COLUMN search_words tsvector GENERATED ALWAYS AS (to_tsvector('simple', name || ' ' || email || ' ' || title)) STORED;
ALTER TABLE meetings ADD COLUMN search_words tsvector GENERATED ALWAYS AS (to_tsvector('simple', title)) STORED;
ALTER TABLE offers ADD COLUMN search_words tsvector GENERATED ALWAYS AS (to_tsvector('simple', title)) STORED;

DROP INDEX deals_search_idx;
DROP INDEX accounts_search_idx;
DROP INDEX contacts_search_idx;
DROP INDEX meetings_search_idx;
DROP INDEX offers_search_idx;

CREATE INDEX deals_search_idx ON deals USING GIN (search_words) WITH (fastupdate = off);
CREATE INDEX accounts_search_idx ON accounts USING GIN (search_words) WITH (fastupdate = off);
CREATE INDEX contacts_search_idx ON contacts USING GIN (search_words) WITH (fastupdate = off);
CREATE INDEX meetings_search_idx ON meetings USING GIN (search_words) WITH (fastupdate = off);
CREATE INDEX offers_search_idx ON offers USING GIN (search_words) WITH (fastupdate = off);
