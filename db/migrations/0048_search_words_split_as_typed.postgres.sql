-- Search matches the words typed whole but the last (store.Search), and
-- splits what is typed at every character that is not a letter or a digit
-- (store.SearchTerms), as SQLite's index splits the names. PostgreSQL's
-- parser kept a host, an e-mail address, a path or a version as one word
-- ("acme.io", "ana@northwind.example"), which no whole word typed could
-- match: the words are now split at those characters first.
ALTER TABLE deals DROP COLUMN search_words;
ALTER TABLE accounts DROP COLUMN search_words;
ALTER TABLE contacts DROP COLUMN search_words;
ALTER TABLE meetings DROP COLUMN search_words;
ALTER TABLE offers DROP COLUMN search_words;

ALTER TABLE deals ADD COLUMN search_words tsvector GENERATED ALWAYS AS (to_tsvector('simple', translate(title, '.@/:~', '     '))) STORED;
ALTER TABLE accounts ADD COLUMN search_words tsvector GENERATED ALWAYS AS (to_tsvector('simple', translate(name || ' ' || domain, '.@/:~', '     '))) STORED;
ALTER TABLE contacts ADD COLUMN search_words tsvector GENERATED ALWAYS AS (to_tsvector('simple', translate(name || ' ' || email || ' ' || title, '.@/:~', '     '))) STORED;
ALTER TABLE meetings ADD COLUMN search_words tsvector GENERATED ALWAYS AS (to_tsvector('simple', translate(title, '.@/:~', '     '))) STORED;
ALTER TABLE offers ADD COLUMN search_words tsvector GENERATED ALWAYS AS (to_tsvector('simple', translate(title, '.@/:~', '     '))) STORED;

CREATE INDEX deals_search_idx ON deals USING GIN (search_words) WITH (fastupdate = off);
CREATE INDEX accounts_search_idx ON accounts USING GIN (search_words) WITH (fastupdate = off);
CREATE INDEX contacts_search_idx ON contacts USING GIN (search_words) WITH (fastupdate = off);
CREATE INDEX meetings_search_idx ON meetings USING GIN (search_words) WITH (fastupdate = off);
CREATE INDEX offers_search_idx ON offers USING GIN (search_words) WITH (fastupdate = off);

-- Search asks the planner's statistics which words are rare
-- (store.rareWords): the new columns have them at once.
ANALYZE deals;
ANALYZE accounts;
ANALYZE contacts;
ANALYZE meetings;
ANALYZE offers;
