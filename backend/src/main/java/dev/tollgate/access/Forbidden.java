// Why: an authenticated admin user asking for something its role does not allow gets 403 with a message saying
// which role it would need; it is never used for another tenant's ids (those answer 404, as if absent).
package dev.tollgate.access;

public class Forbidden extends RuntimeException {
    public Forbidden(String message) {
        super(message, null, false, false);
    }
}
