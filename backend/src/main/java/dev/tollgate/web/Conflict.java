// Why: a request that collides with existing state (a duplicate name) answers 409 naming the field.
package dev.tollgate.web;

public final class Conflict extends RuntimeException {
    private final String field;

    public Conflict(String field, String message) {
        super(message, null, false, false);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
