-- Consultation and deliberation (协商议事): matters, co-signers, meetings,
-- attendance, resolutions and their follow-up items. Dates YYYY-MM-DD
-- (Asia/Shanghai); times UTC RFC 3339.

-- Each community's number of co-signers for a residents' matter (unset:
-- gongzhi_domain::consultation::DEFAULT_COSIGNERS).
CREATE TABLE consultation_settings (
    community_id      BIGINT PRIMARY KEY REFERENCES org_nodes(id),
    cosigners_needed  BIGINT NOT NULL CHECK (cosigners_needed BETWEEN 1 AND 200)
);

CREATE TABLE consultation_matters (
    id                BIGSERIAL PRIMARY KEY,
    community_id      BIGINT NOT NULL REFERENCES org_nodes(id),
    kind              TEXT NOT NULL CHECK (kind IN ('affair', 'dispute')),
    origin            TEXT NOT NULL CHECK (origin IN ('residents', 'grid_member', 'committee')),
    title             TEXT NOT NULL,
    description       TEXT NOT NULL,
    -- The parties concerned, a JSON array of names.
    parties           TEXT NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('collecting', 'accepted', 'resolved', 'closed')),
    -- The community's setting when the matter was raised.
    cosigners_needed  BIGINT NOT NULL CHECK (cosigners_needed >= 1),
    raised_by         BIGINT NOT NULL REFERENCES accounts(id),
    raised_at         TEXT NOT NULL,
    raised_on         TEXT NOT NULL
);
CREATE INDEX consultation_matters_community ON consultation_matters(community_id);

-- Residents behind a matter, the raiser first: one row each, the key decides.
CREATE TABLE consultation_cosigners (
    matter_id    BIGINT NOT NULL REFERENCES consultation_matters(id),
    resident_id  BIGINT NOT NULL REFERENCES residents(id),
    signed_at    TEXT NOT NULL,
    PRIMARY KEY (matter_id, resident_id)
);
CREATE TRIGGER consultation_cosigners_no_update BEFORE UPDATE ON consultation_cosigners
    FOR EACH ROW EXECUTE PROCEDURE refuse_change('co-signatures are final');
CREATE TRIGGER consultation_cosigners_no_delete BEFORE DELETE ON consultation_cosigners
    FOR EACH ROW EXECUTE PROCEDURE refuse_change('co-signatures are final');
CREATE TRIGGER consultation_cosigners_no_truncate BEFORE TRUNCATE ON consultation_cosigners
    FOR EACH STATEMENT EXECUTE PROCEDURE refuse_change('co-signatures are final');

CREATE TABLE consultation_meetings (
    id             BIGSERIAL PRIMARY KEY,
    matter_id      BIGINT NOT NULL REFERENCES consultation_matters(id),
    kind           TEXT NOT NULL CHECK (kind IN ('council', 'talk', 'hearing')),
    date           TEXT NOT NULL,
    time           TEXT NOT NULL,
    place          TEXT NOT NULL,
    -- The invited parties, a JSON array of {kind, name}.
    invited        TEXT NOT NULL,
    status         TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'held')),
    minutes        TEXT,
    resolution     TEXT,
    votes_for      BIGINT,
    votes_against  BIGINT,
    votes_abstain  BIGINT,
    outcome        TEXT CHECK (outcome IS NULL OR outcome IN ('mediated', 'failed', 'referred')),
    referred_to    TEXT,
    planned_by     BIGINT NOT NULL REFERENCES accounts(id),
    planned_at     TEXT NOT NULL,
    recorded_by    BIGINT REFERENCES accounts(id),
    recorded_at    TEXT
);
-- One planned meeting per matter at a time.
CREATE UNIQUE INDEX consultation_meetings_one_planned ON consultation_meetings(matter_id) WHERE status = 'planned';

-- Who attended: residents by their register entry (once each), others by name.
CREATE TABLE consultation_attendance (
    id           BIGSERIAL PRIMARY KEY,
    meeting_id   BIGINT NOT NULL REFERENCES consultation_meetings(id),
    name         TEXT NOT NULL,
    capacity     TEXT NOT NULL,
    method       TEXT NOT NULL CHECK (method IN ('tablet', 'paper')),
    resident_id  BIGINT REFERENCES residents(id),
    recorded_by  BIGINT NOT NULL REFERENCES accounts(id),
    recorded_at  TEXT NOT NULL,
    UNIQUE (meeting_id, resident_id),
    UNIQUE (meeting_id, capacity, name)
);
CREATE TRIGGER consultation_attendance_no_update BEFORE UPDATE ON consultation_attendance
    FOR EACH ROW EXECUTE PROCEDURE refuse_change('attendance is final');
CREATE TRIGGER consultation_attendance_no_delete BEFORE DELETE ON consultation_attendance
    FOR EACH ROW EXECUTE PROCEDURE refuse_change('attendance is final');
CREATE TRIGGER consultation_attendance_no_truncate BEFORE TRUNCATE ON consultation_attendance
    FOR EACH STATEMENT EXECUTE PROCEDURE refuse_change('attendance is final');

CREATE TABLE consultation_follow_ups (
    id            BIGSERIAL PRIMARY KEY,
    matter_id     BIGINT NOT NULL REFERENCES consultation_matters(id),
    meeting_id    BIGINT NOT NULL REFERENCES consultation_meetings(id),
    task          TEXT NOT NULL,
    owner         TEXT NOT NULL,
    working_days  BIGINT NOT NULL CHECK (working_days > 0),
    due_on        TEXT NOT NULL,
    -- Reckoned on the statutory holidays of a year whose schedule was not
    -- yet published (the due date may move once it is).
    due_provisional BIGINT NOT NULL DEFAULT 0 CHECK (due_provisional IN (0, 1)),
    status        TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'published')),
    note          TEXT,
    done_on       TEXT,
    done_by       BIGINT REFERENCES accounts(id),
    published_on  TEXT,
    published_by  BIGINT REFERENCES accounts(id)
);
CREATE INDEX consultation_follow_ups_matter ON consultation_follow_ups(matter_id);
