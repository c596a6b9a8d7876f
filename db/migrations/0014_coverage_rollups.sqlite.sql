-- Coverage reads rollups that triggers keep in the same transaction as
-- every change, so its cost does not grow with the number of deals. Each
-- rollup counts live (not archived) deals only. Days are whole days since
-- 1970-01-01 UTC. store.RollupDrift recomputes every rollup from the rows.

-- The open pipeline now, by owner, stage and currency.
CREATE TABLE pipeline_rollup (
    owner_id BIGINT NOT NULL,
    stage TEXT NOT NULL,
    currency TEXT NOT NULL,
    deals BIGINT NOT NULL,
    covered BIGINT NOT NULL,
    value BIGINT NOT NULL,
    covered_value BIGINT NOT NULL,
    PRIMARY KEY (owner_id, stage, currency)
);

-- How the open pipeline changed each day: the trend is today's figures
-- less the changes after each week's end.
CREATE TABLE pipeline_days (
    day BIGINT NOT NULL,
    owner_id BIGINT NOT NULL,
    currency TEXT NOT NULL,
    deals BIGINT NOT NULL,
    covered BIGINT NOT NULL,
    value BIGINT NOT NULL,
    covered_value BIGINT NOT NULL,
    PRIMARY KEY (day, owner_id, currency)
);

-- Offers by the day they were proposed and where they stand now.
CREATE TABLE offer_days (
    day BIGINT NOT NULL,
    status TEXT NOT NULL,
    offers BIGINT NOT NULL,
    PRIMARY KEY (day, status)
);

-- Open promises by feasibility and due day (-1: no due date).
CREATE TABLE promise_rollup (
    feasibility TEXT NOT NULL,
    due_day BIGINT NOT NULL,
    promises BIGINT NOT NULL,
    PRIMARY KEY (feasibility, due_day)
);

-- A deal arrives: open from its creation, until it closed if it came closed.
CREATE TRIGGER deals_rollup_insert AFTER INSERT ON deals WHEN new.archived_at IS NULL
BEGIN
    INSERT INTO pipeline_rollup (owner_id, stage, currency, deals, covered, value, covered_value)
    SELECT new.owner_id, new.stage, new.currency, 1, c, new.amount_minor, c * new.amount_minor
    FROM (SELECT EXISTS (SELECT 1 FROM assignments WHERE deal_id = new.id AND active) AS c)
    WHERE new.stage NOT IN ('closed_won', 'closed_lost')
    ON CONFLICT (owner_id, stage, currency) DO UPDATE SET deals = deals + excluded.deals, covered = covered + excluded.covered,
        value = value + excluded.value, covered_value = covered_value + excluded.covered_value;
    INSERT INTO pipeline_days (day, owner_id, currency, deals, covered, value, covered_value)
    SELECT CAST(strftime('%s', t) AS INTEGER) / 86400, new.owner_id, new.currency, sign, 0, sign * new.amount_minor, 0
    FROM (SELECT new.created_at AS t, 1 AS sign UNION ALL
          SELECT COALESCE(new.closed_at, new.created_at), -1 WHERE new.stage IN ('closed_won', 'closed_lost'))
    WHERE true
    ON CONFLICT (day, owner_id, currency) DO UPDATE SET deals = deals + excluded.deals, covered = covered + excluded.covered,
        value = value + excluded.value, covered_value = covered_value + excluded.covered_value;
END;

-- A deal changes: its old figures leave, its new ones arrive, on the day
-- of the change (archived, closed, or else updated).
CREATE TRIGGER deals_rollup_update AFTER UPDATE OF owner_id, stage, currency, amount_minor, archived_at, closed_at ON deals
    WHEN old.owner_id <> new.owner_id OR old.stage <> new.stage OR old.currency <> new.currency OR old.amount_minor <> new.amount_minor
        OR old.archived_at IS NOT new.archived_at OR old.closed_at IS NOT new.closed_at
BEGIN
    INSERT INTO pipeline_rollup (owner_id, stage, currency, deals, covered, value, covered_value)
    SELECT owner_id, stage, currency, sign, sign * c, sign * amount, sign * c * amount FROM (
        SELECT old.owner_id AS owner_id, old.stage AS stage, old.currency AS currency, old.amount_minor AS amount, -1 AS sign
        WHERE old.archived_at IS NULL AND old.stage NOT IN ('closed_won', 'closed_lost')
        UNION ALL
        SELECT new.owner_id, new.stage, new.currency, new.amount_minor, 1
        WHERE new.archived_at IS NULL AND new.stage NOT IN ('closed_won', 'closed_lost')
    ), (SELECT EXISTS (SELECT 1 FROM assignments WHERE deal_id = new.id AND active) AS c)
    WHERE true
    ON CONFLICT (owner_id, stage, currency) DO UPDATE SET deals = deals + excluded.deals, covered = covered + excluded.covered,
        value = value + excluded.value, covered_value = covered_value + excluded.covered_value;
    INSERT INTO pipeline_days (day, owner_id, currency, deals, covered, value, covered_value)
    SELECT CAST(strftime('%s', CASE
            WHEN new.archived_at IS NOT NULL AND old.archived_at IS NULL THEN new.archived_at
            WHEN new.closed_at IS NOT NULL AND old.closed_at IS NULL THEN new.closed_at
            ELSE new.updated_at END) AS INTEGER) / 86400,
        owner_id, currency, SUM(sign), SUM(sign * c), SUM(sign * amount), SUM(sign * c * amount) FROM (
        SELECT old.owner_id AS owner_id, old.currency AS currency, old.amount_minor AS amount, -1 AS sign
        WHERE old.archived_at IS NULL AND old.stage NOT IN ('closed_won', 'closed_lost')
        UNION ALL
        SELECT new.owner_id, new.currency, new.amount_minor, 1
        WHERE new.archived_at IS NULL AND new.stage NOT IN ('closed_won', 'closed_lost')
    ), (SELECT EXISTS (SELECT 1 FROM assignments WHERE deal_id = new.id AND active) AS c)
    WHERE true GROUP BY owner_id, currency
    ON CONFLICT (day, owner_id, currency) DO UPDATE SET deals = deals + excluded.deals, covered = covered + excluded.covered,
        value = value + excluded.value, covered_value = covered_value + excluded.covered_value;
END;

-- An archived deal's offers and promises leave their rollups; restored,
-- they come back.
CREATE TRIGGER deals_rollup_archive AFTER UPDATE OF archived_at ON deals
    WHEN (old.archived_at IS NULL) <> (new.archived_at IS NULL)
BEGIN
    INSERT INTO offer_days (day, status, offers)
    SELECT CAST(strftime('%s', created_at) AS INTEGER) / 86400 AS d, status, (CASE WHEN new.archived_at IS NULL THEN 1 ELSE -1 END) * COUNT(*)
    FROM offers WHERE deal_id = new.id GROUP BY d, status
    ON CONFLICT (day, status) DO UPDATE SET offers = offers + excluded.offers;
    INSERT INTO promise_rollup (feasibility, due_day, promises)
    SELECT feasibility, COALESCE(CAST(strftime('%s', due_date) AS INTEGER) / 86400, -1) AS d, (CASE WHEN new.archived_at IS NULL THEN 1 ELSE -1 END) * COUNT(*)
    FROM promises WHERE deal_id = new.id AND status = 'open' GROUP BY feasibility, d
    ON CONFLICT (feasibility, due_day) DO UPDATE SET promises = promises + excluded.promises;
END;

-- A deal's first active DevRel covers it; its last leaving uncovers it.
CREATE TRIGGER assignments_rollup_insert AFTER INSERT ON assignments
    WHEN new.active AND (SELECT COUNT(*) FROM assignments WHERE deal_id = new.deal_id AND active) = 1
BEGIN
    INSERT INTO pipeline_rollup (owner_id, stage, currency, deals, covered, value, covered_value)
    SELECT owner_id, stage, currency, 0, 1, 0, amount_minor FROM deals
    WHERE id = new.deal_id AND archived_at IS NULL AND stage NOT IN ('closed_won', 'closed_lost')
    ON CONFLICT (owner_id, stage, currency) DO UPDATE SET covered = covered + excluded.covered, covered_value = covered_value + excluded.covered_value;
    INSERT INTO pipeline_days (day, owner_id, currency, deals, covered, value, covered_value)
    SELECT CAST(strftime('%s', new.claimed_at) AS INTEGER) / 86400, owner_id, currency, 0, 1, 0, amount_minor FROM deals
    WHERE id = new.deal_id AND archived_at IS NULL AND stage NOT IN ('closed_won', 'closed_lost')
    ON CONFLICT (day, owner_id, currency) DO UPDATE SET covered = covered + excluded.covered, covered_value = covered_value + excluded.covered_value;
END;

CREATE TRIGGER assignments_rollup_end AFTER UPDATE OF active ON assignments
    WHEN old.active AND NOT new.active AND NOT EXISTS (SELECT 1 FROM assignments WHERE deal_id = new.deal_id AND active)
BEGIN
    INSERT INTO pipeline_rollup (owner_id, stage, currency, deals, covered, value, covered_value)
    SELECT owner_id, stage, currency, 0, -1, 0, -amount_minor FROM deals
    WHERE id = new.deal_id AND archived_at IS NULL AND stage NOT IN ('closed_won', 'closed_lost')
    ON CONFLICT (owner_id, stage, currency) DO UPDATE SET covered = covered + excluded.covered, covered_value = covered_value + excluded.covered_value;
    INSERT INTO pipeline_days (day, owner_id, currency, deals, covered, value, covered_value)
    SELECT CAST(strftime('%s', COALESCE(new.released_at, CURRENT_TIMESTAMP)) AS INTEGER) / 86400, owner_id, currency, 0, -1, 0, -amount_minor FROM deals
    WHERE id = new.deal_id AND archived_at IS NULL AND stage NOT IN ('closed_won', 'closed_lost')
    ON CONFLICT (day, owner_id, currency) DO UPDATE SET covered = covered + excluded.covered, covered_value = covered_value + excluded.covered_value;
END;

CREATE TRIGGER offers_rollup_insert AFTER INSERT ON offers
    WHEN (SELECT archived_at FROM deals WHERE id = new.deal_id) IS NULL
BEGIN
    INSERT INTO offer_days (day, status, offers) VALUES (CAST(strftime('%s', new.created_at) AS INTEGER) / 86400, new.status, 1)
    ON CONFLICT (day, status) DO UPDATE SET offers = offers + 1;
END;

CREATE TRIGGER offers_rollup_update AFTER UPDATE OF status ON offers
    WHEN old.status <> new.status AND (SELECT archived_at FROM deals WHERE id = new.deal_id) IS NULL
BEGIN
    INSERT INTO offer_days (day, status, offers)
    SELECT CAST(strftime('%s', new.created_at) AS INTEGER) / 86400, status, n FROM (SELECT old.status AS status, -1 AS n UNION ALL SELECT new.status, 1)
    WHERE true
    ON CONFLICT (day, status) DO UPDATE SET offers = offers + excluded.offers;
END;

CREATE TRIGGER promises_rollup_insert AFTER INSERT ON promises
    WHEN new.status = 'open' AND (SELECT archived_at FROM deals WHERE id = new.deal_id) IS NULL
BEGIN
    INSERT INTO promise_rollup (feasibility, due_day, promises)
    VALUES (new.feasibility, COALESCE(CAST(strftime('%s', new.due_date) AS INTEGER) / 86400, -1), 1)
    ON CONFLICT (feasibility, due_day) DO UPDATE SET promises = promises + 1;
END;

CREATE TRIGGER promises_rollup_update AFTER UPDATE OF feasibility, due_date, status ON promises
    WHEN (SELECT archived_at FROM deals WHERE id = new.deal_id) IS NULL
BEGIN
    INSERT INTO promise_rollup (feasibility, due_day, promises)
    SELECT feasibility, due_day, n FROM (
        SELECT old.feasibility AS feasibility, COALESCE(CAST(strftime('%s', old.due_date) AS INTEGER) / 86400, -1) AS due_day, -1 AS n WHERE old.status = 'open'
        UNION ALL
        SELECT new.feasibility, COALESCE(CAST(strftime('%s', new.due_date) AS INTEGER) / 86400, -1), 1 WHERE new.status = 'open'
    ) WHERE true
    ON CONFLICT (feasibility, due_day) DO UPDATE SET promises = promises + excluded.promises;
END;

-- The rows already there.
INSERT INTO pipeline_rollup (owner_id, stage, currency, deals, covered, value, covered_value)
SELECT d.owner_id, d.stage, d.currency, COUNT(*), SUM(c.deal_id IS NOT NULL), SUM(d.amount_minor), SUM(CASE WHEN c.deal_id IS NOT NULL THEN d.amount_minor ELSE 0 END)
FROM deals d LEFT JOIN (SELECT DISTINCT deal_id FROM assignments WHERE active) c ON c.deal_id = d.id
WHERE d.archived_at IS NULL AND d.stage NOT IN ('closed_won', 'closed_lost')
GROUP BY d.owner_id, d.stage, d.currency;

-- Past days as far as the rows tell: each live deal open from its creation
-- until it closed, covered from its first DevRel's claim until its last
-- one's release (gaps between DevRel are not known).
INSERT INTO pipeline_days (day, owner_id, currency, deals, covered, value, covered_value)
SELECT CAST(strftime('%s', t) AS INTEGER) / 86400 AS day, owner_id, currency, SUM(deals), SUM(covered), SUM(value), SUM(covered_value) FROM (
    SELECT d.created_at AS t, d.owner_id, d.currency, 1 AS deals, 0 AS covered, d.amount_minor AS value, 0 AS covered_value
    FROM deals d WHERE d.archived_at IS NULL
    UNION ALL
    SELECT COALESCE(d.closed_at, d.updated_at), d.owner_id, d.currency, -1, 0, -d.amount_minor, 0
    FROM deals d WHERE d.archived_at IS NULL AND d.stage IN ('closed_won', 'closed_lost')
    UNION ALL
    SELECT MAX(d.created_at, a.first_claim), d.owner_id, d.currency, 0, 1, 0, d.amount_minor
    FROM deals d JOIN (SELECT deal_id, MIN(claimed_at) AS first_claim, MAX(active) AS active, MAX(COALESCE(released_at, claimed_at)) AS last_release
                       FROM assignments GROUP BY deal_id) a ON a.deal_id = d.id
    WHERE d.archived_at IS NULL AND (a.active OR d.stage IN ('closed_won', 'closed_lost') OR a.last_release > d.created_at)
    UNION ALL
    SELECT CASE WHEN a.active THEN COALESCE(d.closed_at, d.updated_at) WHEN d.stage IN ('closed_won', 'closed_lost') THEN MIN(COALESCE(d.closed_at, d.updated_at), a.last_release) ELSE a.last_release END,
        d.owner_id, d.currency, 0, -1, 0, -d.amount_minor
    FROM deals d JOIN (SELECT deal_id, MIN(claimed_at) AS first_claim, MAX(active) AS active, MAX(COALESCE(released_at, claimed_at)) AS last_release
                       FROM assignments GROUP BY deal_id) a ON a.deal_id = d.id
    WHERE d.archived_at IS NULL AND (NOT a.active OR d.stage IN ('closed_won', 'closed_lost'))
        AND (a.active OR d.stage IN ('closed_won', 'closed_lost') OR a.last_release > d.created_at)
) WHERE true
GROUP BY day, owner_id, currency;

INSERT INTO offer_days (day, status, offers)
SELECT CAST(strftime('%s', o.created_at) AS INTEGER) / 86400 AS day, o.status, COUNT(*)
FROM offers o JOIN deals d ON d.id = o.deal_id WHERE d.archived_at IS NULL
GROUP BY day, o.status;

INSERT INTO promise_rollup (feasibility, due_day, promises)
SELECT p.feasibility, COALESCE(CAST(strftime('%s', p.due_date) AS INTEGER) / 86400, -1) AS due_day, COUNT(*)
FROM promises p JOIN deals d ON d.id = p.deal_id WHERE p.status = 'open' AND d.archived_at IS NULL
GROUP BY p.feasibility, due_day;
