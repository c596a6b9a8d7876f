-- The promise risks of coverage and the manager's desk read open
-- promises' feasibility, due date and deal from one index.
CREATE INDEX promises_open_risk_idx ON promises (status, feasibility, due_date, deal_id);
