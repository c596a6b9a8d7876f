-- Each attendance keeps when its meeting starts while it is scheduled
-- (NULL once held or cancelled), so someone's next meetings are one range
-- of an index, not a look at every meeting they ever attended. Triggers
-- keep the copy in the transaction of every change; store.RollupDrift
-- checks it against the meetings.
ALTER TABLE meeting_attendees ADD COLUMN scheduled_at TIMESTAMP;

UPDATE meeting_attendees SET scheduled_at = (SELECT CASE WHEN m.status = 'scheduled' THEN m.starts_at END FROM meetings m WHERE m.id = meeting_attendees.meeting_id);

CREATE INDEX meeting_attendees_next_idx ON meeting_attendees (user_id, scheduled_at) WHERE scheduled_at IS NOT NULL;

CREATE TRIGGER attendees_start_insert AFTER INSERT ON meeting_attendees
BEGIN
    UPDATE meeting_attendees SET scheduled_at = (SELECT CASE WHEN m.status = 'scheduled' THEN m.starts_at END FROM meetings m WHERE m.id = new.meeting_id)
    WHERE meeting_id = new.meeting_id AND user_id = new.user_id;
END;

CREATE TRIGGER meetings_attendees_start AFTER UPDATE OF status, starts_at ON meetings
    WHEN old.status <> new.status OR old.starts_at <> new.starts_at
BEGIN
    UPDATE meeting_attendees SET scheduled_at = CASE WHEN new.status = 'scheduled' THEN new.starts_at END WHERE meeting_id = new.id;
END;
