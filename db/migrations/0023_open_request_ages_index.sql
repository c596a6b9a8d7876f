-- The coverage review counts open requests by age: ranges of this index.
CREATE INDEX support_requests_age_idx ON support_requests (status, created_at, deal_id);
