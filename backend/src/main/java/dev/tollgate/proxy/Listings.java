// Why: both dialects' model listings ("models" of /api/tags and /api/ps, "data" of /v1/models) are filtered
// the same way: keep only the entries whose name the caller may use.
package dev.tollgate.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.keys.Caller;
import java.util.function.BiFunction;

final class Listings {
    private Listings() {
    }

    /** A filter keeping the entries of {@code arrayField} whose {@code nameField} the caller is permitted. */
    static BiFunction<Caller, JsonNode, JsonNode> keepPermitted(String arrayField, String nameField) {
        return (caller, listing) -> {
            if (listing instanceof ObjectNode root && root.path(arrayField) instanceof ArrayNode entries) {
                ArrayNode kept = root.arrayNode();
                entries.forEach(m -> {
                    if (caller.permits(m.path(nameField).asText(""))) {
                        kept.add(m);
                    }
                });
                root.set(arrayField, kept);
            }
            return listing;
        };
    }
}
