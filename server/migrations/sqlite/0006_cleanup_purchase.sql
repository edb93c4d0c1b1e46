-- Cleanup registers and campaigns (清理), and the purchase-of-services list
-- (购买服务事项清单).

-- What a community carries: work items, bodies, ledgers, plaques. Entries
-- are never deleted: a campaign marks them merged or removed.
CREATE TABLE cleanup_entries (
    id           INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES org_nodes(id),
    kind         TEXT NOT NULL CHECK (kind IN ('work_item', 'body', 'ledger', 'plaque')),
    name         TEXT NOT NULL,
    source       TEXT NOT NULL,
    basis        TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'merged', 'removed')),
    merged_into  INTEGER REFERENCES cleanup_entries(id),
    closed_in    INTEGER REFERENCES cleanup_campaigns(id),
    created_by   INTEGER NOT NULL REFERENCES accounts(id),
    created_at   TEXT NOT NULL
);
CREATE INDEX cleanup_entries_community ON cleanup_entries(community_id, status);

CREATE TABLE cleanup_campaigns (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL,
    -- The node whose communities it covers.
    org_node_id   INTEGER NOT NULL REFERENCES org_nodes(id),
    started_on    TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    -- JSON {community code: Counts} of entries in force when it started / closed.
    counts_before TEXT NOT NULL,
    counts_after  TEXT,
    created_by    INTEGER NOT NULL REFERENCES accounts(id),
    created_at    TEXT NOT NULL,
    closed_at     TEXT
);

CREATE TABLE cleanup_reviews (
    id          INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES cleanup_campaigns(id),
    entry_id    INTEGER NOT NULL REFERENCES cleanup_entries(id),
    verdict     TEXT NOT NULL CHECK (verdict IN ('keep', 'merge', 'remove')),
    merge_into  INTEGER REFERENCES cleanup_entries(id),
    reason      TEXT NOT NULL,
    reviewed_by INTEGER NOT NULL REFERENCES accounts(id),
    reviewed_at TEXT NOT NULL,
    UNIQUE (campaign_id, entry_id)
);

CREATE TABLE purchases (
    id                    INTEGER PRIMARY KEY,
    department_id         INTEGER NOT NULL REFERENCES departments(id),
    service               TEXT NOT NULL,
    organisation          TEXT NOT NULL,
    amount_fen            INTEGER NOT NULL CHECK (amount_fen >= 0),
    starts_on             TEXT NOT NULL,
    ends_on               TEXT NOT NULL,
    -- JSON array of strings.
    deliverables          TEXT NOT NULL,
    source_application_id INTEGER REFERENCES admission_applications(id),
    status                TEXT NOT NULL DEFAULT 'contracted' CHECK (status IN ('contracted', 'accepted', 'rejected')),
    accepted_on           TEXT,
    acceptance_note       TEXT,
    created_by            INTEGER NOT NULL REFERENCES accounts(id),
    created_at            TEXT NOT NULL
);
