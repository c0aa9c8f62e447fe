// Why: what the proxy knows about an authenticated key, resolved once and cached, so a warm request needs no
// database call.
package dev.tollgate.keys;

import dev.tollgate.limits.Limits;
import java.time.Instant;

/** An authenticated API key together with its tenant; {@code logPrompts}: the key's request bodies are kept. */
public record Caller(
        String keyId,
        String keyName,
        String tenantId,
        String tenantName,
        Limits keyLimits,
        Limits tenantLimits,
        AllowedModels keyModels,
        AllowedModels tenantModels,
        Instant expiresAt,
        boolean logPrompts) {

    public boolean permits(String model) {
        return tenantModels.permits(model) && keyModels.permits(model);
    }

    public boolean expiredAt(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }
}
