-- Provisional deadlines (暂定截止日期) that moved when a year's holiday
-- schedule was loaded. Deadlines themselves are derived, never stored: this
-- is the record of what was shown before and after, kept for the file's
-- history (the audit trail has the same change). Append-only.
CREATE TABLE deadline_changes (
    id                BIGSERIAL PRIMARY KEY,
    subject           TEXT NOT NULL,          -- 'admission' or 'event'
    subject_id        BIGINT NOT NULL,
    label             TEXT NOT NULL,          -- e.g. the file number
    old_due           TEXT NOT NULL,          -- YYYY-MM-DD (Asia/Shanghai civil date)
    new_due           TEXT NOT NULL,
    schedule_year     BIGINT NOT NULL,       -- the year whose schedule was loaded
    still_provisional BIGINT NOT NULL DEFAULT 0,
    changed_at        TEXT NOT NULL           -- UTC, RFC 3339
);
CREATE INDEX deadline_changes_subject ON deadline_changes(subject, subject_id);

CREATE TRIGGER deadline_changes_no_update BEFORE UPDATE ON deadline_changes
    FOR EACH ROW EXECUTE PROCEDURE refuse_change('deadline_changes is append-only');
CREATE TRIGGER deadline_changes_no_delete BEFORE DELETE ON deadline_changes
    FOR EACH ROW EXECUTE PROCEDURE refuse_change('deadline_changes is append-only');
CREATE TRIGGER deadline_changes_no_truncate BEFORE TRUNCATE ON deadline_changes
    FOR EACH STATEMENT EXECUTE PROCEDURE refuse_change('deadline_changes is append-only');
