-- Gongzhi schema for PostgreSQL, step 1. Each file here mirrors the SQLite
-- migration of the same number (../sqlite): the same tables, columns and
-- constraints, with BIGINT for integers (flags are 0/1 integers on both),
-- DOUBLE PRECISION for reals, BYTEA for bytes, BIGSERIAL for row ids, and
-- trigger functions for the append-only guards.

-- The append-only guard: a BEFORE UPDATE/DELETE row trigger (and a BEFORE
-- TRUNCATE statement trigger) on every table that is only ever appended to
-- raises this, so the change is refused by the database whoever asks.
CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'restrict_violation';
END;
$$;

-- Bookkeeping about the database itself.
CREATE TABLE app_meta (
    key        TEXT PRIMARY KEY NOT NULL,
    value      TEXT NOT NULL,
    -- UTC, RFC 3339
    updated_at TEXT NOT NULL
);
