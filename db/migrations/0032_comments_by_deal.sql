-- The replies to a deal's internal notes are read by deal: without this
-- the deal page read every comment in the organisation.
CREATE INDEX comments_deal_idx ON comments (deal_id, created_at);
