-- Coverage counts the offers of its period's partial first and last days
-- from the offers themselves: by the time they were proposed.
CREATE INDEX offers_created_idx ON offers (created_at, status, deal_id);
