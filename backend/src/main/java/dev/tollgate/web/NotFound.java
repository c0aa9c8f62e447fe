// Why: an id the caller may not see and an id that does not exist answer alike (404).
package dev.tollgate.web;

public final class NotFound extends RuntimeException {
    public NotFound(String what) {
        super(what + " not found", null, false, false);
    }
}
