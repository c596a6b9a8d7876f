-- The evidence reads a period's closed deals as one range of close days
-- (issue 28): one row a deal, keyed by the day it closed first, its
-- DevRel's parts and its promises words of its facts, not rows of two
-- more tables joined to it. Emptying deal_figures makes the next start
-- rebuild every deal's figures, these with them.
DROP TABLE evidence_promises;
DROP TABLE evidence_devrel;
DROP TABLE evidence_deals;

CREATE TABLE evidence_deals (
    closed_day BIGINT NOT NULL,
    deal_id BIGINT NOT NULL,
    facts TEXT NOT NULL,
    currency TEXT NOT NULL,
    deals BIGINT NOT NULL,
    won BIGINT NOT NULL,
    amount BIGINT NOT NULL,
    days BIGINT NOT NULL,
    PRIMARY KEY (closed_day, deal_id, facts, currency)
);

-- The product gaps start from the questions and promises that name a
-- product area: few beside all of them.
CREATE INDEX questions_area_idx ON questions (product_area) WHERE product_area <> '';
CREATE INDEX promises_area_idx ON promises (product_area) WHERE product_area <> '';

DELETE FROM deal_figures;
