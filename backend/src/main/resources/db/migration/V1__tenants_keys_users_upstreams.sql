-- Tenants, their API keys, admin users, upstreams and server secrets.
CREATE TABLE tenants (
    id             TEXT PRIMARY KEY,
    name           TEXT        NOT NULL,
    limits         TEXT        NOT NULL DEFAULT '{}',
    allowed_models TEXT,
    disabled       BOOLEAN     NOT NULL DEFAULT FALSE,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    deleted_at     TIMESTAMPTZ
);
-- names are unique among live tenants; a deleted tenant keeps its row for usage history
CREATE UNIQUE INDEX tenants_name_live ON tenants (lower(name)) WHERE deleted_at IS NULL;

CREATE TABLE api_keys (
    id             TEXT PRIMARY KEY,
    tenant_id      TEXT        NOT NULL REFERENCES tenants (id),
    name           TEXT        NOT NULL,
    key_hash       TEXT        NOT NULL,
    prefix         TEXT        NOT NULL,
    limits         TEXT        NOT NULL DEFAULT '{}',
    allowed_models TEXT,
    expires_at     TIMESTAMPTZ,
    revoked_at     TIMESTAMPTZ,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    last_used_at   TIMESTAMPTZ
);
-- O(1) authentication: the keyed hash of the presented key is the lookup key
CREATE UNIQUE INDEX api_keys_hash ON api_keys (key_hash);
CREATE INDEX api_keys_tenant ON api_keys (tenant_id, id);

CREATE TABLE admin_users (
    id            TEXT PRIMARY KEY,
    username      TEXT        NOT NULL,
    password_hash TEXT        NOT NULL,
    role          TEXT        NOT NULL CHECK (role IN ('admin', 'tenant_admin', 'viewer')),
    tenant_id     TEXT REFERENCES tenants (id),
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX admin_users_username ON admin_users (lower(username));

CREATE TABLE upstreams (
    id         TEXT PRIMARY KEY,
    name       TEXT        NOT NULL,
    kind       TEXT        NOT NULL CHECK (kind IN ('ollama', 'openai')),
    base_url   TEXT        NOT NULL,
    api_key    TEXT,
    weight     INTEGER     NOT NULL DEFAULT 1,
    enabled    BOOLEAN     NOT NULL DEFAULT TRUE,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX upstreams_name ON upstreams (name);

-- secrets shared by every replica (key hashing, session signing) when TOLLGATE_SECRET is not set
CREATE TABLE server_secrets (
    name       TEXT PRIMARY KEY,
    value      TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
