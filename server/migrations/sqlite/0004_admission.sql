-- Work-item admission (社区工作事项准入). Civil dates are Asia/Shanghai
-- `YYYY-MM-DD`; instants are UTC RFC 3339; money is whole fen.

CREATE TABLE admission_applications (
    id                 INTEGER PRIMARY KEY,
    -- ZR-2026-0001
    file_no            TEXT NOT NULL UNIQUE,
    -- Client-generated: a retried submit creates one application.
    idempotency_key    TEXT NOT NULL UNIQUE,
    request_sha256     TEXT NOT NULL,
    department_id      INTEGER NOT NULL REFERENCES departments(id),
    -- The department's node: reviewers at or above it see the file.
    org_node_id        INTEGER NOT NULL REFERENCES org_nodes(id),
    path               TEXT NOT NULL CHECK (path IN ('approval', 'exempt')),
    status             TEXT NOT NULL CHECK (status IN ('submitted', 'returned', 'consulting', 'soliciting',
                           'deciding', 'approved', 'not_admitted', 'registered', 'withdrawn')),
    -- The form as last submitted (JSON of AdmissionApplicationInput).
    form               TEXT NOT NULL,
    item_name          TEXT NOT NULL,
    scope_all          INTEGER NOT NULL,
    start_date         TEXT NOT NULL,
    -- NULL when no cost falls on communities (the reason is in the form).
    funding_fen        INTEGER CHECK (funding_fen IS NULL OR funding_fen > 0),
    funding_period     TEXT,
    -- JSON array of NegativeMatch.
    negative_matches   TEXT NOT NULL DEFAULT '[]',
    paper              INTEGER NOT NULL DEFAULT 0,
    submitted_at       TEXT NOT NULL,
    -- The civil day it was (last) submitted, Asia/Shanghai.
    submitted_on       TEXT NOT NULL,
    accepted_on        TEXT,
    return_reason      TEXT,
    extension_days     INTEGER NOT NULL DEFAULT 0 CHECK (extension_days BETWEEN 0 AND 15),
    extension_reason   TEXT,
    extension_approver TEXT,
    solicit_scope      TEXT,
    decided_on         TEXT,
    decision_meeting   TEXT,
    decision_note      TEXT,
    decided_by         INTEGER REFERENCES accounts(id),
    delivered_at       TEXT,
    created_by         INTEGER NOT NULL REFERENCES accounts(id),
    updated_at         TEXT NOT NULL
);
CREATE INDEX admission_applications_status ON admission_applications(status);
CREATE INDEX admission_applications_department ON admission_applications(department_id);

-- Communities of an application whose scope is a list.
CREATE TABLE admission_communities (
    application_id INTEGER NOT NULL REFERENCES admission_applications(id),
    community_id   INTEGER NOT NULL REFERENCES org_nodes(id),
    PRIMARY KEY (application_id, community_id)
);

-- 商请部门: one row per consulted department; the opinion fills it in.
CREATE TABLE admission_consultations (
    id             INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES admission_applications(id),
    department_id  INTEGER NOT NULL REFERENCES departments(id),
    asked_at       TEXT NOT NULL,
    stance         TEXT CHECK (stance IS NULL OR stance IN ('agree', 'agree_with_changes', 'disagree')),
    text           TEXT,
    answered_by    INTEGER REFERENCES accounts(id),
    -- 1 when a reviewer entered an opinion received by letter (代录).
    entered_for    INTEGER NOT NULL DEFAULT 0,
    answered_at    TEXT,
    UNIQUE (application_id, department_id)
);

-- 在一定范围内征求到的意见.
CREATE TABLE admission_solicited (
    id             INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES admission_applications(id),
    source         TEXT NOT NULL,
    text           TEXT NOT NULL,
    recorded_by    INTEGER NOT NULL REFERENCES accounts(id),
    recorded_at    TEXT NOT NULL
);

-- The file's timeline as the applicant and reviewers read it. (The audit
-- trail records the same steps, for the auditors.)
CREATE TABLE admission_events (
    id             INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES admission_applications(id),
    at             TEXT NOT NULL,
    actor          TEXT NOT NULL,
    action         TEXT NOT NULL,
    note           TEXT NOT NULL DEFAULT ''
);
CREATE INDEX admission_events_application ON admission_events(application_id, id);

-- 派专人指导培训: the staff the department names after admission.
CREATE TABLE admission_guides (
    id             INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES admission_applications(id),
    name           TEXT NOT NULL,
    phone          TEXT NOT NULL,
    named_by       INTEGER NOT NULL REFERENCES accounts(id),
    named_at       TEXT NOT NULL
);

-- Training held, per community.
CREATE TABLE admission_trainings (
    id             INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES admission_applications(id),
    community_id   INTEGER NOT NULL REFERENCES org_nodes(id),
    held_on        TEXT NOT NULL,
    trainer        TEXT NOT NULL,
    attendees      INTEGER NOT NULL CHECK (attendees BETWEEN 1 AND 500),
    topic          TEXT NOT NULL,
    recorded_by    INTEGER NOT NULL REFERENCES accounts(id),
    recorded_at    TEXT NOT NULL
);
CREATE INDEX admission_trainings_application ON admission_trainings(application_id, community_id);
