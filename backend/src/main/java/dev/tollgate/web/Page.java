// Why: every admin list answers {"items": [...], "next_cursor": ...} and takes ?limit=&cursor=.
package dev.tollgate.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.core.annotation.Introspected;
import java.util.List;
import java.util.function.Function;

@Introspected
public record Page<T>(List<T> items, @JsonProperty("next_cursor") String nextCursor) {
    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;

    /** Checks a {@code limit} query parameter. */
    public static int limit(Integer requested) {
        if (requested == null) {
            return DEFAULT_LIMIT;
        }
        if (requested < 1 || requested > MAX_LIMIT) {
            throw new FieldError("limit", "must be from 1 to " + MAX_LIMIT);
        }
        return requested;
    }

    /** Builds a page from rows fetched with {@code limit + 1}, so the extra row tells whether more exist. */
    public static <R, T> Page<T> of(List<R> rows, int limit, Function<R, String> id, Function<R, T> view) {
        boolean more = rows.size() > limit;
        List<R> shown = more ? rows.subList(0, limit) : rows;
        return new Page<>(shown.stream().map(view).toList(), more ? id.apply(shown.get(shown.size() - 1)) : null);
    }

    public static String cursor(String cursor) {
        if (cursor == null) {
            return "";
        }
        if (cursor.length() > 100 || !cursor.matches("[A-Za-z0-9_]+")) {
            throw new FieldError("cursor", "is not a cursor returned by this list");
        }
        return cursor;
    }
}
