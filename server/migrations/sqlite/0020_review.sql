-- Democratic review (民主评议) by residents' representatives. Who rated is
-- kept apart from what was rated, as for votes: a ballot row has a random
-- key and no resident or time. Dates YYYY-MM-DD (Asia/Shanghai); times UTC.

CREATE TABLE review_reviews (
    id              INTEGER PRIMARY KEY,
    community_id    INTEGER NOT NULL REFERENCES org_nodes(id),
    title           TEXT NOT NULL,
    subject_kind    TEXT NOT NULL CHECK (subject_kind IN ('committee', 'staff', 'property')),
    subject_name    TEXT NOT NULL,
    report          TEXT NOT NULL,
    -- The dimensions rated, a JSON array of names.
    dimensions      TEXT NOT NULL,
    until           TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'published')),
    -- The paper forms' count (gongzhi_domain::review::Forms as JSON), once entered.
    forms           TEXT,
    -- The published result (gongzhi_domain::review::ReviewResult as JSON).
    result          TEXT,
    created_by      INTEGER NOT NULL REFERENCES accounts(id),
    created_at      TEXT NOT NULL
);
CREATE INDEX review_reviews_community ON review_reviews(community_id);

-- One ballot per representative, online or on paper: the key decides.
CREATE TABLE review_voters (
    review_id    INTEGER NOT NULL REFERENCES review_reviews(id),
    resident_id  INTEGER NOT NULL REFERENCES residents(id),
    channel      TEXT NOT NULL CHECK (channel IN ('online', 'paper')),
    recorded_by  INTEGER NOT NULL REFERENCES accounts(id),
    recorded_at  TEXT NOT NULL,
    PRIMARY KEY (review_id, resident_id)
);
CREATE TABLE review_ballots (
    key        TEXT PRIMARY KEY,
    review_id  INTEGER NOT NULL REFERENCES review_reviews(id),
    paper      INTEGER NOT NULL CHECK (paper IN (0, 1)),
    -- gongzhi_domain::review::ReviewBallot as JSON.
    ballot     TEXT NOT NULL
);
CREATE INDEX review_ballots_review ON review_ballots(review_id);
CREATE TRIGGER review_voters_no_update BEFORE UPDATE ON review_voters
BEGIN SELECT RAISE(ABORT, 'ballots are final'); END;
CREATE TRIGGER review_voters_no_delete BEFORE DELETE ON review_voters
BEGIN SELECT RAISE(ABORT, 'ballots are final'); END;
CREATE TRIGGER review_ballots_no_update BEFORE UPDATE ON review_ballots
BEGIN SELECT RAISE(ABORT, 'ballots are final'); END;
CREATE TRIGGER review_ballots_no_delete BEFORE DELETE ON review_ballots
BEGIN SELECT RAISE(ABORT, 'ballots are final'); END;
