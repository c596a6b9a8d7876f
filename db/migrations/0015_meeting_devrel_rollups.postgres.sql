-- Coverage counts the next 14 days' meetings by sync state from a rollup
-- of scheduled meetings by hour, and each meeting keeps its sync state
-- (domain.SyncFreshness) in a column; triggers keep both in the
-- transaction of every change that moves them; so do DevRel loads and
-- attendances. Hours are whole hours since 1970-01-01 UTC; only meetings
-- and deals that are live (not archived) are counted.
ALTER TABLE meetings ADD COLUMN sync_state TEXT NOT NULL DEFAULT 'not_needed';

CREATE TABLE meeting_hours (
    hour BIGINT NOT NULL,
    sync_state TEXT NOT NULL,
    meetings BIGINT NOT NULL,
    PRIMARY KEY (hour, sync_state)
);

CREATE FUNCTION epoch_hour(t TIMESTAMPTZ) RETURNS BIGINT IMMUTABLE LANGUAGE sql AS $$
    SELECT floor(extract(epoch FROM t) / 3600)::BIGINT
$$;

-- The sync state: who attends, both confirmations, and changes to the
-- deal's offers, questions and promises after the later one.
CREATE FUNCTION meeting_sync_state(meeting BIGINT, deal BIGINT) RETURNS TEXT STABLE LANGUAGE sql AS $$
    SELECT CASE
        WHEN NOT EXISTS (SELECT 1 FROM meeting_attendees ma JOIN users u ON u.id = ma.user_id WHERE ma.meeting_id = meeting AND u.role = 'devrel') THEN 'not_needed'
        WHEN NOT EXISTS (SELECT 1 FROM syncs sy WHERE sy.meeting_id = meeting AND sy.sales_confirmed_at IS NOT NULL AND sy.dev_rel_confirmed_at IS NOT NULL) THEN 'unsynced'
        WHEN EXISTS (SELECT 1 FROM syncs sy JOIN events e ON e.deal_id = deal
            WHERE sy.meeting_id = meeting AND e.entity IN ('offer', 'question', 'promise') AND e.at > GREATEST(sy.sales_confirmed_at, sy.dev_rel_confirmed_at)) THEN 'stale'
        ELSE 'in_sync' END
$$;

CREATE FUNCTION meetings_restate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'events' THEN
        IF NEW.entity IN ('offer', 'question', 'promise') AND NEW.deal_id IS NOT NULL THEN
            UPDATE meetings SET sync_state = meeting_sync_state(id, deal_id)
            WHERE deal_id = NEW.deal_id AND status = 'scheduled' AND sync_state IS DISTINCT FROM meeting_sync_state(id, deal_id);
        END IF;
    ELSIF TG_TABLE_NAME = 'users' THEN
        IF OLD.role <> NEW.role THEN
            UPDATE meetings SET sync_state = meeting_sync_state(id, deal_id)
            WHERE status = 'scheduled' AND id IN (SELECT meeting_id FROM meeting_attendees WHERE user_id = NEW.id);
        END IF;
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE meetings SET sync_state = meeting_sync_state(id, deal_id) WHERE id = OLD.meeting_id;
    ELSE
        UPDATE meetings SET sync_state = meeting_sync_state(id, deal_id) WHERE id = NEW.meeting_id;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER attendees_restate AFTER INSERT OR DELETE ON meeting_attendees FOR EACH ROW EXECUTE FUNCTION meetings_restate();
CREATE TRIGGER syncs_restate AFTER INSERT OR UPDATE OF sales_confirmed_at, dev_rel_confirmed_at ON syncs FOR EACH ROW EXECUTE FUNCTION meetings_restate();
CREATE TRIGGER events_restate AFTER INSERT ON events FOR EACH ROW EXECUTE FUNCTION meetings_restate();
CREATE TRIGGER users_restate AFTER UPDATE OF role ON users FOR EACH ROW EXECUTE FUNCTION meetings_restate();

-- The rollup follows each scheduled meeting of a live deal.
CREATE FUNCTION meetings_hours() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'deals' THEN
        IF (OLD.archived_at IS NULL) <> (NEW.archived_at IS NULL) THEN
            INSERT INTO meeting_hours AS r (hour, sync_state, meetings)
            SELECT epoch_hour(starts_at) AS h, sync_state, (CASE WHEN NEW.archived_at IS NULL THEN 1 ELSE -1 END) * COUNT(*)
            FROM meetings WHERE deal_id = NEW.id AND status = 'scheduled' GROUP BY h, sync_state ORDER BY h, sync_state
            ON CONFLICT (hour, sync_state) DO UPDATE SET meetings = r.meetings + excluded.meetings;
        END IF;
        RETURN NULL;
    END IF;
    IF (SELECT archived_at FROM deals WHERE id = COALESCE(NEW.deal_id, OLD.deal_id)) IS NOT NULL THEN
        RETURN NULL;
    END IF;
    INSERT INTO meeting_hours AS r (hour, sync_state, meetings)
    SELECT h, st, SUM(n) FROM (
        SELECT epoch_hour(OLD.starts_at), OLD.sync_state, -1 WHERE TG_OP IN ('UPDATE', 'DELETE') AND OLD.status = 'scheduled'
        UNION ALL
        SELECT epoch_hour(NEW.starts_at), NEW.sync_state, 1 WHERE TG_OP IN ('INSERT', 'UPDATE') AND NEW.status = 'scheduled'
    ) AS v (h, st, n) GROUP BY h, st ORDER BY h, st
    ON CONFLICT (hour, sync_state) DO UPDATE SET meetings = r.meetings + excluded.meetings;
    RETURN NULL;
END;
$$;

CREATE TRIGGER meetings_hours AFTER INSERT OR DELETE OR UPDATE OF status, starts_at, sync_state ON meetings
    FOR EACH ROW EXECUTE FUNCTION meetings_hours();
CREATE TRIGGER deals_hours AFTER UPDATE OF archived_at ON deals
    FOR EACH ROW EXECUTE FUNCTION meetings_hours();

-- The rows already there.
UPDATE meetings SET sync_state = meeting_sync_state(id, deal_id) WHERE status = 'scheduled';

INSERT INTO meeting_hours (hour, sync_state, meetings)
SELECT epoch_hour(m.starts_at) AS h, m.sync_state, COUNT(*)
FROM meetings m JOIN deals d ON d.id = m.deal_id
WHERE m.status = 'scheduled' AND d.archived_at IS NULL
GROUP BY h, m.sync_state;

-- Each DevRel's load (active assignments on open, live deals) and the
-- scheduled meetings of live deals each person attends, by hour.
CREATE TABLE devrel_loads (
    user_id BIGINT NOT NULL PRIMARY KEY,
    deals BIGINT NOT NULL
);

CREATE TABLE attendance_hours (
    hour BIGINT NOT NULL,
    user_id BIGINT NOT NULL,
    meetings BIGINT NOT NULL,
    PRIMARY KEY (user_id, hour)
);

CREATE FUNCTION devrel_load() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'deals' THEN
        IF (OLD.archived_at IS NULL AND OLD.stage NOT IN ('closed_won', 'closed_lost')) <> (NEW.archived_at IS NULL AND NEW.stage NOT IN ('closed_won', 'closed_lost')) THEN
            INSERT INTO devrel_loads AS r (user_id, deals)
            SELECT user_id, CASE WHEN NEW.archived_at IS NULL AND NEW.stage NOT IN ('closed_won', 'closed_lost') THEN 1 ELSE -1 END
            FROM assignments WHERE deal_id = NEW.id AND active ORDER BY user_id
            ON CONFLICT (user_id) DO UPDATE SET deals = r.deals + excluded.deals;
        END IF;
    ELSIF EXISTS (SELECT 1 FROM deals WHERE id = NEW.deal_id AND archived_at IS NULL AND stage NOT IN ('closed_won', 'closed_lost')) THEN
        IF TG_OP = 'INSERT' AND NEW.active THEN
            INSERT INTO devrel_loads AS r (user_id, deals) VALUES (NEW.user_id, 1)
            ON CONFLICT (user_id) DO UPDATE SET deals = r.deals + 1;
        ELSIF TG_OP = 'UPDATE' AND OLD.active AND NOT NEW.active THEN
            UPDATE devrel_loads SET deals = deals - 1 WHERE user_id = NEW.user_id;
        END IF;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER assignments_load AFTER INSERT OR UPDATE OF active ON assignments FOR EACH ROW EXECUTE FUNCTION devrel_load();
CREATE TRIGGER deals_load AFTER UPDATE OF stage, archived_at ON deals FOR EACH ROW EXECUTE FUNCTION devrel_load();

CREATE FUNCTION attendance() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'deals' THEN
        IF (OLD.archived_at IS NULL) <> (NEW.archived_at IS NULL) THEN
            INSERT INTO attendance_hours AS r (hour, user_id, meetings)
            SELECT epoch_hour(m.starts_at) AS h, ma.user_id, (CASE WHEN NEW.archived_at IS NULL THEN 1 ELSE -1 END) * COUNT(*)
            FROM meetings m JOIN meeting_attendees ma ON ma.meeting_id = m.id
            WHERE m.deal_id = NEW.id AND m.status = 'scheduled' GROUP BY h, ma.user_id ORDER BY ma.user_id, h
            ON CONFLICT (user_id, hour) DO UPDATE SET meetings = r.meetings + excluded.meetings;
        END IF;
    ELSIF TG_TABLE_NAME = 'meetings' THEN
        IF (OLD.status <> NEW.status OR OLD.starts_at <> NEW.starts_at) AND (SELECT archived_at FROM deals WHERE id = NEW.deal_id) IS NULL THEN
            INSERT INTO attendance_hours AS r (hour, user_id, meetings)
            SELECT h, ma.user_id, SUM(n) FROM meeting_attendees ma, (
                SELECT epoch_hour(OLD.starts_at), -1 WHERE OLD.status = 'scheduled'
                UNION ALL
                SELECT epoch_hour(NEW.starts_at), 1 WHERE NEW.status = 'scheduled'
            ) AS v (h, n) WHERE ma.meeting_id = NEW.id GROUP BY h, ma.user_id ORDER BY ma.user_id, h
            ON CONFLICT (user_id, hour) DO UPDATE SET meetings = r.meetings + excluded.meetings;
        END IF;
    ELSIF TG_OP = 'INSERT' THEN
        INSERT INTO attendance_hours AS r (hour, user_id, meetings)
        SELECT epoch_hour(m.starts_at), NEW.user_id, 1 FROM meetings m JOIN deals d ON d.id = m.deal_id
        WHERE m.id = NEW.meeting_id AND m.status = 'scheduled' AND d.archived_at IS NULL
        ON CONFLICT (user_id, hour) DO UPDATE SET meetings = r.meetings + 1;
    ELSE
        UPDATE attendance_hours SET meetings = meetings - 1
        WHERE user_id = OLD.user_id AND hour = (SELECT epoch_hour(m.starts_at) FROM meetings m JOIN deals d ON d.id = m.deal_id
            WHERE m.id = OLD.meeting_id AND m.status = 'scheduled' AND d.archived_at IS NULL);
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER attendees_attendance AFTER INSERT OR DELETE ON meeting_attendees FOR EACH ROW EXECUTE FUNCTION attendance();
CREATE TRIGGER meetings_attendance AFTER UPDATE OF status, starts_at ON meetings FOR EACH ROW EXECUTE FUNCTION attendance();
CREATE TRIGGER deals_attendance AFTER UPDATE OF archived_at ON deals FOR EACH ROW EXECUTE FUNCTION attendance();

INSERT INTO devrel_loads (user_id, deals)
SELECT a.user_id, COUNT(*) FROM assignments a JOIN deals d ON d.id = a.deal_id
WHERE a.active AND d.archived_at IS NULL AND d.stage NOT IN ('closed_won', 'closed_lost')
GROUP BY a.user_id;

INSERT INTO attendance_hours (hour, user_id, meetings)
SELECT epoch_hour(m.starts_at) AS h, ma.user_id, COUNT(*)
FROM meetings m JOIN deals d ON d.id = m.deal_id JOIN meeting_attendees ma ON ma.meeting_id = m.id
WHERE m.status = 'scheduled' AND d.archived_at IS NULL
GROUP BY h, ma.user_id;
