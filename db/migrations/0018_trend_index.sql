-- The coverage trend sums the pipeline's daily changes by day and
-- currency in this index's order: no sort, and no visit to the table.
CREATE INDEX pipeline_days_trend_idx ON pipeline_days (day, currency, owner_id, deals, covered, value, covered_value);
