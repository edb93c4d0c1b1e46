-- Funding follows the work (费随事转): payments to communities, and the
-- households each community has (the usual weight for splitting a total).

ALTER TABLE org_nodes ADD COLUMN households BIGINT NOT NULL DEFAULT 0 CHECK (households >= 0);

-- 拨付: one row per payment to one community for one period of one admitted
-- item. Append-only: a correction is a new row (usually negative) that points
-- at the row it corrects.
CREATE TABLE funding_payments (
    id              BIGSERIAL PRIMARY KEY,
    idempotency_key TEXT NOT NULL UNIQUE,
    request_sha256  TEXT NOT NULL,
    application_id  BIGINT NOT NULL REFERENCES admission_applications(id),
    community_id    BIGINT NOT NULL REFERENCES org_nodes(id),
    period_index    BIGINT NOT NULL CHECK (period_index >= 1),
    paid_on         TEXT NOT NULL,
    amount_fen      BIGINT NOT NULL CHECK (amount_fen != 0),
    voucher_no      TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('payment', 'correction')),
    corrects_id     BIGINT REFERENCES funding_payments(id),
    note            TEXT NOT NULL DEFAULT '',
    recorded_by     BIGINT NOT NULL REFERENCES accounts(id),
    recorded_at     TEXT NOT NULL
);
CREATE INDEX funding_payments_line ON funding_payments(application_id, community_id, period_index);
CREATE UNIQUE INDEX funding_payments_one_correction ON funding_payments(corrects_id) WHERE corrects_id IS NOT NULL;

CREATE TRIGGER funding_payments_no_update BEFORE UPDATE ON funding_payments
    FOR EACH ROW EXECUTE PROCEDURE refuse_change('funding payments are append-only: record a correction');
CREATE TRIGGER funding_payments_no_delete BEFORE DELETE ON funding_payments
    FOR EACH ROW EXECUTE PROCEDURE refuse_change('funding payments are append-only: record a correction');
CREATE TRIGGER funding_payments_no_truncate BEFORE TRUNCATE ON funding_payments
    FOR EACH STATEMENT EXECUTE PROCEDURE refuse_change('funding payments are append-only: record a correction');
