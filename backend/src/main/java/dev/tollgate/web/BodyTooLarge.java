// Why: a chunked admin body has no Content-Length to refuse it by; its size is checked once read, and this
// exception turns into the same 413 the Content-Length check gives.
package dev.tollgate.web;

/** An admin request body over TOLLGATE_ADMIN_MAX_BODY_BYTES. */
public final class BodyTooLarge extends RuntimeException {
    public BodyTooLarge(long max) {
        super(AdminBodyLimit.message(max), null, false, false);
    }
}
