-- Background imports (a district's household file): one row per job, written
-- when it starts and when it ends. Live progress stays in memory (AppState):
-- writing it here would need a second writer while the import holds the
-- write lock. A job still 'running' at start was cut off by a restart and is
-- marked 'interrupted' (its transaction never committed: nothing written).
CREATE TABLE import_jobs (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,                 -- 'households'
    status      TEXT NOT NULL,                 -- ImportPhase code
    rows        INTEGER NOT NULL DEFAULT 0,
    report      TEXT,                          -- ImportReport JSON, once ended
    created_by  INTEGER NOT NULL REFERENCES accounts(id),
    created_at  TEXT NOT NULL,                 -- UTC, RFC 3339
    finished_at TEXT
);
CREATE INDEX import_jobs_status ON import_jobs(status);
