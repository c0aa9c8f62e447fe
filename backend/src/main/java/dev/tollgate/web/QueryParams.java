// Why: a report or list read with a misspelt parameter (?group=model, ?tenantid=...) would silently answer
// something else; query strings are checked like admin bodies: unknown or repeated names are a 400 naming them.
package dev.tollgate.web;

import io.micronaut.core.convert.value.ConvertibleMultiValues;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The query parameters of one request, each given at most once; an empty value counts as absent. */
public final class QueryParams {
    private static final int MAX_VALUE = 1000;
    private final Map<String, String> values;

    private QueryParams(Map<String, String> values) {
        this.values = values;
    }

    public static QueryParams of(ConvertibleMultiValues<String> parameters, Set<String> allowed) {
        Map<String, String> values = new HashMap<>();
        for (String name : parameters.names()) {
            if (!allowed.contains(name)) {
                throw new FieldError(name, "is not a known parameter (expected one of " + String.join(", ",
                        allowed.stream().sorted().toList()) + ")");
            }
            List<String> all = parameters.getAll(name);
            if (all.size() > 1) {
                throw new FieldError(name, "must be given at most once");
            }
            String v = all.isEmpty() ? "" : all.get(0);
            if (v.length() > MAX_VALUE) {
                throw new FieldError(name, "must be at most " + MAX_VALUE + " characters");
            }
            if (!v.isEmpty()) {
                values.put(name, v);
            }
        }
        return new QueryParams(values);
    }

    /** The value, or null when absent or empty. */
    public String get(String name) {
        return values.get(name);
    }

    /** The value as an id (of a tenant, key, request): at most 200 characters, no control characters; or null. */
    public String id(String name) {
        String v = values.get(name);
        if (v != null && (v.length() > 200 || v.chars().anyMatch(Character::isISOControl))) {
            throw new FieldError(name, "is not an id");
        }
        return v;
    }

    /** The value as a whole number, or null. */
    public Integer integer(String name) {
        String v = values.get(name);
        if (v == null) {
            return null;
        }
        try {
            return Integer.valueOf(v);
        } catch (NumberFormatException e) {
            throw new FieldError(name, "must be a whole number");
        }
    }
}
