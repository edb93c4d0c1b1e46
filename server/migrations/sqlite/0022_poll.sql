-- Opinion polls (民意调查). Who answered is kept apart from what was
-- answered, as for votes: an answers row has a random key and no resident
-- or time. Dates YYYY-MM-DD (Asia/Shanghai); times UTC.

CREATE TABLE poll_polls (
    id              INTEGER PRIMARY KEY,
    community_id    INTEGER NOT NULL REFERENCES org_nodes(id),
    title           TEXT NOT NULL,
    intro           TEXT NOT NULL,
    -- gongzhi_domain::poll::Audience as JSON.
    audience        TEXT NOT NULL,
    -- The questions, gongzhi_domain::poll::Question as a JSON array.
    questions       TEXT NOT NULL,
    until           TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    created_by      INTEGER NOT NULL REFERENCES accounts(id),
    created_at      TEXT NOT NULL
);
CREATE INDEX poll_polls_community ON poll_polls(community_id);

-- One questionnaire per resident, whatever the channel: the unique key
-- decides. A staff entry carries the tablet's key (unique within the poll),
-- so an outbox sending it again finds it instead of a second row. Nothing
-- here is derived from the answers: they cannot be matched back to a row.
CREATE TABLE poll_respondents (
    id               INTEGER PRIMARY KEY,
    poll_id          INTEGER NOT NULL REFERENCES poll_polls(id),
    resident_id      INTEGER NOT NULL REFERENCES residents(id),
    channel          TEXT NOT NULL CHECK (channel IN ('online', 'paper', 'door_to_door')),
    idempotency_key  TEXT,
    recorded_by      INTEGER NOT NULL REFERENCES accounts(id),
    recorded_at      TEXT NOT NULL,
    UNIQUE (poll_id, resident_id),
    UNIQUE (poll_id, idempotency_key)
);
-- The answers under a random key: in SQLite without a rowid, so the order
-- of storage (which would follow poll_respondents.id) is the key's order.
CREATE TABLE poll_answers (
    key        TEXT PRIMARY KEY,
    poll_id    INTEGER NOT NULL REFERENCES poll_polls(id),
    channel    TEXT NOT NULL CHECK (channel IN ('online', 'paper', 'door_to_door')),
    -- The answers, gongzhi_domain::poll::Answer as a JSON array.
    answers    TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX poll_answers_poll ON poll_answers(poll_id);
CREATE TRIGGER poll_respondents_no_update BEFORE UPDATE ON poll_respondents
BEGIN SELECT RAISE(ABORT, 'questionnaires are final'); END;
CREATE TRIGGER poll_respondents_no_delete BEFORE DELETE ON poll_respondents
BEGIN SELECT RAISE(ABORT, 'questionnaires are final'); END;
CREATE TRIGGER poll_answers_no_update BEFORE UPDATE ON poll_answers
BEGIN SELECT RAISE(ABORT, 'questionnaires are final'); END;
CREATE TRIGGER poll_answers_no_delete BEFORE DELETE ON poll_answers
BEGIN SELECT RAISE(ABORT, 'questionnaires are final'); END;
