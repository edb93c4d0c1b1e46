-- Open311 GeoReport v2 (外部系统事件上报): keys issued to external tools by
-- the system administrator, the rate ledger of their uses, and what an
-- external tool sent with an event beyond the event itself.
-- Times UTC RFC 3339.

-- One key per external tool. Only the SHA-256 of the token is kept; the
-- token is shown once, at issue. Each key reports through an account of its
-- own (role 'open311_client', disabled, no usable password) so an event's
-- reporter is always an account and the worker sees which tool reported it.
CREATE TABLE open311_keys (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL,
    token_sha256    TEXT NOT NULL UNIQUE,
    org_node_id     INTEGER NOT NULL REFERENCES org_nodes(id),
    rate_per_minute INTEGER NOT NULL CHECK (rate_per_minute > 0),
    account_id      INTEGER NOT NULL UNIQUE REFERENCES accounts(id),
    issued_by       INTEGER NOT NULL REFERENCES accounts(id),
    issued_at       TEXT NOT NULL,
    revoked_by      INTEGER REFERENCES accounts(id),
    revoked_at      TEXT
);

-- Every authenticated use of a key, for its per-minute limit.
CREATE TABLE open311_key_uses (
    id     INTEGER PRIMARY KEY,
    key_id INTEGER NOT NULL REFERENCES open311_keys(id),
    at     TEXT NOT NULL
);
CREATE INDEX open311_key_uses_key ON open311_key_uses(key_id, at);

-- What came with an event posted through Open311. The contact fields are
-- kept for the community to call back; no public read carries them.
CREATE TABLE open311_requests (
    event_id       INTEGER PRIMARY KEY REFERENCES events(id),
    key_id         INTEGER NOT NULL REFERENCES open311_keys(id),
    token          TEXT NOT NULL UNIQUE,
    address_string TEXT NOT NULL DEFAULT '',
    media_url      TEXT NOT NULL DEFAULT '',
    first_name     TEXT NOT NULL DEFAULT '',
    last_name      TEXT NOT NULL DEFAULT '',
    email          TEXT NOT NULL DEFAULT '',
    phone          TEXT NOT NULL DEFAULT '',
    device_id      TEXT NOT NULL DEFAULT '',
    account_ref    TEXT NOT NULL DEFAULT '',
    attributes     TEXT NOT NULL DEFAULT '{}',
    created_at     TEXT NOT NULL
);
CREATE INDEX open311_requests_key ON open311_requests(key_id);
