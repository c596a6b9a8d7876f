-- Coverage reads rollups that triggers keep in the same transaction as
-- every change, so its cost does not grow with the number of deals. Each
-- rollup counts live (not archived) deals only. Days are whole days since
-- 1970-01-01 UTC. store.RollupDrift recomputes every rollup from the rows.
-- The SQLite file of this migration says the same in its own dialect.

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

CREATE TABLE offer_days (
    day BIGINT NOT NULL,
    status TEXT NOT NULL,
    offers BIGINT NOT NULL,
    PRIMARY KEY (day, status)
);

CREATE TABLE promise_rollup (
    feasibility TEXT NOT NULL,
    due_day BIGINT NOT NULL,
    promises BIGINT NOT NULL,
    PRIMARY KEY (feasibility, due_day)
);

CREATE FUNCTION epoch_day(t TIMESTAMPTZ) RETURNS BIGINT IMMUTABLE LANGUAGE sql AS $$
    SELECT floor(extract(epoch FROM t) / 86400)::BIGINT
$$;

CREATE FUNCTION due_day(d DATE) RETURNS BIGINT IMMUTABLE LANGUAGE sql AS $$
    SELECT COALESCE(d - DATE '1970-01-01', -1)::BIGINT
$$;

-- pipeline_add adds (k = 1) or takes away (k = -1) a deal's figures, as of
-- the instant changed, if the deal is open and live.
CREATE FUNCTION pipeline_add(d deals, k BIGINT, changed TIMESTAMPTZ) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    c BIGINT;
BEGIN
    IF d.archived_at IS NOT NULL OR d.stage IN ('closed_won', 'closed_lost') THEN
        RETURN;
    END IF;
    c := CASE WHEN EXISTS (SELECT 1 FROM assignments WHERE deal_id = d.id AND active) THEN 1 ELSE 0 END;
    INSERT INTO pipeline_rollup AS r (owner_id, stage, currency, deals, covered, value, covered_value)
    VALUES (d.owner_id, d.stage, d.currency, k, k * c, k * d.amount_minor, k * c * d.amount_minor)
    ON CONFLICT (owner_id, stage, currency) DO UPDATE SET deals = r.deals + excluded.deals, covered = r.covered + excluded.covered,
        value = r.value + excluded.value, covered_value = r.covered_value + excluded.covered_value;
    INSERT INTO pipeline_days AS r (day, owner_id, currency, deals, covered, value, covered_value)
    VALUES (epoch_day(changed), d.owner_id, d.currency, k, k * c, k * d.amount_minor, k * c * d.amount_minor)
    ON CONFLICT (day, owner_id, currency) DO UPDATE SET deals = r.deals + excluded.deals, covered = r.covered + excluded.covered,
        value = r.value + excluded.value, covered_value = r.covered_value + excluded.covered_value;
END;
$$;

-- covered_add covers (k = 1) or uncovers (k = -1) a deal as of changed.
CREATE FUNCTION covered_add(deal BIGINT, k BIGINT, changed TIMESTAMPTZ) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    d deals;
BEGIN
    SELECT * INTO d FROM deals WHERE id = deal;
    IF d.archived_at IS NOT NULL OR d.stage IN ('closed_won', 'closed_lost') THEN
        RETURN;
    END IF;
    INSERT INTO pipeline_rollup AS r (owner_id, stage, currency, deals, covered, value, covered_value)
    VALUES (d.owner_id, d.stage, d.currency, 0, k, 0, k * d.amount_minor)
    ON CONFLICT (owner_id, stage, currency) DO UPDATE SET covered = r.covered + excluded.covered, covered_value = r.covered_value + excluded.covered_value;
    INSERT INTO pipeline_days AS r (day, owner_id, currency, deals, covered, value, covered_value)
    VALUES (epoch_day(changed), d.owner_id, d.currency, 0, k, 0, k * d.amount_minor)
    ON CONFLICT (day, owner_id, currency) DO UPDATE SET covered = r.covered + excluded.covered, covered_value = r.covered_value + excluded.covered_value;
END;
$$;

CREATE FUNCTION deals_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed TIMESTAMPTZ;
    k BIGINT;
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM pipeline_add(NEW, 1, NEW.created_at);
        IF NEW.stage IN ('closed_won', 'closed_lost') AND NEW.archived_at IS NULL THEN
            -- It came closed: open from its creation until it closed.
            INSERT INTO pipeline_days AS r (day, owner_id, currency, deals, covered, value, covered_value)
            SELECT day, NEW.owner_id, NEW.currency, SUM(n), 0, SUM(n) * NEW.amount_minor, 0
            FROM (VALUES (epoch_day(NEW.created_at), 1), (epoch_day(COALESCE(NEW.closed_at, NEW.created_at)), -1)) AS v (day, n) GROUP BY day ORDER BY day
            ON CONFLICT (day, owner_id, currency) DO UPDATE SET deals = r.deals + excluded.deals, value = r.value + excluded.value;
        END IF;
        RETURN NULL;
    END IF;
    IF OLD.owner_id = NEW.owner_id AND OLD.stage = NEW.stage AND OLD.currency = NEW.currency AND OLD.amount_minor = NEW.amount_minor
        AND OLD.archived_at IS NOT DISTINCT FROM NEW.archived_at AND OLD.closed_at IS NOT DISTINCT FROM NEW.closed_at THEN
        RETURN NULL;
    END IF;
    changed := CASE
        WHEN NEW.archived_at IS NOT NULL AND OLD.archived_at IS NULL THEN NEW.archived_at
        WHEN NEW.closed_at IS NOT NULL AND OLD.closed_at IS NULL THEN NEW.closed_at
        ELSE NEW.updated_at END;
    -- The two changes in the rollup's key order, so two deals moving
    -- opposite ways wait for each other instead of deadlocking.
    IF (OLD.owner_id, OLD.stage, OLD.currency) <= (NEW.owner_id, NEW.stage, NEW.currency) THEN
        PERFORM pipeline_add(OLD, -1, changed);
        PERFORM pipeline_add(NEW, 1, changed);
    ELSE
        PERFORM pipeline_add(NEW, 1, changed);
        PERFORM pipeline_add(OLD, -1, changed);
    END IF;
    IF (OLD.archived_at IS NULL) <> (NEW.archived_at IS NULL) THEN
        k := CASE WHEN NEW.archived_at IS NULL THEN 1 ELSE -1 END;
        INSERT INTO offer_days AS r (day, status, offers)
        SELECT epoch_day(created_at) AS d, status, k * COUNT(*) FROM offers WHERE deal_id = NEW.id GROUP BY d, status ORDER BY d, status
        ON CONFLICT (day, status) DO UPDATE SET offers = r.offers + excluded.offers;
        INSERT INTO promise_rollup AS r (feasibility, due_day, promises)
        SELECT feasibility, due_day(due_date) AS d, k * COUNT(*) FROM promises WHERE deal_id = NEW.id AND status = 'open'
        GROUP BY feasibility, d ORDER BY feasibility, d
        ON CONFLICT (feasibility, due_day) DO UPDATE SET promises = r.promises + excluded.promises;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER deals_rollup AFTER INSERT OR UPDATE OF owner_id, stage, currency, amount_minor, archived_at, closed_at ON deals
    FOR EACH ROW EXECUTE FUNCTION deals_rollup();

-- A deal's first active DevRel covers it; its last leaving uncovers it.
-- The deal's row is locked first, so two DevRel claiming one deal at once
-- count in turn; not its key, which the foreign keys of rows written
-- earlier in either transaction hold in share.
CREATE FUNCTION assignments_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    n BIGINT;
BEGIN
    IF TG_OP = 'INSERT' AND NEW.active THEN
        PERFORM 1 FROM deals WHERE id = NEW.deal_id FOR NO KEY UPDATE;
        SELECT COUNT(*) INTO n FROM assignments WHERE deal_id = NEW.deal_id AND active;
        IF n = 1 THEN
            PERFORM covered_add(NEW.deal_id, 1, NEW.claimed_at);
        END IF;
    ELSIF TG_OP = 'UPDATE' AND OLD.active AND NOT NEW.active THEN
        PERFORM 1 FROM deals WHERE id = NEW.deal_id FOR NO KEY UPDATE;
        SELECT COUNT(*) INTO n FROM assignments WHERE deal_id = NEW.deal_id AND active;
        IF n = 0 THEN
            PERFORM covered_add(NEW.deal_id, -1, COALESCE(NEW.released_at, now()));
        END IF;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER assignments_rollup AFTER INSERT OR UPDATE OF active ON assignments
    FOR EACH ROW EXECUTE FUNCTION assignments_rollup();

CREATE FUNCTION offers_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT archived_at FROM deals WHERE id = NEW.deal_id) IS NOT NULL THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        IF OLD.status = NEW.status THEN
            RETURN NULL;
        END IF;
        INSERT INTO offer_days AS r (day, status, offers)
        SELECT epoch_day(NEW.created_at), s, n FROM (VALUES (OLD.status, -1), (NEW.status, 1)) AS v (s, n) ORDER BY s
        ON CONFLICT (day, status) DO UPDATE SET offers = r.offers + excluded.offers;
    ELSE
        INSERT INTO offer_days AS r (day, status, offers) VALUES (epoch_day(NEW.created_at), NEW.status, 1)
        ON CONFLICT (day, status) DO UPDATE SET offers = r.offers + 1;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER offers_rollup AFTER INSERT OR UPDATE OF status ON offers
    FOR EACH ROW EXECUTE FUNCTION offers_rollup();

CREATE FUNCTION promises_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT archived_at FROM deals WHERE id = NEW.deal_id) IS NOT NULL THEN
        RETURN NULL;
    END IF;
    INSERT INTO promise_rollup AS r (feasibility, due_day, promises)
    SELECT f, d, SUM(n) FROM (
        SELECT OLD.feasibility, due_day(OLD.due_date), -1 WHERE TG_OP = 'UPDATE' AND OLD.status = 'open'
        UNION ALL
        SELECT NEW.feasibility, due_day(NEW.due_date), 1 WHERE NEW.status = 'open'
    ) AS v (f, d, n) GROUP BY f, d ORDER BY f, d
    ON CONFLICT (feasibility, due_day) DO UPDATE SET promises = r.promises + excluded.promises;
    RETURN NULL;
END;
$$;

CREATE TRIGGER promises_rollup AFTER INSERT OR UPDATE OF feasibility, due_date, status ON promises
    FOR EACH ROW EXECUTE FUNCTION promises_rollup();

-- The rows already there.
INSERT INTO pipeline_rollup (owner_id, stage, currency, deals, covered, value, covered_value)
SELECT d.owner_id, d.stage, d.currency, COUNT(*), COUNT(c.deal_id), SUM(d.amount_minor), COALESCE(SUM(d.amount_minor) FILTER (WHERE c.deal_id IS NOT NULL), 0)
FROM deals d LEFT JOIN (SELECT DISTINCT deal_id FROM assignments WHERE active) c ON c.deal_id = d.id
WHERE d.archived_at IS NULL AND d.stage NOT IN ('closed_won', 'closed_lost')
GROUP BY d.owner_id, d.stage, d.currency;

-- Past days as far as the rows tell: each live deal open from its creation
-- until it closed, covered from its first DevRel's claim until its last
-- one's release (gaps between DevRel are not known).
INSERT INTO pipeline_days (day, owner_id, currency, deals, covered, value, covered_value)
SELECT epoch_day(t) AS day, owner_id, currency, SUM(deals), SUM(covered), SUM(value), SUM(covered_value) FROM (
    SELECT d.created_at AS t, d.owner_id, d.currency, 1 AS deals, 0 AS covered, d.amount_minor AS value, 0 AS covered_value
    FROM deals d WHERE d.archived_at IS NULL
    UNION ALL
    SELECT COALESCE(d.closed_at, d.updated_at), d.owner_id, d.currency, -1, 0, -d.amount_minor, 0
    FROM deals d WHERE d.archived_at IS NULL AND d.stage IN ('closed_won', 'closed_lost')
    UNION ALL
    SELECT GREATEST(d.created_at, a.first_claim), d.owner_id, d.currency, 0, 1, 0, d.amount_minor
    FROM deals d JOIN (SELECT deal_id, MIN(claimed_at) AS first_claim, bool_or(active) AS active, MAX(COALESCE(released_at, claimed_at)) AS last_release
                       FROM assignments GROUP BY deal_id) a ON a.deal_id = d.id
    WHERE d.archived_at IS NULL AND (a.active OR d.stage IN ('closed_won', 'closed_lost') OR a.last_release > d.created_at)
    UNION ALL
    SELECT CASE WHEN a.active THEN COALESCE(d.closed_at, d.updated_at) WHEN d.stage IN ('closed_won', 'closed_lost') THEN LEAST(COALESCE(d.closed_at, d.updated_at), a.last_release) ELSE a.last_release END,
        d.owner_id, d.currency, 0, -1, 0, -d.amount_minor
    FROM deals d JOIN (SELECT deal_id, MIN(claimed_at) AS first_claim, bool_or(active) AS active, MAX(COALESCE(released_at, claimed_at)) AS last_release
                       FROM assignments GROUP BY deal_id) a ON a.deal_id = d.id
    WHERE d.archived_at IS NULL AND (NOT a.active OR d.stage IN ('closed_won', 'closed_lost'))
        AND (a.active OR d.stage IN ('closed_won', 'closed_lost') OR a.last_release > d.created_at)
) AS changes
GROUP BY day, owner_id, currency;

INSERT INTO offer_days (day, status, offers)
SELECT epoch_day(o.created_at) AS day, o.status, COUNT(*)
FROM offers o JOIN deals d ON d.id = o.deal_id WHERE d.archived_at IS NULL
GROUP BY day, o.status;

INSERT INTO promise_rollup (feasibility, due_day, promises)
SELECT p.feasibility, due_day(p.due_date) AS d, COUNT(*)
FROM promises p JOIN deals d ON d.id = p.deal_id WHERE p.status = 'open' AND d.archived_at IS NULL
GROUP BY p.feasibility, d;
