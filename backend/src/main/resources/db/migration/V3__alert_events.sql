-- Budget alerts: one row each time a budget's used amount first reaches its alert_at share within one window.
-- The unique index makes that "once per window" across replicas: every replica may try the INSERT,
-- ON CONFLICT DO NOTHING lets exactly one win, and only the winner calls the webhook.
CREATE TABLE alert_events (
    id                 TEXT PRIMARY KEY,
    tenant_id          TEXT        NOT NULL REFERENCES tenants (id),
    key_id             TEXT REFERENCES api_keys (id),          -- NULL: the tenant's own budget
    budget_window      TEXT        NOT NULL,                    -- the contract's name: daily, 5h, total, ...
    window_start       TIMESTAMPTZ NOT NULL,
    limit_micros       BIGINT      NOT NULL,
    used_micros        BIGINT      NOT NULL,
    alert_at           NUMERIC     NOT NULL,
    created_at         TIMESTAMPTZ NOT NULL,
    webhook_status     TEXT        NOT NULL CHECK (webhook_status IN ('not_configured', 'pending', 'delivered', 'failed')),
    webhook_attempts   INTEGER     NOT NULL DEFAULT 0,
    webhook_last_error TEXT
);
CREATE UNIQUE INDEX alert_events_once_per_window
    ON alert_events (tenant_id, COALESCE(key_id, ''), budget_window, window_start);
CREATE INDEX alert_events_tenant ON alert_events (tenant_id, id);
