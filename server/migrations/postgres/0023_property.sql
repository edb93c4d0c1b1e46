-- Property management joint building (社区物业党建联建): property service
-- companies and the estates they serve (with the grids each covers and its
-- owners' committee), complaints linked to a company, the yearly
-- satisfaction rating as a review whose raters are the estates' residents,
-- and the joint meeting (物业联席会议) as a consultation meeting kind.
-- Dates YYYY-MM-DD (Asia/Shanghai); times UTC RFC 3339.

CREATE TABLE property_companies (
    id             BIGSERIAL PRIMARY KEY,
    community_id   BIGINT NOT NULL REFERENCES org_nodes(id),
    name           TEXT NOT NULL,
    -- 统一社会信用代码 (GB 32100-2015, checked by the domain).
    credit_code    TEXT NOT NULL,
    contact        TEXT NOT NULL,
    phone          TEXT NOT NULL,
    party_org      TEXT NOT NULL CHECK (party_org IN ('none', 'own_branch', 'joint_branch')),
    party_members  BIGINT NOT NULL CHECK (party_members >= 0),
    agreement_on   TEXT,
    -- Raised by each edit: an edit names the version it read.
    version        BIGINT NOT NULL DEFAULT 1,
    created_by     BIGINT NOT NULL REFERENCES accounts(id),
    created_at     TEXT NOT NULL,
    updated_by     BIGINT NOT NULL REFERENCES accounts(id),
    updated_at     TEXT NOT NULL,
    UNIQUE (community_id, credit_code)
);

CREATE TABLE property_estates (
    id                   BIGSERIAL PRIMARY KEY,
    company_id           BIGINT NOT NULL REFERENCES property_companies(id),
    community_id         BIGINT NOT NULL REFERENCES org_nodes(id),
    name                 TEXT NOT NULL,
    households           BIGINT NOT NULL CHECK (households > 0),
    served_since         TEXT NOT NULL,
    owners_committee     BIGINT NOT NULL CHECK (owners_committee IN (0, 1)),
    committee_chair      TEXT,
    committee_term_ends  TEXT,
    version              BIGINT NOT NULL DEFAULT 1,
    created_by           BIGINT NOT NULL REFERENCES accounts(id),
    created_at           TEXT NOT NULL,
    updated_by           BIGINT NOT NULL REFERENCES accounts(id),
    updated_at           TEXT NOT NULL,
    UNIQUE (community_id, name),
    CHECK (owners_committee = 0 OR (committee_chair IS NOT NULL AND committee_term_ends IS NOT NULL))
);
CREATE INDEX property_estates_company ON property_estates(company_id);

-- The grids of its community an estate covers.
CREATE TABLE property_estate_grids (
    estate_id  BIGINT NOT NULL REFERENCES property_estates(id),
    grid_id    BIGINT NOT NULL REFERENCES org_nodes(id),
    PRIMARY KEY (estate_id, grid_id)
);
CREATE INDEX property_estate_grids_grid ON property_estate_grids(grid_id);

-- A complaint event linked to the company concerned: once, the key decides.
CREATE TABLE property_complaints (
    event_id    BIGINT PRIMARY KEY REFERENCES events(id),
    company_id  BIGINT NOT NULL REFERENCES property_companies(id),
    linked_by   BIGINT NOT NULL REFERENCES accounts(id),
    linked_at   TEXT NOT NULL
);
CREATE INDEX property_complaints_company ON property_complaints(company_id);
CREATE TRIGGER property_complaints_no_update BEFORE UPDATE ON property_complaints
    FOR EACH ROW EXECUTE PROCEDURE refuse_change('complaint links are final');
CREATE TRIGGER property_complaints_no_delete BEFORE DELETE ON property_complaints
    FOR EACH ROW EXECUTE PROCEDURE refuse_change('complaint links are final');
CREATE TRIGGER property_complaints_no_truncate BEFORE TRUNCATE ON property_complaints
    FOR EACH STATEMENT EXECUTE PROCEDURE refuse_change('complaint links are final');

-- A review of a property company rated by its estates' residents (unset:
-- rated by the community's representatives); one per company and year.
ALTER TABLE review_reviews ADD COLUMN property_company_id BIGINT REFERENCES property_companies(id);
ALTER TABLE review_reviews ADD COLUMN rating_year BIGINT;
CREATE UNIQUE INDEX review_reviews_one_rating ON review_reviews(property_company_id, rating_year)
    WHERE property_company_id IS NOT NULL;
ALTER TABLE review_reviews ADD CONSTRAINT review_reviews_rating_whole
    CHECK ((property_company_id IS NULL) = (rating_year IS NULL));

-- The joint meeting kind.
ALTER TABLE consultation_meetings DROP CONSTRAINT consultation_meetings_kind_check;
ALTER TABLE consultation_meetings ADD CONSTRAINT consultation_meetings_kind_check
    CHECK (kind IN ('council', 'talk', 'hearing', 'joint'));
