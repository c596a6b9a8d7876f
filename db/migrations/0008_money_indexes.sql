-- Converted values read indexes only: the trend's per-week values come
-- from each deal's life span with its currency and amount.
DROP INDEX deals_lifetime_idx;
CREATE INDEX deals_lifetime_idx ON deals (created_at, closed_at, owner_id, currency, amount_minor);
