-- Login throttling beside the per-account counter in `accounts`: one row per
-- login name that is not an account (so an unknown name locks exactly like a
-- real one and names cannot be probed through the lock), and one per client
-- address (failures across every name within one window). Rows whose window
-- and lock have both passed are deleted as new failures arrive.
CREATE TABLE login_throttle (
    key          TEXT PRIMARY KEY NOT NULL,   -- 'name:<login name>' or 'addr:<client address>'
    failures     BIGINT NOT NULL,
    -- UTC, RFC 3339: when the counting window ends
    window_until TEXT NOT NULL,
    -- UTC, RFC 3339: a lock on the name, if one was taken
    locked_until TEXT
);
CREATE INDEX login_throttle_window ON login_throttle(window_until);
