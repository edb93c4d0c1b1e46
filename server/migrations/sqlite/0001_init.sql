-- Gongzhi schema, step 1: bookkeeping about the database itself.
CREATE TABLE app_meta (
    key        TEXT PRIMARY KEY NOT NULL,
    value      TEXT NOT NULL,
    -- UTC, RFC 3339
    updated_at TEXT NOT NULL
);
