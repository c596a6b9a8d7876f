-- A webhook endpoint's secret can be rotated: the secret it replaces still
-- signs deliveries (beside the new one, as the Standard Webhooks
-- specification lets a receiver check either) until previous_secret_until,
-- so the receiver can be moved to the new secret without dropping any.
ALTER TABLE webhook_endpoints ADD COLUMN previous_secret TEXT NOT NULL DEFAULT '';
ALTER TABLE webhook_endpoints ADD COLUMN previous_secret_until {{time}};
