-- The pipeline's totals (how many deals, and their value by currency)
-- for a filter of owner, stage or open/closed alone come from a rollup of
-- every live deal, open or closed, by owner, stage and currency, kept by
-- triggers in the transaction of every change. store.RollupDrift checks
-- it against the deals.
CREATE TABLE deal_rollup (
    owner_id BIGINT NOT NULL,
    stage TEXT NOT NULL,
    currency TEXT NOT NULL,
    deals BIGINT NOT NULL,
    value BIGINT NOT NULL,
    PRIMARY KEY (owner_id, stage, currency)
);

CREATE FUNCTION deal_totals() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Old figures leave and new ones arrive, netted per key and written
    -- in key order, so two deals moving opposite ways wait for each other
    -- instead of deadlocking.
    INSERT INTO deal_rollup AS r (owner_id, stage, currency, deals, value)
    SELECT owner_id, stage, currency, SUM(sign), SUM(sign * amount) FROM (
        SELECT OLD.owner_id AS owner_id, OLD.stage AS stage, OLD.currency AS currency, OLD.amount_minor AS amount, -1 AS sign
        WHERE TG_OP <> 'INSERT' AND OLD.archived_at IS NULL
        UNION ALL
        SELECT NEW.owner_id, NEW.stage, NEW.currency, NEW.amount_minor, 1 WHERE TG_OP <> 'DELETE' AND NEW.archived_at IS NULL
    ) AS change GROUP BY owner_id, stage, currency ORDER BY owner_id, stage, currency
    ON CONFLICT (owner_id, stage, currency) DO UPDATE SET deals = r.deals + excluded.deals, value = r.value + excluded.value;
    RETURN NULL;
END;
$$;

CREATE TRIGGER deals_totals_insert AFTER INSERT ON deals FOR EACH ROW EXECUTE FUNCTION deal_totals();
CREATE TRIGGER deals_totals_delete AFTER DELETE ON deals FOR EACH ROW EXECUTE FUNCTION deal_totals();
CREATE TRIGGER deals_totals_update AFTER UPDATE OF owner_id, stage, currency, amount_minor, archived_at ON deals
    FOR EACH ROW WHEN (OLD.owner_id <> NEW.owner_id OR OLD.stage <> NEW.stage OR OLD.currency <> NEW.currency OR OLD.amount_minor <> NEW.amount_minor
        OR (OLD.archived_at IS NULL) <> (NEW.archived_at IS NULL))
    EXECUTE FUNCTION deal_totals();

INSERT INTO deal_rollup (owner_id, stage, currency, deals, value)
SELECT owner_id, stage, currency, COUNT(*), SUM(amount_minor) FROM deals WHERE archived_at IS NULL GROUP BY owner_id, stage, currency;
