-- The audit trail: one row per admin change, written in the change's own transaction.
-- No foreign keys: the trail outlives the users, tenants and keys it names. actor_name is the username at the
-- time of the change. target_id is NULL for changes of a table as a whole (pricing.update); tenant_id is the
-- tenant the target belongs to (NULL for pricing). before/after are the admin API's JSON of the target (NULL
-- before a create and after a delete); keys appear as their public record, never with a hash or plaintext.
CREATE TABLE audit_log (
    id          TEXT PRIMARY KEY,
    at          TIMESTAMPTZ NOT NULL,
    actor_id    TEXT        NOT NULL,
    actor_name  TEXT        NOT NULL,
    action      TEXT        NOT NULL,
    target_type TEXT        NOT NULL,
    target_id   TEXT,
    tenant_id   TEXT,
    before      TEXT,
    after       TEXT
);
-- Lists are newest first, paged by (at, id); each filter's index ends in (at, id) so a filtered page is read
-- in order from the index (scanned backwards) and stops after one page. target_type alone has a handful of
-- values, so it is filtered while walking the newest-first index.
CREATE INDEX audit_log_newest ON audit_log (at, id);
CREATE INDEX audit_log_tenant ON audit_log (tenant_id, at, id);
CREATE INDEX audit_log_target ON audit_log (target_id, at, id);
CREATE INDEX audit_log_action ON audit_log (action, at, id);
CREATE INDEX audit_log_actor_id ON audit_log (actor_id, at, id);
CREATE INDEX audit_log_actor_name ON audit_log (lower(actor_name), at, id);
