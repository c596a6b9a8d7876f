-- Each attendance keeps when its meeting starts while it is scheduled
-- (NULL once held or cancelled), so someone's next meetings are one range
-- of an index, not a look at every meeting they ever attended. Triggers
-- keep the copy in the transaction of every change; store.RollupDrift
-- checks it against the meetings.
ALTER TABLE meeting_attendees ADD COLUMN scheduled_at TIMESTAMPTZ;

UPDATE meeting_attendees ma SET scheduled_at = CASE WHEN m.status = 'scheduled' THEN m.starts_at END FROM meetings m WHERE m.id = ma.meeting_id;

CREATE INDEX meeting_attendees_next_idx ON meeting_attendees (user_id, scheduled_at) WHERE scheduled_at IS NOT NULL;

CREATE FUNCTION attendance_start() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'meeting_attendees' THEN
        NEW.scheduled_at := (SELECT CASE WHEN m.status = 'scheduled' THEN m.starts_at END FROM meetings m WHERE m.id = NEW.meeting_id);
        RETURN NEW;
    END IF;
    UPDATE meeting_attendees SET scheduled_at = CASE WHEN NEW.status = 'scheduled' THEN NEW.starts_at END WHERE meeting_id = NEW.id;
    RETURN NULL;
END;
$$;

CREATE TRIGGER attendees_start BEFORE INSERT ON meeting_attendees FOR EACH ROW EXECUTE FUNCTION attendance_start();
CREATE TRIGGER meetings_attendees_start AFTER UPDATE OF status, starts_at ON meetings
    FOR EACH ROW WHEN (OLD.status <> NEW.status OR OLD.starts_at <> NEW.starts_at) EXECUTE FUNCTION attendance_start();
