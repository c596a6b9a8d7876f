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

-- The sync state: who attends, both confirmations, and changes to the
-- deal's offers, questions and promises after the later one.
-- A new meeting has no attendees yet: 'not_needed', the default.
CREATE TRIGGER attendees_state_insert AFTER INSERT ON meeting_attendees
BEGIN
    UPDATE meetings SET sync_state = (CASE
        WHEN NOT EXISTS (SELECT 1 FROM meeting_attendees ma JOIN users u ON u.id = ma.user_id WHERE ma.meeting_id = meetings.id AND u.role = 'devrel') THEN 'not_needed'
        WHEN NOT EXISTS (SELECT 1 FROM syncs sy WHERE sy.meeting_id = meetings.id AND sy.sales_confirmed_at IS NOT NULL AND sy.dev_rel_confirmed_at IS NOT NULL) THEN 'unsynced'
        WHEN EXISTS (SELECT 1 FROM syncs sy JOIN events e ON e.deal_id = meetings.deal_id
            WHERE sy.meeting_id = meetings.id AND e.entity IN ('offer', 'question', 'promise') AND e.at > MAX(sy.sales_confirmed_at, sy.dev_rel_confirmed_at)) THEN 'stale'
        ELSE 'in_sync' END)
    WHERE id = new.meeting_id;
END;

CREATE TRIGGER attendees_state_delete AFTER DELETE ON meeting_attendees
BEGIN
    UPDATE meetings SET sync_state = (CASE
        WHEN NOT EXISTS (SELECT 1 FROM meeting_attendees ma JOIN users u ON u.id = ma.user_id WHERE ma.meeting_id = meetings.id AND u.role = 'devrel') THEN 'not_needed'
        WHEN NOT EXISTS (SELECT 1 FROM syncs sy WHERE sy.meeting_id = meetings.id AND sy.sales_confirmed_at IS NOT NULL AND sy.dev_rel_confirmed_at IS NOT NULL) THEN 'unsynced'
        WHEN EXISTS (SELECT 1 FROM syncs sy JOIN events e ON e.deal_id = meetings.deal_id
            WHERE sy.meeting_id = meetings.id AND e.entity IN ('offer', 'question', 'promise') AND e.at > MAX(sy.sales_confirmed_at, sy.dev_rel_confirmed_at)) THEN 'stale'
        ELSE 'in_sync' END)
    WHERE id = old.meeting_id;
END;

CREATE TRIGGER syncs_state_insert AFTER INSERT ON syncs
BEGIN
    UPDATE meetings SET sync_state = (CASE
        WHEN NOT EXISTS (SELECT 1 FROM meeting_attendees ma JOIN users u ON u.id = ma.user_id WHERE ma.meeting_id = meetings.id AND u.role = 'devrel') THEN 'not_needed'
        WHEN NOT EXISTS (SELECT 1 FROM syncs sy WHERE sy.meeting_id = meetings.id AND sy.sales_confirmed_at IS NOT NULL AND sy.dev_rel_confirmed_at IS NOT NULL) THEN 'unsynced'
        WHEN EXISTS (SELECT 1 FROM syncs sy JOIN events e ON e.deal_id = meetings.deal_id
            WHERE sy.meeting_id = meetings.id AND e.entity IN ('offer', 'question', 'promise') AND e.at > MAX(sy.sales_confirmed_at, sy.dev_rel_confirmed_at)) THEN 'stale'
        ELSE 'in_sync' END)
    WHERE id = new.meeting_id;
END;

CREATE TRIGGER syncs_state_update AFTER UPDATE OF sales_confirmed_at, dev_rel_confirmed_at ON syncs
BEGIN
    UPDATE meetings SET sync_state = (CASE
        WHEN NOT EXISTS (SELECT 1 FROM meeting_attendees ma JOIN users u ON u.id = ma.user_id WHERE ma.meeting_id = meetings.id AND u.role = 'devrel') THEN 'not_needed'
        WHEN NOT EXISTS (SELECT 1 FROM syncs sy WHERE sy.meeting_id = meetings.id AND sy.sales_confirmed_at IS NOT NULL AND sy.dev_rel_confirmed_at IS NOT NULL) THEN 'unsynced'
        WHEN EXISTS (SELECT 1 FROM syncs sy JOIN events e ON e.deal_id = meetings.deal_id
            WHERE sy.meeting_id = meetings.id AND e.entity IN ('offer', 'question', 'promise') AND e.at > MAX(sy.sales_confirmed_at, sy.dev_rel_confirmed_at)) THEN 'stale'
        ELSE 'in_sync' END)
    WHERE id = new.meeting_id;
END;

CREATE TRIGGER events_state_insert AFTER INSERT ON events WHEN new.entity IN ('offer', 'question', 'promise') AND new.deal_id IS NOT NULL
BEGIN
    UPDATE meetings SET sync_state = (CASE
        WHEN NOT EXISTS (SELECT 1 FROM meeting_attendees ma JOIN users u ON u.id = ma.user_id WHERE ma.meeting_id = meetings.id AND u.role = 'devrel') THEN 'not_needed'
        WHEN NOT EXISTS (SELECT 1 FROM syncs sy WHERE sy.meeting_id = meetings.id AND sy.sales_confirmed_at IS NOT NULL AND sy.dev_rel_confirmed_at IS NOT NULL) THEN 'unsynced'
        WHEN EXISTS (SELECT 1 FROM syncs sy JOIN events e ON e.deal_id = meetings.deal_id
            WHERE sy.meeting_id = meetings.id AND e.entity IN ('offer', 'question', 'promise') AND e.at > MAX(sy.sales_confirmed_at, sy.dev_rel_confirmed_at)) THEN 'stale'
        ELSE 'in_sync' END)
    WHERE deal_id = new.deal_id AND status = 'scheduled';
END;

CREATE TRIGGER users_state_role AFTER UPDATE OF role ON users WHEN old.role <> new.role
BEGIN
    UPDATE meetings SET sync_state = (CASE
        WHEN NOT EXISTS (SELECT 1 FROM meeting_attendees ma JOIN users u ON u.id = ma.user_id WHERE ma.meeting_id = meetings.id AND u.role = 'devrel') THEN 'not_needed'
        WHEN NOT EXISTS (SELECT 1 FROM syncs sy WHERE sy.meeting_id = meetings.id AND sy.sales_confirmed_at IS NOT NULL AND sy.dev_rel_confirmed_at IS NOT NULL) THEN 'unsynced'
        WHEN EXISTS (SELECT 1 FROM syncs sy JOIN events e ON e.deal_id = meetings.deal_id
            WHERE sy.meeting_id = meetings.id AND e.entity IN ('offer', 'question', 'promise') AND e.at > MAX(sy.sales_confirmed_at, sy.dev_rel_confirmed_at)) THEN 'stale'
        ELSE 'in_sync' END)
    WHERE status = 'scheduled' AND id IN (SELECT meeting_id FROM meeting_attendees WHERE user_id = new.id);
END;

-- The rollup follows each scheduled meeting of a live deal.
CREATE TRIGGER meetings_hours_insert AFTER INSERT ON meetings
    WHEN new.status = 'scheduled' AND (SELECT archived_at FROM deals WHERE id = new.deal_id) IS NULL
BEGIN
    INSERT INTO meeting_hours (hour, sync_state, meetings) VALUES (CAST(strftime('%s', new.starts_at) AS INTEGER) / 3600, new.sync_state, 1)
    ON CONFLICT (hour, sync_state) DO UPDATE SET meetings = meetings + 1;
END;

CREATE TRIGGER meetings_hours_update AFTER UPDATE OF status, starts_at, sync_state ON meetings
    WHEN (old.status <> new.status OR old.starts_at <> new.starts_at OR old.sync_state <> new.sync_state) AND (SELECT archived_at FROM deals WHERE id = new.deal_id) IS NULL
BEGIN
    INSERT INTO meeting_hours (hour, sync_state, meetings)
    SELECT h, st, n FROM (
        SELECT CAST(strftime('%s', old.starts_at) AS INTEGER) / 3600 AS h, old.sync_state AS st, -1 AS n WHERE old.status = 'scheduled'
        UNION ALL
        SELECT CAST(strftime('%s', new.starts_at) AS INTEGER) / 3600, new.sync_state, 1 WHERE new.status = 'scheduled'
    ) WHERE true
    ON CONFLICT (hour, sync_state) DO UPDATE SET meetings = meetings + excluded.meetings;
END;

CREATE TRIGGER meetings_hours_delete AFTER DELETE ON meetings
    WHEN old.status = 'scheduled' AND (SELECT archived_at FROM deals WHERE id = old.deal_id) IS NULL
BEGIN
    UPDATE meeting_hours SET meetings = meetings - 1 WHERE hour = CAST(strftime('%s', old.starts_at) AS INTEGER) / 3600 AND sync_state = old.sync_state;
END;

CREATE TRIGGER deals_hours_archive AFTER UPDATE OF archived_at ON deals
    WHEN (old.archived_at IS NULL) <> (new.archived_at IS NULL)
BEGIN
    INSERT INTO meeting_hours (hour, sync_state, meetings)
    SELECT CAST(strftime('%s', starts_at) AS INTEGER) / 3600 AS h, sync_state, (CASE WHEN new.archived_at IS NULL THEN 1 ELSE -1 END) * COUNT(*)
    FROM meetings WHERE deal_id = new.id AND status = 'scheduled' GROUP BY h, sync_state
    ON CONFLICT (hour, sync_state) DO UPDATE SET meetings = meetings + excluded.meetings;
END;

-- The rows already there.
    UPDATE meetings SET sync_state = (CASE
        WHEN NOT EXISTS (SELECT 1 FROM meeting_attendees ma JOIN users u ON u.id = ma.user_id WHERE ma.meeting_id = meetings.id AND u.role = 'devrel') THEN 'not_needed'
        WHEN NOT EXISTS (SELECT 1 FROM syncs sy WHERE sy.meeting_id = meetings.id AND sy.sales_confirmed_at IS NOT NULL AND sy.dev_rel_confirmed_at IS NOT NULL) THEN 'unsynced'
        WHEN EXISTS (SELECT 1 FROM syncs sy JOIN events e ON e.deal_id = meetings.deal_id
            WHERE sy.meeting_id = meetings.id AND e.entity IN ('offer', 'question', 'promise') AND e.at > MAX(sy.sales_confirmed_at, sy.dev_rel_confirmed_at)) THEN 'stale'
        ELSE 'in_sync' END)
    WHERE status = 'scheduled';

INSERT INTO meeting_hours (hour, sync_state, meetings)
SELECT CAST(strftime('%s', m.starts_at) AS INTEGER) / 3600 AS h, m.sync_state, COUNT(*)
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

CREATE TRIGGER assignments_load_insert AFTER INSERT ON assignments
    WHEN new.active AND EXISTS (SELECT 1 FROM deals WHERE id = new.deal_id AND archived_at IS NULL AND stage NOT IN ('closed_won', 'closed_lost'))
BEGIN
    INSERT INTO devrel_loads (user_id, deals) VALUES (new.user_id, 1)
    ON CONFLICT (user_id) DO UPDATE SET deals = deals + 1;
END;

CREATE TRIGGER assignments_load_end AFTER UPDATE OF active ON assignments
    WHEN old.active AND NOT new.active AND EXISTS (SELECT 1 FROM deals WHERE id = new.deal_id AND archived_at IS NULL AND stage NOT IN ('closed_won', 'closed_lost'))
BEGIN
    UPDATE devrel_loads SET deals = deals - 1 WHERE user_id = new.user_id;
END;

CREATE TRIGGER deals_load_update AFTER UPDATE OF stage, archived_at ON deals
    WHEN (old.archived_at IS NULL AND old.stage NOT IN ('closed_won', 'closed_lost')) <> (new.archived_at IS NULL AND new.stage NOT IN ('closed_won', 'closed_lost'))
BEGIN
    INSERT INTO devrel_loads (user_id, deals)
    SELECT user_id, CASE WHEN new.archived_at IS NULL AND new.stage NOT IN ('closed_won', 'closed_lost') THEN 1 ELSE -1 END
    FROM assignments WHERE deal_id = new.id AND active
    ON CONFLICT (user_id) DO UPDATE SET deals = deals + excluded.deals;
END;

CREATE TRIGGER attendees_hours_insert AFTER INSERT ON meeting_attendees
BEGIN
    INSERT INTO attendance_hours (hour, user_id, meetings)
    SELECT CAST(strftime('%s', m.starts_at) AS INTEGER) / 3600, new.user_id, 1 FROM meetings m JOIN deals d ON d.id = m.deal_id
    WHERE m.id = new.meeting_id AND m.status = 'scheduled' AND d.archived_at IS NULL
    ON CONFLICT (user_id, hour) DO UPDATE SET meetings = meetings + 1;
END;

CREATE TRIGGER attendees_hours_delete AFTER DELETE ON meeting_attendees
BEGIN
    UPDATE attendance_hours SET meetings = meetings - 1
    WHERE user_id = old.user_id AND hour = (SELECT CAST(strftime('%s', m.starts_at) AS INTEGER) / 3600 FROM meetings m JOIN deals d ON d.id = m.deal_id
        WHERE m.id = old.meeting_id AND m.status = 'scheduled' AND d.archived_at IS NULL);
END;

CREATE TRIGGER meetings_attendance_update AFTER UPDATE OF status, starts_at ON meetings
    WHEN (old.status <> new.status OR old.starts_at <> new.starts_at) AND (SELECT archived_at FROM deals WHERE id = new.deal_id) IS NULL
BEGIN
    INSERT INTO attendance_hours (hour, user_id, meetings)
    SELECT h, ma.user_id, n FROM meeting_attendees ma, (
        SELECT CAST(strftime('%s', old.starts_at) AS INTEGER) / 3600 AS h, -1 AS n WHERE old.status = 'scheduled'
        UNION ALL
        SELECT CAST(strftime('%s', new.starts_at) AS INTEGER) / 3600, 1 WHERE new.status = 'scheduled'
    ) WHERE ma.meeting_id = new.id
    ON CONFLICT (user_id, hour) DO UPDATE SET meetings = meetings + excluded.meetings;
END;

CREATE TRIGGER deals_attendance_archive AFTER UPDATE OF archived_at ON deals
    WHEN (old.archived_at IS NULL) <> (new.archived_at IS NULL)
BEGIN
    INSERT INTO attendance_hours (hour, user_id, meetings)
    SELECT CAST(strftime('%s', m.starts_at) AS INTEGER) / 3600 AS h, ma.user_id, (CASE WHEN new.archived_at IS NULL THEN 1 ELSE -1 END) * COUNT(*)
    FROM meetings m JOIN meeting_attendees ma ON ma.meeting_id = m.id
    WHERE m.deal_id = new.id AND m.status = 'scheduled' GROUP BY h, ma.user_id
    ON CONFLICT (user_id, hour) DO UPDATE SET meetings = meetings + excluded.meetings;
END;

INSERT INTO devrel_loads (user_id, deals)
SELECT a.user_id, COUNT(*) FROM assignments a JOIN deals d ON d.id = a.deal_id
WHERE a.active AND d.archived_at IS NULL AND d.stage NOT IN ('closed_won', 'closed_lost')
GROUP BY a.user_id;

INSERT INTO attendance_hours (hour, user_id, meetings)
SELECT CAST(strftime('%s', m.starts_at) AS INTEGER) / 3600 AS h, ma.user_id, COUNT(*)
FROM meetings m JOIN deals d ON d.id = m.deal_id JOIN meeting_attendees ma ON ma.meeting_id = m.id
WHERE m.status = 'scheduled' AND d.archived_at IS NULL
GROUP BY h, ma.user_id;
