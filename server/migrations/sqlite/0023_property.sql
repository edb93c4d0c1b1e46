-- Property management joint building (社区物业党建联建): property service
-- companies and the estates they serve (with the grids each covers and its
-- owners' committee), complaints linked to a company, the yearly
-- satisfaction rating as a review whose raters are the estates' residents,
-- and the joint meeting (物业联席会议) as a consultation meeting kind.
-- Dates YYYY-MM-DD (Asia/Shanghai); times UTC RFC 3339.

CREATE TABLE property_companies (
    id             INTEGER PRIMARY KEY,
    community_id   INTEGER NOT NULL REFERENCES org_nodes(id),
    name           TEXT NOT NULL,
    -- 统一社会信用代码 (GB 32100-2015, checked by the domain).
    credit_code    TEXT NOT NULL,
    contact        TEXT NOT NULL,
    phone          TEXT NOT NULL,
    party_org      TEXT NOT NULL CHECK (party_org IN ('none', 'own_branch', 'joint_branch')),
    party_members  INTEGER NOT NULL CHECK (party_members >= 0),
    agreement_on   TEXT,
    -- Raised by each edit: an edit names the version it read.
    version        INTEGER NOT NULL DEFAULT 1,
    created_by     INTEGER NOT NULL REFERENCES accounts(id),
    created_at     TEXT NOT NULL,
    updated_by     INTEGER NOT NULL REFERENCES accounts(id),
    updated_at     TEXT NOT NULL,
    UNIQUE (community_id, credit_code)
);

CREATE TABLE property_estates (
    id                   INTEGER PRIMARY KEY,
    company_id           INTEGER NOT NULL REFERENCES property_companies(id),
    community_id         INTEGER NOT NULL REFERENCES org_nodes(id),
    name                 TEXT NOT NULL,
    households           INTEGER NOT NULL CHECK (households > 0),
    served_since         TEXT NOT NULL,
    owners_committee     INTEGER NOT NULL CHECK (owners_committee IN (0, 1)),
    committee_chair      TEXT,
    committee_term_ends  TEXT,
    version              INTEGER NOT NULL DEFAULT 1,
    created_by           INTEGER NOT NULL REFERENCES accounts(id),
    created_at           TEXT NOT NULL,
    updated_by           INTEGER NOT NULL REFERENCES accounts(id),
    updated_at           TEXT NOT NULL,
    UNIQUE (community_id, name),
    CHECK (owners_committee = 0 OR (committee_chair IS NOT NULL AND committee_term_ends IS NOT NULL))
);
CREATE INDEX property_estates_company ON property_estates(company_id);

-- The grids of its community an estate covers.
CREATE TABLE property_estate_grids (
    estate_id  INTEGER NOT NULL REFERENCES property_estates(id),
    grid_id    INTEGER NOT NULL REFERENCES org_nodes(id),
    PRIMARY KEY (estate_id, grid_id)
);
CREATE INDEX property_estate_grids_grid ON property_estate_grids(grid_id);

-- A complaint event linked to the company concerned: once, the key decides.
CREATE TABLE property_complaints (
    event_id    INTEGER PRIMARY KEY REFERENCES events(id),
    company_id  INTEGER NOT NULL REFERENCES property_companies(id),
    linked_by   INTEGER NOT NULL REFERENCES accounts(id),
    linked_at   TEXT NOT NULL
);
CREATE INDEX property_complaints_company ON property_complaints(company_id);
CREATE TRIGGER property_complaints_no_update BEFORE UPDATE ON property_complaints
BEGIN SELECT RAISE(ABORT, 'complaint links are final'); END;
CREATE TRIGGER property_complaints_no_delete BEFORE DELETE ON property_complaints
BEGIN SELECT RAISE(ABORT, 'complaint links are final'); END;

-- A review of a property company rated by its estates' residents (unset:
-- rated by the community's representatives); one per company and year.
ALTER TABLE review_reviews ADD COLUMN property_company_id INTEGER REFERENCES property_companies(id);
ALTER TABLE review_reviews ADD COLUMN rating_year INTEGER;
CREATE UNIQUE INDEX review_reviews_one_rating ON review_reviews(property_company_id, rating_year)
    WHERE property_company_id IS NOT NULL;

-- The joint meeting kind: SQLite cannot change a CHECK in place, so the
-- meetings table is rebuilt with its two dependants (attendance and
-- follow-ups, which reference it), rows and ids kept.
CREATE TABLE consultation_meetings_new (
    id             INTEGER PRIMARY KEY,
    matter_id      INTEGER NOT NULL REFERENCES consultation_matters(id),
    kind           TEXT NOT NULL CHECK (kind IN ('council', 'talk', 'hearing', 'joint')),
    date           TEXT NOT NULL,
    time           TEXT NOT NULL,
    place          TEXT NOT NULL,
    -- The invited parties, a JSON array of {kind, name}.
    invited        TEXT NOT NULL,
    status         TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'held')),
    minutes        TEXT,
    resolution     TEXT,
    votes_for      INTEGER,
    votes_against  INTEGER,
    votes_abstain  INTEGER,
    outcome        TEXT CHECK (outcome IS NULL OR outcome IN ('mediated', 'failed', 'referred')),
    referred_to    TEXT,
    planned_by     INTEGER NOT NULL REFERENCES accounts(id),
    planned_at     TEXT NOT NULL,
    recorded_by    INTEGER REFERENCES accounts(id),
    recorded_at    TEXT
);
INSERT INTO consultation_meetings_new SELECT id, matter_id, kind, date, time, place, invited, status, minutes,
    resolution, votes_for, votes_against, votes_abstain, outcome, referred_to, planned_by, planned_at, recorded_by,
    recorded_at FROM consultation_meetings;

CREATE TABLE consultation_attendance_new (
    id           INTEGER PRIMARY KEY,
    meeting_id   INTEGER NOT NULL REFERENCES consultation_meetings_new(id),
    name         TEXT NOT NULL,
    capacity     TEXT NOT NULL,
    method       TEXT NOT NULL CHECK (method IN ('tablet', 'paper')),
    resident_id  INTEGER REFERENCES residents(id),
    recorded_by  INTEGER NOT NULL REFERENCES accounts(id),
    recorded_at  TEXT NOT NULL,
    UNIQUE (meeting_id, resident_id),
    UNIQUE (meeting_id, capacity, name)
);
INSERT INTO consultation_attendance_new SELECT id, meeting_id, name, capacity, method, resident_id, recorded_by,
    recorded_at FROM consultation_attendance;

CREATE TABLE consultation_follow_ups_new (
    id            INTEGER PRIMARY KEY,
    matter_id     INTEGER NOT NULL REFERENCES consultation_matters(id),
    meeting_id    INTEGER NOT NULL REFERENCES consultation_meetings_new(id),
    task          TEXT NOT NULL,
    owner         TEXT NOT NULL,
    working_days  INTEGER NOT NULL CHECK (working_days > 0),
    due_on        TEXT NOT NULL,
    -- Reckoned on the statutory holidays of a year whose schedule was not
    -- yet published (the due date may move once it is).
    due_provisional INTEGER NOT NULL DEFAULT 0 CHECK (due_provisional IN (0, 1)),
    status        TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'published')),
    note          TEXT,
    done_on       TEXT,
    done_by       INTEGER REFERENCES accounts(id),
    published_on  TEXT,
    published_by  INTEGER REFERENCES accounts(id)
);
INSERT INTO consultation_follow_ups_new SELECT id, matter_id, meeting_id, task, owner, working_days, due_on,
    due_provisional, status, note, done_on, done_by, published_on, published_by FROM consultation_follow_ups;

-- The dependants go first (nothing references them), then the meetings.
DROP TABLE consultation_attendance;
DROP TABLE consultation_follow_ups;
DROP TABLE consultation_meetings;
-- Renaming rewrites the dependants' references to the new name.
ALTER TABLE consultation_meetings_new RENAME TO consultation_meetings;
ALTER TABLE consultation_attendance_new RENAME TO consultation_attendance;
ALTER TABLE consultation_follow_ups_new RENAME TO consultation_follow_ups;
CREATE UNIQUE INDEX consultation_meetings_one_planned ON consultation_meetings(matter_id) WHERE status = 'planned';
CREATE INDEX consultation_follow_ups_matter ON consultation_follow_ups(matter_id);
CREATE TRIGGER consultation_attendance_no_update BEFORE UPDATE ON consultation_attendance
BEGIN SELECT RAISE(ABORT, 'attendance is final'); END;
CREATE TRIGGER consultation_attendance_no_delete BEFORE DELETE ON consultation_attendance
BEGIN SELECT RAISE(ABORT, 'attendance is final'); END;
