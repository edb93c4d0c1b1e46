-- Public disclosure of community affairs (居务公开): each community's
-- directory, its publications (never edited: a correction is a new
-- publication) and residents' questions and objections with public answers.
-- Dates YYYY-MM-DD (Asia/Shanghai); times UTC RFC 3339.

CREATE TABLE disclosure_items (
    id            INTEGER PRIMARY KEY,
    community_id  INTEGER NOT NULL REFERENCES org_nodes(id),
    -- The default directory's code, or custom-<n> for an item the community added.
    code          TEXT NOT NULL,
    item          TEXT NOT NULL,
    content       TEXT NOT NULL,
    basis         TEXT NOT NULL,
    frequency     TEXT NOT NULL CHECK (frequency IN ('monthly', 'quarterly', 'yearly', 'at_once')),
    -- DisclosureChannel codes, comma-separated.
    channels      TEXT NOT NULL,
    owner         TEXT NOT NULL,
    -- Periods that end before this day owe nothing (the item was not yet in the directory).
    since         TEXT NOT NULL,
    added_by      INTEGER NOT NULL REFERENCES accounts(id),
    added_at      TEXT NOT NULL,
    UNIQUE (community_id, code)
);

CREATE TABLE disclosure_publications (
    id            INTEGER PRIMARY KEY,
    item_id       INTEGER NOT NULL REFERENCES disclosure_items(id),
    -- The period's key (2026-11, 2026-Q3, 2026); '' for items disclosed at once.
    period        TEXT NOT NULL,
    title         TEXT NOT NULL,
    body          TEXT NOT NULL,
    -- A JSON array of the documents posted with it.
    attachments   TEXT NOT NULL,
    published_on  TEXT NOT NULL,
    published_by  INTEGER NOT NULL REFERENCES accounts(id),
    published_at  TEXT NOT NULL
);
-- One publication per item and period (at-once items publish as often as needed).
CREATE UNIQUE INDEX disclosure_publications_one_per_period ON disclosure_publications(item_id, period) WHERE period <> '';
CREATE TRIGGER disclosure_publications_no_update BEFORE UPDATE ON disclosure_publications
BEGIN SELECT RAISE(ABORT, 'publications are final'); END;
CREATE TRIGGER disclosure_publications_no_delete BEFORE DELETE ON disclosure_publications
BEGIN SELECT RAISE(ABORT, 'publications are final'); END;

CREATE TABLE disclosure_questions (
    id              INTEGER PRIMARY KEY,
    publication_id  INTEGER NOT NULL REFERENCES disclosure_publications(id),
    kind            TEXT NOT NULL CHECK (kind IN ('question', 'objection')),
    text            TEXT NOT NULL,
    -- Who asked is kept for the committee's reply, never shown in public.
    asked_by        INTEGER NOT NULL REFERENCES accounts(id),
    asked_at        TEXT NOT NULL,
    asked_on        TEXT NOT NULL,
    answer          TEXT,
    answered_by     INTEGER REFERENCES accounts(id),
    answered_on     TEXT
);
CREATE INDEX disclosure_questions_publication ON disclosure_questions(publication_id);
