// Why: limits and model lists are stored as JSON text; reading and writing them is shared by tenants and keys.
package dev.tollgate.storage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.limits.Limits;
import java.util.List;

public final class JsonColumns {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private JsonColumns() {
    }

    public static Limits limits(String json) {
        if (json == null || json.isBlank() || json.equals("{}")) {
            return Limits.NONE;
        }
        return read(json, new TypeReference<>() { });
    }

    public static String limits(Limits limits) {
        return write(limits == null ? Limits.NONE : limits);
    }

    public static List<String> models(String json) {
        return json == null ? null : read(json, new TypeReference<List<String>>() { });
    }

    public static String models(List<String> models) {
        return models == null ? null : write(models);
    }

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt JSON column: " + e.getOriginalMessage(), e);
        }
    }

    private static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
