-- One search box: a tsvector index per kind (words matched by prefix),
-- on expressions, so every write keeps it without a trigger.
CREATE INDEX deals_search_idx ON deals USING GIN (to_tsvector('simple', title));
CREATE INDEX accounts_search_idx ON accounts USING GIN (to_tsvector('simple', name || ' ' || domain));
CREATE INDEX contacts_search_idx ON contacts USING GIN (to_tsvector('simple', name || ' ' || email || ' ' || title));
CREATE INDEX meetings_search_idx ON meetings USING GIN (to_tsvector('simple', title));
CREATE INDEX offers_search_idx ON offers USING GIN (to_tsvector('simple', title));
