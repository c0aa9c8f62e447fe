// Why: a missing, invalid or expired admin session answers 401 in the admin API's shape.
package dev.tollgate.admin;

public final class Unauthorized extends RuntimeException {
    public Unauthorized(String message) {
        super(message, null, false, false);
    }
}
