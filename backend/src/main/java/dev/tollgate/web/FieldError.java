// Why: validation failures of the admin API answer 400 {"error":{"message","field"}} naming the field.
package dev.tollgate.web;

/** A request field that failed validation. */
public final class FieldError extends RuntimeException {
    private final String field;

    public FieldError(String field, String message) {
        super(message, null, false, false);
        this.field = field;
    }

    public String field() {
        return field;
    }

    /** The full sentence shown to the caller, e.g. {@code "name must be 1-200 characters"}. */
    public String describe() {
        return field == null ? getMessage() : field + " " + getMessage();
    }
}
