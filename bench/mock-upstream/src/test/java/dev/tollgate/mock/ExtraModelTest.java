// Verifies the extra model a test can give one mock (to tell two upstreams apart): listed and served by both
// dialects while set, unknown again once cleared; the fixed catalog is unchanged either way.
package dev.tollgate.mock;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExtraModelTest extends MockTestSupport {
    private static final String CHAT = "{\"model\":\"%s\",\"stream\":false,\"messages\":[]}";

    @Test
    void anExtraModelIsListedAndServedUntilCleared() {
        try {
            mock.config().extraModel("only-here");
            assertEquals("only-here:latest", mock.config().extraModel());
            List<String> tags = json(get("/api/tags")).get("models").findValuesAsText("name");
            assertEquals(9, tags.size());
            assertEquals("only-here:latest", tags.get(8));
            List<String> ids = json(get("/v1/models")).get("data").findValuesAsText("id");
            assertTrue(ids.contains("only-here:latest"));
            assertEquals(200, post("/api/chat", CHAT.formatted("only-here")).statusCode());
            assertEquals(200, post("/v1/chat/completions", CHAT.formatted("only-here:latest")).statusCode());
        } finally {
            mock.config().extraModel(null);
        }
        assertEquals(8, json(get("/api/tags")).get("models").size());
        assertEquals(404, post("/api/chat", CHAT.formatted("only-here")).statusCode());
        assertEquals(404, post("/v1/chat/completions", CHAT.formatted("only-here")).statusCode());
    }

    @Test
    void anExtraModelNameMustBePlainText() {
        assertThrows(IllegalArgumentException.class, () -> new MockConfig().extraModel(" "));
        assertThrows(IllegalArgumentException.class, () -> new MockConfig().extraModel("a\"b"));
        assertThrows(IllegalArgumentException.class, () -> new MockConfig().extraModel("a\nb"));
    }
}
