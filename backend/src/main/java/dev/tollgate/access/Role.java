// Why: the three admin roles of the contract; one enum so every check names the same values the database stores.
package dev.tollgate.access;

import java.util.Arrays;
import java.util.Optional;

/** {@code admin}: everything; {@code tenant_admin}: one tenant's keys and usage; {@code viewer}: read only. */
public enum Role {
    ADMIN("admin"),
    TENANT_ADMIN("tenant_admin"),
    VIEWER("viewer");

    private final String wire;

    Role(String wire) {
        this.wire = wire;
    }

    /** The name stored in {@code admin_users.role} and shown by the API. */
    public String wire() {
        return wire;
    }

    public static Optional<Role> parse(String wire) {
        return Arrays.stream(values()).filter(r -> r.wire.equals(wire)).findFirst();
    }
}
