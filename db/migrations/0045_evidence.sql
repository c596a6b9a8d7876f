-- The evidence (issue 28): each closed deal's facts (DevRel in the room,
-- in sync, its reserve levers), each DevRel's part in it and its promises,
-- one deal to a row, kept in Go in the writing transaction as the other
-- rollups are (domain.EvidenceOf). Emptying deal_figures makes the next
-- start rebuild every deal's figures, these with them.
CREATE TABLE evidence_deals (
    deal_id BIGINT NOT NULL,
    closed_day BIGINT NOT NULL,
    facts TEXT NOT NULL,
    currency TEXT NOT NULL,
    deals BIGINT NOT NULL,
    won BIGINT NOT NULL,
    amount BIGINT NOT NULL,
    days BIGINT NOT NULL,
    PRIMARY KEY (deal_id, closed_day, facts, currency)
);
CREATE INDEX evidence_deals_day_idx ON evidence_deals (closed_day);

CREATE TABLE evidence_devrel (
    deal_id BIGINT NOT NULL,
    user_id BIGINT NOT NULL,
    meetings BIGINT NOT NULL,
    in_sync BIGINT NOT NULL,
    PRIMARY KEY (deal_id, user_id)
);

CREATE TABLE evidence_promises (
    deal_id BIGINT NOT NULL,
    feasibility TEXT NOT NULL,
    status TEXT NOT NULL,
    promises BIGINT NOT NULL,
    PRIMARY KEY (deal_id, feasibility, status)
);

DELETE FROM deal_figures;
