-- The agenda reads scheduled meetings in start order from a little before
-- now; this index lets it skip every meeting already past.
CREATE INDEX meetings_status_starts_idx ON meetings (status, starts_at);
