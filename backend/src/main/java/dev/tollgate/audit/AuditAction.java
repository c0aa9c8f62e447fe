// Why: the audit trail's vocabulary in one place: every recorded change is one of these, and the action also
// fixes the type of its target, so a filter by action or target type can only name what exists.
package dev.tollgate.audit;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

public enum AuditAction {
    TENANT_CREATE("tenant.create"),
    TENANT_UPDATE("tenant.update"),
    TENANT_DELETE("tenant.delete"),
    KEY_CREATE("key.create"),
    KEY_UPDATE("key.update"),
    KEY_REVOKE("key.revoke"),
    KEY_ROTATE("key.rotate"),
    PRICING_UPDATE("pricing.update"),
    USER_CREATE("user.create"),
    USER_UPDATE("user.update"),
    USER_DELETE("user.delete"),
    UPSTREAM_CREATE("upstream.create"),
    UPSTREAM_UPDATE("upstream.update"),
    UPSTREAM_DELETE("upstream.delete");

    private final String code;

    AuditAction(String code) {
        this.code = code;
    }

    /** As stored and shown, e.g. {@code tenant.create}. */
    public String code() {
        return code;
    }

    /** What the action changes: the part before the dot ({@code tenant}, {@code key}, {@code pricing}). */
    public String targetType() {
        return code.substring(0, code.indexOf('.'));
    }

    public static Optional<AuditAction> of(String code) {
        return Arrays.stream(values()).filter(a -> a.code.equals(code)).findFirst();
    }

    public static List<String> codes() {
        return Arrays.stream(values()).map(AuditAction::code).toList();
    }

    public static List<String> targetTypes() {
        return Arrays.stream(values()).map(AuditAction::targetType).distinct().toList();
    }
}
