-- Covering indexes for the coverage review: the open pipeline groups by
-- owner, stage and currency without reading deal rows, and the trend reads
-- each deal's and assignment's life span from the index alone.
CREATE INDEX deals_pipeline_idx ON deals (owner_id, stage, currency, amount_minor);
CREATE INDEX deals_lifetime_idx ON deals (created_at, closed_at, owner_id);
CREATE INDEX assignments_lifetime_idx ON assignments (deal_id, claimed_at, released_at, user_id);
