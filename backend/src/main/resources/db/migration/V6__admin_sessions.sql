-- Admin sessions: a token names its row, so logging out (or a password change) ends it on every replica.
-- A session goes with its user.
CREATE TABLE admin_sessions (
    id         TEXT PRIMARY KEY,
    user_id    TEXT        NOT NULL REFERENCES admin_users (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    revoked_at TIMESTAMPTZ
);
CREATE INDEX admin_sessions_user ON admin_sessions (user_id);
