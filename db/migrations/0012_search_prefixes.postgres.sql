-- PostgreSQL's GIN indexes match prefixes already (0010); nothing to do.
SELECT 1;
