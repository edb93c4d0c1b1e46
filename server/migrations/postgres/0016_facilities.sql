-- Community facilities (社区设施布点, 四同步). Areas are whole hundredths of a
-- square metre (`_centi`), money whole fen; dates YYYY-MM-DD (Asia/Shanghai);
-- times UTC RFC 3339.

-- The line of work a department signs for at a project's acceptance
-- (gongzhi_domain::facilities::project::Authority); NULL for the others.
ALTER TABLE departments ADD COLUMN authority TEXT
    CHECK (authority IS NULL OR authority IN ('natural_resources', 'housing', 'civil_affairs'));

-- Versions of the area standard, per jurisdiction (an org node). A version
-- is never changed once stored: figures name the version they used, so a
-- new rule is a new version with its own effective date.
CREATE TABLE facility_standards (
    id                              BIGSERIAL PRIMARY KEY,
    org_node_id                     BIGINT NOT NULL REFERENCES org_nodes(id),
    version                         TEXT NOT NULL,
    effective_from                  TEXT NOT NULL,
    service_per_100_centi           BIGINT NOT NULL CHECK (service_per_100_centi > 0),
    elderly_existing_per_100_centi  BIGINT NOT NULL CHECK (elderly_existing_per_100_centi > 0),
    elderly_new_per_100_centi       BIGINT NOT NULL CHECK (elderly_new_per_100_centi > 0),
    elderly_new_min_site_centi      BIGINT NOT NULL CHECK (elderly_new_min_site_centi >= 0),
    max_floor                       BIGINT NOT NULL CHECK (max_floor BETWEEN 1 AND 10),
    built_by_share_pct              BIGINT NOT NULL CHECK (built_by_share_pct BETWEEN 1 AND 100),
    created_by                      BIGINT REFERENCES accounts(id),
    created_at                      TEXT NOT NULL,
    UNIQUE (org_node_id, effective_from)
);
CREATE TRIGGER facility_standards_no_update BEFORE UPDATE ON facility_standards
    FOR EACH ROW EXECUTE PROCEDURE refuse_change('facility standards are versions: add a new version');
CREATE TRIGGER facility_standards_no_delete BEFORE DELETE ON facility_standards
    FOR EACH ROW EXECUTE PROCEDURE refuse_change('facility standards are versions: add a new version');
CREATE TRIGGER facility_standards_no_truncate BEFORE TRUNCATE ON facility_standards
    FOR EACH STATEMENT EXECUTE PROCEDURE refuse_change('facility standards are versions: add a new version');

-- New residential projects (新建住宅项目) and their planned rooms; the built
-- areas are filled by the construction sign-off.
CREATE TABLE facility_projects (
    id                   BIGSERIAL PRIMARY KEY,
    community_id         BIGINT NOT NULL REFERENCES org_nodes(id),
    name                 TEXT NOT NULL,
    developer            TEXT NOT NULL,
    households           BIGINT NOT NULL CHECK (households > 0),
    phases               BIGINT NOT NULL CHECK (phases > 0),
    lon                  DOUBLE PRECISION,
    lat                  DOUBLE PRECISION,
    service_centi        BIGINT NOT NULL CHECK (service_centi >= 0),
    elderly_centi        BIGINT NOT NULL CHECK (elderly_centi >= 0),
    floor                BIGINT NOT NULL,
    own_entrance         BIGINT NOT NULL CHECK (own_entrance IN (0, 1)),
    planning_due         TEXT NOT NULL,
    construction_due     TEXT NOT NULL,
    acceptance_due       TEXT NOT NULL,
    handover_due         TEXT NOT NULL,
    built_service_centi  BIGINT,
    built_elderly_centi  BIGINT,
    housing_share_pct    BIGINT,
    created_by           BIGINT NOT NULL REFERENCES accounts(id),
    created_at           TEXT NOT NULL
);
CREATE INDEX facility_projects_community ON facility_projects(community_id);

-- Sign-offs on a project's file: one of each kind per project (the unique
-- key decides between two at once), never changed or removed.
CREATE TABLE facility_sign_offs (
    id          BIGSERIAL PRIMARY KEY,
    project_id  BIGINT NOT NULL REFERENCES facility_projects(id),
    kind        TEXT NOT NULL CHECK (kind IN ('land_conditions', 'design_consulted', 'built',
                    'accept_natural_resources', 'accept_housing', 'accept_civil_affairs',
                    'handover_agreement', 'property_registered', 'in_use')),
    signed_on   TEXT NOT NULL,
    evidence    TEXT NOT NULL,
    account_id  BIGINT NOT NULL REFERENCES accounts(id),
    -- The signing department or community, by name as it was then.
    unit_name   TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    UNIQUE (project_id, kind)
);
CREATE TRIGGER facility_sign_offs_no_update BEFORE UPDATE ON facility_sign_offs
    FOR EACH ROW EXECUTE PROCEDURE refuse_change('sign-offs are append-only');
CREATE TRIGGER facility_sign_offs_no_delete BEFORE DELETE ON facility_sign_offs
    FOR EACH ROW EXECUTE PROCEDURE refuse_change('sign-offs are append-only');
CREATE TRIGGER facility_sign_offs_no_truncate BEFORE TRUNCATE ON facility_sign_offs
    FOR EACH STATEMENT EXECUTE PROCEDURE refuse_change('sign-offs are append-only');

-- Rooms an existing community uses, and the remedies of one below standard.
CREATE TABLE community_rooms (
    id            BIGSERIAL PRIMARY KEY,
    community_id  BIGINT NOT NULL REFERENCES org_nodes(id),
    room_use      TEXT NOT NULL CHECK (room_use IN ('service', 'elderly_care')),
    name          TEXT NOT NULL,
    area_centi    BIGINT NOT NULL CHECK (area_centi > 0),
    tenure        TEXT NOT NULL CHECK (tenure IN ('owned', 'rented', 'borrowed')),
    floor         BIGINT NOT NULL,
    own_entrance  BIGINT NOT NULL CHECK (own_entrance IN (0, 1)),
    since         TEXT NOT NULL,
    created_by    BIGINT NOT NULL REFERENCES accounts(id),
    created_at    TEXT NOT NULL
);
CREATE INDEX community_rooms_community ON community_rooms(community_id);

CREATE TABLE facility_remedies (
    id            BIGSERIAL PRIMARY KEY,
    community_id  BIGINT NOT NULL REFERENCES org_nodes(id),
    kind          TEXT NOT NULL CHECK (kind IN ('add', 'expand', 'new_build', 'purchase', 'rent', 'idle_space')),
    room_use      TEXT NOT NULL CHECK (room_use IN ('service', 'elderly_care')),
    target_centi  BIGINT NOT NULL CHECK (target_centi >= 0),
    funding_fen   BIGINT NOT NULL CHECK (funding_fen >= 0),
    due_on        TEXT NOT NULL,
    note          TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'underway', 'done')),
    created_by    BIGINT NOT NULL REFERENCES accounts(id),
    created_at    TEXT NOT NULL
);
CREATE INDEX facility_remedies_community ON facility_remedies(community_id);
