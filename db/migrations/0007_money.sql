-- One currency for decisions: the organisation's reporting currency,
-- exchange rates with the day they take effect, and the stage
-- probabilities of the weighted pipeline.
CREATE TABLE organisation_settings (
    id BIGINT PRIMARY KEY,
    reporting_currency TEXT NOT NULL DEFAULT 'USD',
    updated_at {{time}} NOT NULL
);

CREATE TABLE exchange_rates (
    id {{id}},
    currency TEXT NOT NULL,
    to_currency TEXT NOT NULL,
    rate DOUBLE PRECISION NOT NULL CHECK (rate > 0),
    effective_on DATE NOT NULL,
    created_by_id BIGINT REFERENCES users (id),
    created_at {{time}} NOT NULL
);
CREATE INDEX exchange_rates_currency_idx ON exchange_rates (to_currency, currency, effective_on);

CREATE TABLE stage_probabilities (
    stage TEXT PRIMARY KEY,
    percent INTEGER NOT NULL CHECK (percent BETWEEN 0 AND 100)
);
