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

CREATE TRIGGER deals_totals_insert AFTER INSERT ON deals WHEN new.archived_at IS NULL
BEGIN
    INSERT INTO deal_rollup (owner_id, stage, currency, deals, value) VALUES (new.owner_id, new.stage, new.currency, 1, new.amount_minor)
    ON CONFLICT (owner_id, stage, currency) DO UPDATE SET deals = deals + 1, value = value + excluded.value;
END;

CREATE TRIGGER deals_totals_update AFTER UPDATE OF owner_id, stage, currency, amount_minor, archived_at ON deals
    WHEN old.owner_id <> new.owner_id OR old.stage <> new.stage OR old.currency <> new.currency OR old.amount_minor <> new.amount_minor
        OR (old.archived_at IS NULL) <> (new.archived_at IS NULL)
BEGIN
    INSERT INTO deal_rollup (owner_id, stage, currency, deals, value)
    SELECT owner_id, stage, currency, sign, sign * amount FROM (
        SELECT old.owner_id AS owner_id, old.stage AS stage, old.currency AS currency, old.amount_minor AS amount, -1 AS sign WHERE old.archived_at IS NULL
        UNION ALL
        SELECT new.owner_id, new.stage, new.currency, new.amount_minor, 1 WHERE new.archived_at IS NULL
    ) WHERE true
    ON CONFLICT (owner_id, stage, currency) DO UPDATE SET deals = deals + excluded.deals, value = value + excluded.value;
END;

CREATE TRIGGER deals_totals_delete AFTER DELETE ON deals WHEN old.archived_at IS NULL
BEGIN
    UPDATE deal_rollup SET deals = deals - 1, value = value - old.amount_minor
    WHERE owner_id = old.owner_id AND stage = old.stage AND currency = old.currency;
END;

INSERT INTO deal_rollup (owner_id, stage, currency, deals, value)
SELECT owner_id, stage, currency, COUNT(*), SUM(amount_minor) FROM deals WHERE archived_at IS NULL GROUP BY owner_id, stage, currency;
