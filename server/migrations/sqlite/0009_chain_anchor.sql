-- Anchoring the audit trail and the seal registers outside the database, the
-- append-only tables that had no triggers, and two-factor sign-in.

-- Keyed links: HMAC-SHA256 of (chain, seq, hash) with a key kept outside the
-- database (GONGZHI_AUDIT_KEY or $GONGZHI_KEY_DIR/gongzhi.key). Without the key a
-- consistent rewrite (hashes recomputed) no longer verifies. Links written
-- before this migration keep `mac` NULL and verify by hash as before.
ALTER TABLE audit_log ADD COLUMN mac TEXT;
ALTER TABLE seal_register ADD COLUMN mac TEXT;
-- The head's MAC: cutting links off the end needs the key too.
ALTER TABLE audit_head ADD COLUMN mac TEXT;
ALTER TABLE seal_register_head ADD COLUMN mac TEXT;

-- Where each chain's keyed links begin (`audit`, `seal:<community id>`), with
-- its own MAC: written once, at the first keyed start, for chains that had
-- links already. A chain without a row is keyed from link 1.
CREATE TABLE chain_anchor (
    chain      TEXT PRIMARY KEY,
    keyed_from INTEGER NOT NULL,
    mac        TEXT NOT NULL
);
CREATE TRIGGER chain_anchor_no_update BEFORE UPDATE ON chain_anchor
BEGIN SELECT RAISE(ABORT, 'chain_anchor is append-only'); END;
CREATE TRIGGER chain_anchor_no_delete BEFORE DELETE ON chain_anchor
BEGIN SELECT RAISE(ABORT, 'chain_anchor is append-only'); END;

-- Timelines and records that are only ever appended.
CREATE TRIGGER event_steps_no_update BEFORE UPDATE ON event_steps
BEGIN SELECT RAISE(ABORT, 'event_steps is append-only'); END;
CREATE TRIGGER event_steps_no_delete BEFORE DELETE ON event_steps
BEGIN SELECT RAISE(ABORT, 'event_steps is append-only'); END;
CREATE TRIGGER admission_events_no_update BEFORE UPDATE ON admission_events
BEGIN SELECT RAISE(ABORT, 'admission_events is append-only'); END;
CREATE TRIGGER admission_events_no_delete BEFORE DELETE ON admission_events
BEGIN SELECT RAISE(ABORT, 'admission_events is append-only'); END;
CREATE TRIGGER visits_no_update BEFORE UPDATE ON visits
BEGIN SELECT RAISE(ABORT, 'visits is append-only'); END;
CREATE TRIGGER visits_no_delete BEFORE DELETE ON visits
BEGIN SELECT RAISE(ABORT, 'visits is append-only'); END;
CREATE TRIGGER cleanup_reviews_no_update BEFORE UPDATE ON cleanup_reviews
BEGIN SELECT RAISE(ABORT, 'cleanup_reviews is append-only'); END;
CREATE TRIGGER cleanup_reviews_no_delete BEFORE DELETE ON cleanup_reviews
BEGIN SELECT RAISE(ABORT, 'cleanup_reviews is append-only'); END;

-- Two-factor sign-in (TOTP, RFC 6238). The secret is stored encrypted
-- (XChaCha20-Poly1305, key derived from the key outside the database);
-- `confirmed_at` is set once the account proved it with a code; `last_step`
-- refuses a code used before.
CREATE TABLE account_totp (
    account_id   INTEGER PRIMARY KEY REFERENCES accounts(id),
    secret_enc   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    confirmed_at TEXT,
    last_step    INTEGER NOT NULL DEFAULT 0
);

-- Recovery codes: only their HMAC (keyed like the chains) is stored; each
-- works once.
CREATE TABLE totp_recovery_codes (
    id         INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    code_mac   TEXT NOT NULL UNIQUE,
    used_at    TEXT
);
CREATE INDEX totp_recovery_codes_account ON totp_recovery_codes(account_id);

-- A session whose password step passed but whose code step has not: it
-- reaches only /auth/me, /auth/totp/verify and /auth/logout.
ALTER TABLE sessions ADD COLUMN second_factor_pending INTEGER NOT NULL DEFAULT 0;
