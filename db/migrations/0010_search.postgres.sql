-- One search box: a tsvector index per kind (words matched by prefix),
-- on expressions, so every write keeps it without a trigger. No pending
-- list (fastupdate off): a search never scans unmerged entries.
CREATE INDEX deals_search_idx ON deals USING GIN (to_tsvector('simple', title)) WITH (fastupdate = off);
CREATE INDEX accounts_search_idx ON accounts USING GIN (to_tsvector('simple', name || ' ' || domain)) WITH (fastupdate = off);
CREATE INDEX contacts_search_idx ON contacts USING GIN (to_tsvector('simple', name || ' ' || email || ' ' || title)) WITH (fastupdate = off);
CREATE INDEX meetings_search_idx ON meetings USING GIN (to_tsvector('simple', title)) WITH (fastupdate = off);
CREATE INDEX offers_search_idx ON offers USING GIN (to_tsvector('simple', title)) WITH (fastupdate = off);
