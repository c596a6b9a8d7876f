-- PostgreSQL names the organisation's state by its current snapshot
-- (store.OrganisationRevision); SQLite keeps a counter (its migration).
SELECT 1;
