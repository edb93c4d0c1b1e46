-- Organisation, accounts, sessions, security policy, audit trail, residents.
-- Times are UTC RFC 3339 text; civil dates are Asia/Shanghai.

-- 市 → 县(区) → 乡镇(街道) → 社区 → 网格. `path` is `/1/4/9/`: scope checks are a prefix match.
CREATE TABLE org_nodes (
    id        INTEGER PRIMARY KEY,
    parent_id INTEGER REFERENCES org_nodes(id),
    level     TEXT NOT NULL CHECK (level IN ('city', 'district', 'street', 'community', 'grid')),
    code      TEXT NOT NULL UNIQUE,
    name      TEXT NOT NULL,
    path      TEXT NOT NULL UNIQUE
);
CREATE INDEX org_nodes_parent ON org_nodes(parent_id);

-- Functional departments (职能部门), configuration data.
CREATE TABLE departments (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL UNIQUE,
    org_node_id INTEGER NOT NULL REFERENCES org_nodes(id)
);

CREATE TABLE accounts (
    id                   INTEGER PRIMARY KEY,
    username             TEXT NOT NULL UNIQUE,
    display_name         TEXT NOT NULL,
    role                 TEXT NOT NULL,
    org_node_id          INTEGER NOT NULL REFERENCES org_nodes(id),
    department_id        INTEGER REFERENCES departments(id),
    password_hash        TEXT NOT NULL,
    must_change_password INTEGER NOT NULL DEFAULT 0,
    disabled             INTEGER NOT NULL DEFAULT 0,
    failed_logins        INTEGER NOT NULL DEFAULT 0,
    locked_until         TEXT,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL
);
CREATE INDEX accounts_org ON accounts(org_node_id);

-- Only the SHA-256 of the session cookie is stored: a copy of the database
-- does not let anyone take over a session.
CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY,
    account_id   INTEGER NOT NULL REFERENCES accounts(id),
    csrf_token   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    client_addr  TEXT NOT NULL
);
CREATE INDEX sessions_account ON sessions(account_id);

CREATE TABLE security_policy (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    max_failures   INTEGER NOT NULL,
    lock_minutes   INTEGER NOT NULL,
    idle_minutes   INTEGER NOT NULL,
    absolute_hours INTEGER NOT NULL,
    updated_at     TEXT NOT NULL
);
INSERT INTO security_policy VALUES (1, 5, 15, 30, 12, '1970-01-01T00:00:00Z');

-- The audit trail (审计日志): append-only, hash-chained. No API edits or
-- deletes it; these triggers refuse it at the database too. Retention: kept
-- without limit (at least the 180 days 网络安全法 requires).
CREATE TABLE audit_log (
    seq         INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    actor       TEXT,
    role        TEXT,
    action      TEXT NOT NULL,
    object      TEXT NOT NULL,
    outcome     TEXT NOT NULL CHECK (outcome IN ('success', 'failure', 'denied')),
    client_addr TEXT NOT NULL,
    detail      TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_actor ON audit_log(actor);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- The chain head, written in the same transaction as each entry: cutting
-- entries off the end of the log is caught against it.
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL,
    hash TEXT NOT NULL
);

-- Residents (居民) with personal data, masked by role.
CREATE TABLE residents (
    id            INTEGER PRIMARY KEY,
    org_node_id   INTEGER NOT NULL REFERENCES org_nodes(id),
    name          TEXT NOT NULL,
    id_number     TEXT NOT NULL,
    phone         TEXT,
    address       TEXT NOT NULL,
    special_group TEXT,
    created_at    TEXT NOT NULL
);
CREATE INDEX residents_org ON residents(org_node_id);
