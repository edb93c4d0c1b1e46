-- Residents decide the practical projects (百姓定实事政府做). Money in whole
-- fen; dates YYYY-MM-DD (Asia/Shanghai); times UTC RFC 3339.

-- A resident's account names the resident on the register it is: votes are
-- by register entry (one resident, one vote), not by account.
ALTER TABLE accounts ADD COLUMN resident_id INTEGER REFERENCES residents(id);
-- Residents' representatives (居民代表) vote in representative rounds.
ALTER TABLE residents ADD COLUMN representative INTEGER NOT NULL DEFAULT 0 CHECK (representative IN (0, 1));

CREATE TABLE participation_rounds (
    id               INTEGER PRIMARY KEY,
    community_id     INTEGER NOT NULL REFERENCES org_nodes(id),
    title            TEXT NOT NULL,
    status           TEXT NOT NULL DEFAULT 'proposing'
                         CHECK (status IN ('proposing', 'screening', 'voting', 'counted')),
    places           INTEGER NOT NULL CHECK (places > 0),
    budget_fen       INTEGER NOT NULL CHECK (budget_fen >= 0),
    max_picks        INTEGER NOT NULL CHECK (max_picks > 0),
    within_budget    INTEGER NOT NULL CHECK (within_budget IN (0, 1)),
    margin_percent   INTEGER NOT NULL CHECK (margin_percent > 100),
    voters           TEXT NOT NULL CHECK (voters IN ('residents', 'representatives')),
    proposals_until  TEXT NOT NULL,
    voting_until     TEXT NOT NULL,
    -- The public draw's seed, fixed and published when voting opens.
    seed             TEXT,
    -- The published tally (gongzhi_domain::ballot::Tally as JSON), when counted.
    result           TEXT,
    created_by       INTEGER NOT NULL REFERENCES accounts(id),
    created_at       TEXT NOT NULL
);
CREATE INDEX participation_rounds_community ON participation_rounds(community_id);

CREATE TABLE participation_proposals (
    id             INTEGER PRIMARY KEY,
    round_id       INTEGER NOT NULL REFERENCES participation_rounds(id),
    title          TEXT NOT NULL,
    problem        TEXT NOT NULL,
    place          TEXT NOT NULL,
    beneficiaries  TEXT NOT NULL,
    channel        TEXT NOT NULL CHECK (channel IN ('online', 'paper', 'phone', 'meeting')),
    status         TEXT NOT NULL DEFAULT 'submitted' CHECK (status IN ('submitted', 'merged', 'candidate', 'not_taken')),
    merged_into    INTEGER REFERENCES participation_proposals(id),
    feasibility    TEXT,
    department_id  INTEGER REFERENCES departments(id),
    cost_fen       INTEGER CHECK (cost_fen IS NULL OR cost_fen > 0),
    reason         TEXT,
    created_by     INTEGER NOT NULL REFERENCES accounts(id),
    created_at     TEXT NOT NULL
);
CREATE INDEX participation_proposals_round ON participation_proposals(round_id);

-- Every resident behind a proposal (a merge keeps them all).
CREATE TABLE participation_proposers (
    proposal_id  INTEGER NOT NULL REFERENCES participation_proposals(id),
    resident_id  INTEGER NOT NULL REFERENCES residents(id),
    channel      TEXT NOT NULL,
    recorded_by  INTEGER NOT NULL REFERENCES accounts(id),
    recorded_at  TEXT NOT NULL,
    PRIMARY KEY (proposal_id, resident_id)
);

-- Who voted (one row per resident per round: the key decides, whatever the
-- channel) and, apart, what was voted: a ballot row has a random key and no
-- time or resident, so the two cannot be joined (secret ballot).
CREATE TABLE participation_voters (
    round_id     INTEGER NOT NULL REFERENCES participation_rounds(id),
    resident_id  INTEGER NOT NULL REFERENCES residents(id),
    channel      TEXT NOT NULL CHECK (channel IN ('online', 'paper', 'door_to_door')),
    grid_id      INTEGER REFERENCES org_nodes(id),
    recorded_by  INTEGER NOT NULL REFERENCES accounts(id),
    voted_at     TEXT NOT NULL,
    PRIMARY KEY (round_id, resident_id)
);
CREATE TABLE participation_ballots (
    key       TEXT PRIMARY KEY,
    round_id  INTEGER NOT NULL REFERENCES participation_rounds(id),
    channel   TEXT NOT NULL CHECK (channel IN ('online', 'paper', 'door_to_door')),
    -- gongzhi_domain::ballot::Verdict as JSON.
    verdict   TEXT NOT NULL
);
CREATE INDEX participation_ballots_round ON participation_ballots(round_id);
CREATE TRIGGER participation_voters_no_update BEFORE UPDATE ON participation_voters
BEGIN SELECT RAISE(ABORT, 'votes are final'); END;
CREATE TRIGGER participation_voters_no_delete BEFORE DELETE ON participation_voters
BEGIN SELECT RAISE(ABORT, 'votes are final'); END;
CREATE TRIGGER participation_ballots_no_update BEFORE UPDATE ON participation_ballots
BEGIN SELECT RAISE(ABORT, 'votes are final'); END;
CREATE TRIGGER participation_ballots_no_delete BEFORE DELETE ON participation_ballots
BEGIN SELECT RAISE(ABORT, 'votes are final'); END;

-- Paper ballots entered twice by two staff: the first entry waits for the
-- second; a match casts the ballot (and clears the marks kept here).
CREATE TABLE participation_paper_entries (
    id           INTEGER PRIMARY KEY,
    round_id     INTEGER NOT NULL REFERENCES participation_rounds(id),
    resident_id  INTEGER NOT NULL REFERENCES residents(id),
    mark         TEXT NOT NULL,
    entered_by   INTEGER NOT NULL REFERENCES accounts(id),
    entered_at   TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'matched', 'mismatch')),
    second_by    INTEGER REFERENCES accounts(id),
    UNIQUE (round_id, resident_id)
);

-- Chosen projects delivered in public (政府办), milestones and updates.
CREATE TABLE participation_deliveries (
    id             INTEGER PRIMARY KEY,
    round_id       INTEGER NOT NULL REFERENCES participation_rounds(id),
    proposal_id    INTEGER NOT NULL UNIQUE REFERENCES participation_proposals(id),
    progress       INTEGER NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    completed_on   TEXT
);
CREATE TABLE participation_milestones (
    id           INTEGER PRIMARY KEY,
    delivery_id  INTEGER NOT NULL REFERENCES participation_deliveries(id),
    name         TEXT NOT NULL,
    due_on       TEXT NOT NULL,
    done_on      TEXT
);
CREATE TABLE participation_updates (
    id           INTEGER PRIMARY KEY,
    delivery_id  INTEGER NOT NULL REFERENCES participation_deliveries(id),
    progress     INTEGER NOT NULL,
    note         TEXT NOT NULL,
    by_account   INTEGER NOT NULL REFERENCES accounts(id),
    at           TEXT NOT NULL
);
-- Residents rate a completed project, once each (效果票评).
CREATE TABLE participation_ratings (
    delivery_id  INTEGER NOT NULL REFERENCES participation_deliveries(id),
    resident_id  INTEGER NOT NULL REFERENCES residents(id),
    rating       TEXT NOT NULL CHECK (rating IN ('satisfied', 'fair', 'unsatisfied')),
    rated_at     TEXT NOT NULL,
    PRIMARY KEY (delivery_id, resident_id)
);
