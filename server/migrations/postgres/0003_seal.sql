-- Community seal (社区印章): certificate requests and the register of seal use.

CREATE TABLE seal_requests (
    id                   BIGSERIAL PRIMARY KEY,
    community_id         BIGINT NOT NULL REFERENCES org_nodes(id),
    -- Client-generated: a retried submit creates one request.
    idempotency_key      TEXT NOT NULL UNIQUE,
    request_sha256       TEXT NOT NULL,
    requester_kind       TEXT NOT NULL,
    requester_name       TEXT NOT NULL,
    requester_department TEXT,
    resident_name        TEXT NOT NULL,
    resident_id_number   TEXT NOT NULL,
    matter_code          TEXT NOT NULL,
    matter_name          TEXT NOT NULL,
    purpose              TEXT NOT NULL,
    content              TEXT NOT NULL,
    copies               BIGINT NOT NULL CHECK (copies BETWEEN 1 AND 10),
    basis_law            TEXT NOT NULL,
    basis_article        TEXT NOT NULL,
    basis_text           TEXT NOT NULL,
    status               TEXT NOT NULL CHECK (status IN ('submitted', 'reviewed', 'approved', 'stamped', 'refused')),
    -- JSON array of {code, message}
    refusal_reasons      TEXT NOT NULL DEFAULT '[]',
    refusal_note         TEXT,
    created_by           BIGINT NOT NULL REFERENCES accounts(id),
    created_at           TEXT NOT NULL,
    reviewed_by          BIGINT REFERENCES accounts(id),
    reviewed_at          TEXT,
    approved_by          BIGINT REFERENCES accounts(id),
    approved_at          TEXT,
    decided_by           BIGINT REFERENCES accounts(id),
    decided_at           TEXT,
    register_no          TEXT
);
CREATE INDEX seal_requests_community ON seal_requests(community_id, status);

-- 用印登记簿: append-only, hash-chained per community; corrections are new
-- entries pointing at the one they correct.
CREATE TABLE seal_register (
    id             BIGSERIAL PRIMARY KEY,
    community_id   BIGINT NOT NULL REFERENCES org_nodes(id),
    seq            BIGINT NOT NULL,
    register_no    TEXT NOT NULL UNIQUE,
    request_id     BIGINT REFERENCES seal_requests(id),
    kind           TEXT NOT NULL CHECK (kind IN ('use', 'correction')),
    corrects_seq   BIGINT,
    at             TEXT NOT NULL,
    matter         TEXT NOT NULL,
    copies         BIGINT NOT NULL,
    approver       TEXT NOT NULL,
    handler        TEXT NOT NULL,
    applicant      TEXT NOT NULL,
    content_sha256 TEXT NOT NULL,
    note           TEXT NOT NULL DEFAULT '',
    prev_hash      TEXT NOT NULL,
    hash           TEXT NOT NULL,
    UNIQUE (community_id, seq)
);
CREATE TRIGGER seal_register_no_update BEFORE UPDATE ON seal_register
    FOR EACH ROW EXECUTE PROCEDURE refuse_change('seal_register is append-only');
CREATE TRIGGER seal_register_no_delete BEFORE DELETE ON seal_register
    FOR EACH ROW EXECUTE PROCEDURE refuse_change('seal_register is append-only');
CREATE TRIGGER seal_register_no_truncate BEFORE TRUNCATE ON seal_register
    FOR EACH STATEMENT EXECUTE PROCEDURE refuse_change('seal_register is append-only');

CREATE TABLE seal_register_head (
    community_id BIGINT PRIMARY KEY REFERENCES org_nodes(id),
    seq          BIGINT NOT NULL,
    hash         TEXT NOT NULL
);
