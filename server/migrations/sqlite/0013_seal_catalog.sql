-- The seal catalogue (证明事项目录) in layers, and matters outside it.

-- Which edition of the catalogue decided each request (`Catalog::version`:
-- the editions composed, e.g. CN-2026.1+HB-2026.1+city-3). Requests recorded
-- before this migration keep '' (the catalogue then had no version).
ALTER TABLE seal_requests ADD COLUMN catalog_version TEXT NOT NULL DEFAULT '';
-- A matter outside the catalogue (matter_code ''): the worker found it lies
-- within the requesting department's own duties (1) or not (0).
ALTER TABLE seal_requests ADD COLUMN requester_own_duty INTEGER NOT NULL DEFAULT 0;
-- The reasons the worker (review) and the leader (approval) gave; required
-- for a matter outside the catalogue.
ALTER TABLE seal_requests ADD COLUMN review_note TEXT;
ALTER TABLE seal_requests ADD COLUMN approve_note TEXT;

-- Province and city editions of the catalogue, as loaded: never changed or
-- deleted (a new edition supersedes), so every recorded version can be read
-- back. The national edition ships with the system.
CREATE TABLE seal_catalog_layers (
    id             INTEGER PRIMARY KEY,
    level          TEXT NOT NULL CHECK (level IN ('province', 'city')),
    version        TEXT NOT NULL,
    region         TEXT NOT NULL,
    -- Asia/Shanghai civil date, YYYY-MM-DD
    effective_from TEXT NOT NULL,
    -- The edition as checked (CatalogLayer as JSON)
    body           TEXT NOT NULL,
    body_sha256    TEXT NOT NULL,
    loaded_by      INTEGER NOT NULL REFERENCES accounts(id),
    loaded_at      TEXT NOT NULL,
    UNIQUE (level, version)
);
