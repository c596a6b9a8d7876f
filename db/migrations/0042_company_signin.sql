-- Company sign-in (OpenID Connect): which e-mail domains may create a
-- person at their first sign-in, the role such a person gets (empty: an
-- unknown person is refused), and whether password sign-in is left to
-- administrators alone.
ALTER TABLE organisation_settings ADD COLUMN sign_in_domains TEXT NOT NULL DEFAULT '';
ALTER TABLE organisation_settings ADD COLUMN sign_in_role TEXT NOT NULL DEFAULT '';
ALTER TABLE organisation_settings ADD COLUMN sign_in_required BOOLEAN NOT NULL DEFAULT FALSE;
