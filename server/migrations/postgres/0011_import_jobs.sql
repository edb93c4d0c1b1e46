-- Background imports (a district's household file): one row per job, written
-- when it starts and when it ends. Live progress stays in memory (AppState),
-- not a write per batch. A job still 'running' at start was cut off by a restart and is
-- marked 'interrupted' (never applied: nothing written).
CREATE TABLE import_jobs (
    id          BIGSERIAL PRIMARY KEY,
    kind        TEXT NOT NULL,                 -- 'households'
    status      TEXT NOT NULL,                 -- ImportPhase code
    rows        BIGINT NOT NULL DEFAULT 0,
    report      TEXT,                          -- ImportReport JSON, once ended
    created_by  BIGINT NOT NULL REFERENCES accounts(id),
    created_at  TEXT NOT NULL,                 -- UTC, RFC 3339
    finished_at TEXT
);
CREATE INDEX import_jobs_status ON import_jobs(status);

-- A running household import's rows, staged in short transactions (each
-- releasing the write lock) while the job runs; one final short transaction
-- applies them (INSERT … SELECT, UPDATE … FROM) with the audit entry and the
-- job's outcome. Staged rows are never read by anything else; they are
-- deleted when the job ends, and all of them at start (a job cut off by a
-- stop was never applied: nothing of it is in households or residents).
CREATE TABLE import_staged_households (
    job_id   BIGINT NOT NULL,
    seq      BIGINT NOT NULL,               -- the household's place in the file
    grid_id  BIGINT NOT NULL,
    code     TEXT NOT NULL,
    address  TEXT NOT NULL,
    building TEXT NOT NULL,
    lon      DOUBLE PRECISION NOT NULL,
    lat      DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (job_id, seq)
);
CREATE TABLE import_staged_residents (
    job_id         BIGINT NOT NULL,
    seq            BIGINT NOT NULL,         -- the resident's place in the file
    resident_id    BIGINT,                  -- the registered resident it updates; NULL: a new one
    org_node_id    BIGINT NOT NULL,         -- the grid
    household_code TEXT NOT NULL,       -- with org_node_id, the household's key
    name           TEXT NOT NULL,
    id_number      TEXT NOT NULL,
    phone          TEXT,
    address        TEXT NOT NULL,
    special_group  TEXT,
    special_since  TEXT,
    PRIMARY KEY (job_id, seq)
);
