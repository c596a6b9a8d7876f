-- PostgreSQL keeps each row's search words in a column (see its
-- migration); SQLite's full-text tables keep them already.
SELECT 1;
