-- The support board and the coverage review read the open requests from
-- this index alone: their order, their ages and their deals.
CREATE INDEX support_requests_open_idx ON support_requests (status, needed_by, created_at, deal_id);
