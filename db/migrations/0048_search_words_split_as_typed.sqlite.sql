-- PostgreSQL's stored search words are split as the words typed are
-- (the .postgres.sql file); SQLite's FTS5 index already splits names at
-- every character that is not a letter or a digit. Nothing changes here.
SELECT 1;
