-- A delivery names the River job that sends it (the latest, after a
-- redelivery), so its log shows River's own next attempt, read from River,
-- instead of one drawn separately.
ALTER TABLE webhook_deliveries ADD COLUMN job_id BIGINT;
