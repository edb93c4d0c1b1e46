-- The all-element grid (全要素网格): boundaries, households, visits, events.
-- Positions are WGS-84 degrees; times UTC RFC 3339; civil dates Asia/Shanghai.

-- Boundary of a community or grid node: GeoJSON geometry text, with its
-- bounding box so lookups can narrow by box before testing polygons.
CREATE TABLE org_boundaries (
    org_node_id INTEGER PRIMARY KEY REFERENCES org_nodes(id),
    geojson     TEXT NOT NULL,
    area_m2     REAL NOT NULL,
    min_lon     REAL NOT NULL,
    min_lat     REAL NOT NULL,
    max_lon     REAL NOT NULL,
    max_lat     REAL NOT NULL,
    updated_at  TEXT NOT NULL
);

-- Households (住户) of a grid.
CREATE TABLE households (
    id         INTEGER PRIMARY KEY,
    grid_id    INTEGER NOT NULL REFERENCES org_nodes(id),
    code       TEXT NOT NULL,
    address    TEXT NOT NULL,
    building   TEXT NOT NULL DEFAULT '',
    lon        REAL NOT NULL,
    lat        REAL NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (grid_id, code)
);

ALTER TABLE residents ADD COLUMN household_id INTEGER REFERENCES households(id);
-- When the resident entered the special group: the visit clock starts here.
ALTER TABLE residents ADD COLUMN special_since TEXT;
CREATE INDEX residents_household ON residents(household_id);

-- Visits (走访). `idempotency_key` is the tablet's UUID for the record: the
-- unique constraint, not a check-then-insert, keeps a retried sync to one row.
CREATE TABLE visits (
    id              INTEGER PRIMARY KEY,
    idempotency_key TEXT NOT NULL UNIQUE,
    request_sha256  TEXT NOT NULL,
    grid_id         INTEGER NOT NULL REFERENCES org_nodes(id),
    household_id    INTEGER NOT NULL REFERENCES households(id),
    resident_id     INTEGER REFERENCES residents(id),
    outcome         TEXT NOT NULL CHECK (outcome IN ('met', 'met_family', 'not_home')),
    needs           TEXT,
    follow_up       TEXT,
    visited_at      TEXT NOT NULL,
    visited_on      TEXT NOT NULL,
    recorded_by     INTEGER NOT NULL REFERENCES accounts(id),
    received_at     TEXT NOT NULL
);
CREATE INDEX visits_resident ON visits(resident_id, visited_on);
CREATE INDEX visits_household ON visits(household_id, visited_on);

-- Events (事件) in the closed loop.
CREATE TABLE events (
    id                  INTEGER PRIMARY KEY,
    idempotency_key     TEXT NOT NULL UNIQUE,
    request_sha256      TEXT NOT NULL,
    community_id        INTEGER NOT NULL REFERENCES org_nodes(id),
    grid_id             INTEGER REFERENCES org_nodes(id),
    path                TEXT NOT NULL,
    category            TEXT NOT NULL,
    description         TEXT NOT NULL,
    lon                 REAL NOT NULL,
    lat                 REAL NOT NULL,
    status              TEXT NOT NULL CHECK (status IN
                          ('reported', 'registered', 'dispatched', 'handling', 'reported_back', 'checked', 'closed')),
    department_id       INTEGER REFERENCES departments(id),
    duplicate_of        INTEGER REFERENCES events(id),
    -- Open events of the same category nearby when it arrived (JSON ids).
    possible_duplicates TEXT NOT NULL DEFAULT '[]',
    reported_by         INTEGER NOT NULL REFERENCES accounts(id),
    reported_at         TEXT NOT NULL,
    received_at         TEXT NOT NULL,
    stage_started_at    TEXT NOT NULL,
    updated_at          TEXT NOT NULL
);
CREATE INDEX events_path ON events(path, status);
CREATE INDEX events_department ON events(department_id, status);

CREATE TABLE event_steps (
    id          INTEGER PRIMARY KEY,
    event_id    INTEGER NOT NULL REFERENCES events(id),
    action      TEXT NOT NULL,
    to_status   TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    actor_id    INTEGER NOT NULL REFERENCES accounts(id),
    at          TEXT NOT NULL
);
CREATE INDEX event_steps_event ON event_steps(event_id);
