-- The request log (one row per model call, written after the response ends), the daily rollups the usage
-- report reads, and the prompts of keys that opted into prompt logging.

ALTER TABLE api_keys ADD COLUMN log_prompts BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE request_log (
    request_id        TEXT PRIMARY KEY,
    created_at        TIMESTAMPTZ NOT NULL,  -- when the request arrived
    tenant_id         TEXT        NOT NULL,
    key_id            TEXT        NOT NULL,
    model             TEXT,                  -- null when the body named none (malformed request)
    upstream          TEXT,                  -- the upstream's name; null when none was chosen
    endpoint          TEXT        NOT NULL,  -- the client's path, e.g. /v1/chat/completions
    dialect           TEXT        NOT NULL,  -- ollama | openai
    status            INTEGER     NOT NULL,  -- the status the client received
    prompt_tokens     BIGINT      NOT NULL,
    completion_tokens BIGINT      NOT NULL,
    estimated         BOOLEAN     NOT NULL,  -- true when the upstream reported no usage and Tollgate counted
    cost_micros       BIGINT      NOT NULL,  -- USD × 1e6
    ttfb_ms           INTEGER,               -- time to the first byte of the answer; null when none was sent
    total_ms          INTEGER     NOT NULL,
    stream            BOOLEAN     NOT NULL,
    error_code        TEXT,                  -- null for a complete answer, else why it failed or ended early
    day               DATE        NOT NULL   -- created_at's day in TOLLGATE_TIMEZONE, the rollup it counts in
);
CREATE INDEX request_log_created ON request_log (created_at);
CREATE INDEX request_log_tenant_created ON request_log (tenant_id, created_at);
CREATE INDEX request_log_key_created ON request_log (key_id, created_at);

-- day × tenant × key × model; updated in the transaction that inserts the rows it sums, from the rows actually
-- inserted, so a retried batch counts nothing twice. Kept when request-log rows expire.
CREATE TABLE usage_daily (
    day               DATE   NOT NULL,
    tenant_id         TEXT   NOT NULL,
    key_id            TEXT   NOT NULL,
    model             TEXT   NOT NULL,       -- '' for calls that named no model
    requests          BIGINT NOT NULL,
    errors            BIGINT NOT NULL,
    prompt_tokens     BIGINT NOT NULL,
    completion_tokens BIGINT NOT NULL,
    cost_micros       BIGINT NOT NULL,
    PRIMARY KEY (day, tenant_id, key_id, model)
);
CREATE INDEX usage_daily_tenant_day ON usage_daily (tenant_id, day);
CREATE INDEX usage_daily_key_day ON usage_daily (key_id, day);

CREATE TABLE prompt_log (
    request_id TEXT PRIMARY KEY,
    created_at TIMESTAMPTZ NOT NULL,
    tenant_id  TEXT        NOT NULL,
    key_id     TEXT        NOT NULL,
    body       TEXT        NOT NULL          -- the request body as the client sent it
);
CREATE INDEX prompt_log_created ON prompt_log (created_at);
