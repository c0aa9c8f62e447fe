// Shared fixture for the mock-upstream tests: one server per test class plus small HTTP/JSON helpers.
package dev.tollgate.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

abstract class MockTestSupport {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    static MockUpstream mock;

    @BeforeAll
    static void startMock() {
        mock = MockUpstream.start(new MockConfig().port(0).tokens(5).delayMs(0).threads(2));
    }

    @AfterAll
    static void stopMock() {
        mock.close();
    }

    @BeforeEach
    void resetMock() {
        mock.config().tokens(5).delayMs(0);
        awaitStats(s -> s.inFlight() == 0, "no request in flight before the test");
        mock.resetStats();
    }

    static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(mock.baseUrl() + path)).timeout(Duration.ofSeconds(20));
    }

    static HttpResponse<String> get(String path) {
        return send(request(path).GET().build());
    }

    static HttpResponse<String> post(String path, String body) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    static HttpResponse<String> send(HttpRequest req) {
        try {
            return CLIENT.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(String s) {
        try {
            return MAPPER.readTree(s);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + s, e);
        }
    }

    static JsonNode json(HttpResponse<String> r) {
        return json(r.body());
    }

    /** NDJSON body -> one JsonNode per line; also checks every line ends with '\n'. */
    static List<JsonNode> ndjson(String body) {
        if (!body.endsWith("\n")) throw new AssertionError("NDJSON must end with a newline: " + body);
        List<JsonNode> out = new ArrayList<>();
        for (String line : body.split("\n")) out.add(json(line));
        return out;
    }

    /** SSE body -> the data payloads in order (including "[DONE]"). */
    static List<String> sse(String body) {
        if (!body.endsWith("\n\n")) throw new AssertionError("SSE must end with a blank line: " + body);
        List<String> out = new ArrayList<>();
        for (String event : body.split("\n\n")) {
            if (!event.startsWith("data: ")) throw new AssertionError("bad SSE event: " + event);
            out.add(event.substring(6));
        }
        return out;
    }

    /** Polls stats until the condition holds or a deadline passes (no fixed sleeps). */
    static MockStats awaitStats(Predicate<MockStats> condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        MockStats s = mock.stats();
        while (!condition.test(s)) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what + "; stats=" + s);
            Thread.onSpinWait();
            Thread.yield();
            s = mock.stats();
        }
        return s;
    }
}
