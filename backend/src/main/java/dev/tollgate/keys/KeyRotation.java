// Why: rotating a key replaces it without an outage: the new key (same tenant, name, limits, models, expiry and
// prompt logging) works at once, and the old one keeps working until its grace ends (revoked_at in the future;
// status "rotating" meanwhile), then is refused by every replica to the second. A revoked or expired key cannot be
// rotated (409): there is nothing left to hand over, and a new key is the honest answer.
package dev.tollgate.keys;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.access.Principal;
import dev.tollgate.audit.AuditAction;
import dev.tollgate.audit.AuditLog;
import dev.tollgate.storage.Ids;
import dev.tollgate.web.Conflict;
import dev.tollgate.web.FieldError;
import dev.tollgate.web.JsonFields;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;

@Singleton
public class KeyRotation {
    /** The longest grace: one week. */
    public static final long MAX_GRACE_SECONDS = 604_800;
    private final KeyRepository keys;
    private final KeyService visible;
    private final KeyHasher hasher;
    private final KeyChanges changes;
    private final AuditLog audit;
    private final Clock clock;

    public KeyRotation(KeyRepository keys, KeyService visible, KeyHasher hasher, KeyChanges changes,
                       AuditLog audit, Clock clock) {
        this.keys = keys;
        this.visible = visible;
        this.hasher = hasher;
        this.changes = changes;
        this.audit = audit;
        this.clock = clock;
    }

    /** What the audit entry of a rotation holds after the change: the rotated-out key and its replacement. */
    public record Rotated(ApiKey rotated, ApiKey replacement) {
    }

    /**
     * Creates the replacement (answered with its plaintext, shown only here) and ends the old key after
     * {@code grace_seconds} (0-604800, default 0: at once). Rotating a key that is already rotating never extends
     * its first grace. One audit entry, {@code key.rotate}, in the same transaction.
     */
    @Transactional
    public ApiKey rotate(String id, JsonNode body, Principal principal) {
        principal.requireWrite();
        KeyRow old = visible.row(principal, id);
        long grace = graceSeconds(new JsonFields(body, Set.of("grace_seconds")));
        // the database keeps microseconds: the answer shows the times a later read shows
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        if (old.revokedAt() != null && !old.revokedAt().isAfter(now)) {
            throw new Conflict(null, "this key is revoked and cannot be rotated; create a new key");
        }
        if (old.expiresAt() != null && !old.expiresAt().isAfter(now)) {
            throw new Conflict(null, "this key has expired and cannot be rotated; create a new key");
        }
        Instant end = now.plusSeconds(grace);
        if (old.revokedAt() != null && old.revokedAt().isBefore(end)) {
            end = old.revokedAt();
        }
        KeyRow retired = new KeyRow(old.id(), old.tenantId(), old.name(), old.keyHash(), old.prefix(), old.limits(),
                old.allowedModels(), old.expiresAt(), end, old.createdAt(), now, old.lastUsedAt(), old.logPrompts());
        keys.update(retired);
        String plaintext = ApiKeyFormat.generate();
        KeyRow fresh = keys.save(new KeyRow(Ids.next("key"), old.tenantId(), old.name(), hasher.hash(plaintext),
                ApiKeyFormat.shownPrefix(plaintext), old.limits(), old.allowedModels(), old.expiresAt(), null, now, now,
                null, old.logPrompts()));
        ApiKey replacement = ApiKey.of(fresh, now, null);
        audit.record(principal.actor(), AuditAction.KEY_ROTATE, old.id(), old.tenantId(), ApiKey.of(old, now, null),
                new Rotated(ApiKey.of(retired, now, null), replacement));
        changes.key(old.keyHash());
        return ApiKey.of(fresh, now, plaintext);
    }

    private static long graceSeconds(JsonFields f) {
        JsonNode v = f.raw("grace_seconds");
        if (v == null || v.isNull()) {
            return 0;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0 || v.asLong() > MAX_GRACE_SECONDS) {
            throw new FieldError("grace_seconds", "must be a whole number of seconds from 0 to " + MAX_GRACE_SECONDS);
        }
        return v.asLong();
    }
}
