-- Outbound webhooks: endpoints an administrator registers, and one
-- delivery per reported event and endpoint, written in the transaction of
-- the change it reports. The secret signs standard deliveries, so it is
-- kept as given (a hash could not sign).
CREATE TABLE webhook_endpoints (
    id {{id}},
    url TEXT NOT NULL,
    kind TEXT NOT NULL,
    event_types TEXT NOT NULL,
    secret TEXT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at {{time}} NOT NULL
);
CREATE TABLE webhook_deliveries (
    id {{id}},
    endpoint_id BIGINT NOT NULL REFERENCES webhook_endpoints(id),
    event_id BIGINT NOT NULL REFERENCES events(id),
    event_type TEXT NOT NULL,
    message_id TEXT NOT NULL UNIQUE,
    payload TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    response_code INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    next_attempt_at {{time}},
    delivered_at {{time}},
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL
);
CREATE INDEX webhook_deliveries_endpoint_idx ON webhook_deliveries (endpoint_id, id);
