-- The coverage review sums ranges of these rollups: from indexes that
-- hold the counts, it never visits the tables.
CREATE INDEX attendance_hours_sum_idx ON attendance_hours (user_id, hour, meetings);
CREATE INDEX meeting_hours_sum_idx ON meeting_hours (hour, sync_state, meetings);
CREATE INDEX offer_days_sum_idx ON offer_days (day, status, offers);
