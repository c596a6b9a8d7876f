-- PostgreSQL's copy of a deal's owner now waits for the deal's row (see
-- its migration); SQLite's one writer already orders the two.
SELECT 1;
