// Verifies timing, cancellation accounting, failure injection, pipelining and the /_mock control plane.
package dev.tollgate.mock;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StreamingAndStatsTest extends MockTestSupport {

    private static String rawRequest(String path, String body) {
        return "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    /** Opens a connection to the mock and sends one raw POST on it. */
    private Socket sendRaw(String path, String body) throws IOException {
        Socket s = new Socket("127.0.0.1", mock.port());
        s.getOutputStream().write(rawRequest(path, body).getBytes(StandardCharsets.UTF_8));
        return s;
    }

    /** Reads a response head that declares a Content-Length; answers {declared, body bytes received so far}. */
    private static int[] declaredAndReceived(String all) {
        int split = all.indexOf("\r\n\r\n");
        java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length: (\\d+)").matcher(all);
        assertTrue(split > 0 && length.find(), all);
        return new int[] {Integer.parseInt(length.group(1)), all.substring(split + 4).getBytes(StandardCharsets.UTF_8).length};
    }

    /** Reads from the socket until the accumulated text contains marker. */
    private static String readUntil(InputStream in, String marker) throws IOException {
        StringBuilder sb = new StringBuilder();
        byte[] buf = new byte[4096];
        while (!sb.toString().contains(marker)) {
            int n = in.read(buf);
            if (n < 0) throw new IOException("EOF before '" + marker + "': " + sb);
            sb.append(new String(buf, 0, n, StandardCharsets.UTF_8));
        }
        return sb.toString();
    }

    private static String readToEof(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void aMockClosedMidStreamLeavesTheTokenClockServingTheNextMocks() {
        String body = "{\"model\":\"llama3.2\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        assertTimeoutPreemptively(java.time.Duration.ofSeconds(20), () -> {
            for (int round = 0; round < 3; round++) {
                // one process-wide ticker serves every mock: closing one while its stream's next token is due
                // must not stop it (it once died on the closed loop and every later stream hung)
                try (MockUpstream closing = MockUpstream.start(new MockConfig().port(0).tokens(1000).delayMs(5));
                     Socket s = new Socket("127.0.0.1", closing.port())) {
                    s.getOutputStream().write(rawRequest("/api/chat", body).getBytes(StandardCharsets.UTF_8));
                    readUntil(s.getInputStream(), "tok1 ");
                }
                try (MockUpstream next = MockUpstream.start(new MockConfig().port(0).tokens(3).delayMs(5));
                     Socket s = new Socket("127.0.0.1", next.port())) {
                    s.getOutputStream().write(rawRequest("/api/chat", body).getBytes(StandardCharsets.UTF_8));
                    readUntil(s.getInputStream(), "\"done\":true");
                }
            }
        });
    }

    @Test
    void connectionsAreCountedAsAcceptedAndOpen() throws IOException {
        mock.config().tokens(1000).delayMs(10);
        long open = mock.stats().connectionsOpen();
        String body = "{\"model\":\"llama3.2\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        try (Socket a = sendRaw("/api/chat", body); Socket b = sendRaw("/api/chat", body)) {
            readUntil(a.getInputStream(), "tok1 ");
            readUntil(b.getInputStream(), "tok1 ");
            MockStats during = mock.stats();
            assertEquals(2, during.connectionsAccepted());
            assertEquals(open + 2, during.connectionsOpen());
        }
        MockStats after = awaitStats(x -> x.connectionsOpen() == open, "both connections closed");
        assertEquals(2, after.connectionsAccepted(), "accepted counts what was accepted, closed or not");
        assertTrue(json(get("/_mock/stats")).has("connections_open"));
    }

    @Test
    void clientDisconnectMidStreamIsCountedAsCancelled() throws IOException {
        mock.config().tokens(1000).delayMs(10);
        try (Socket s = sendRaw("/api/chat",
                "{\"model\":\"llama3.2\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")) {
            readUntil(s.getInputStream(), "tok1 ");
            assertEquals(1, mock.stats().inFlight());
        }
        MockStats st = awaitStats(x -> x.streamsCancelled() == 1 && x.inFlight() == 0, "cancelled stream");
        assertEquals(1, st.streamsStarted());
        assertEquals(0, st.streamsCompleted());
    }

    @Test
    void httpClientClosingTheBodyCancelsTheStream() throws Exception {
        mock.config().tokens(1000).delayMs(10);
        HttpResponse<InputStream> r = CLIENT.send(request("/v1/chat/completions")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"llama3.2\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = r.body()) {
            readUntil(in, "tok2 ");
        }
        awaitStats(x -> x.streamsCancelled() == 1 && x.inFlight() == 0, "cancelled stream");
    }

    @Test
    void slowFailStreamsTwoTokensThenDropsTheConnection() throws IOException {
        mock.config().tokens(10).delayMs(1);
        try (Socket s = sendRaw("/api/chat",
                "{\"model\":\"mock-slow-fail\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")) {
            String all = readToEof(s.getInputStream());
            assertTrue(all.startsWith("HTTP/1.1 200 OK"), all);
            assertTrue(all.contains("tok0 ") && all.contains("tok1 "), all);
            assertFalse(all.contains("tok2 ") || all.contains("\"done\":true"), all);
            assertFalse(all.endsWith("0\r\n\r\n"), "must not send the terminating chunk: " + all);
        }
        ExecutionException e = assertThrows(ExecutionException.class, () -> CLIENT.sendAsync(
                request("/v1/chat/completions").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"mock-slow-fail\",\"stream\":true,\"messages\":[]}")).build(),
                HttpResponse.BodyHandlers.ofString()).get());
        assertTrue(e.getCause() instanceof IOException, String.valueOf(e.getCause()));
        MockStats st = awaitStats(x -> x.inFlight() == 0 && x.requests() == 2, "slow-fail done");
        assertEquals(2, st.streamsStarted());
        assertEquals(0, st.streamsCompleted());
        assertEquals(0, st.streamsCancelled());
    }

    @Test
    void slowFailNotStreamingSendsHalfItsDeclaredAnswerThenDropsTheConnection() throws IOException {
        try (Socket s = sendRaw("/v1/chat/completions",
                "{\"model\":\"mock-slow-fail\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")) {
            String all = readToEof(s.getInputStream());
            assertTrue(all.startsWith("HTTP/1.1 200 OK"), all);
            int[] lengths = declaredAndReceived(all);
            assertEquals(lengths[0] / 2, lengths[1], all);
        }
        awaitStats(x -> x.inFlight() == 0, "slow-fail done");
    }

    @Test
    void stallNotStreamingSendsHalfItsDeclaredAnswerThenWaitsForTheClientToLeave() throws IOException {
        try (Socket s = sendRaw("/v1/chat/completions",
                "{\"model\":\"mock-stall\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")) {
            InputStream in = s.getInputStream();
            String all = readUntil(in, "\r\n\r\n");
            int[] lengths = declaredAndReceived(all);
            byte[] buf = new byte[4096];
            while (lengths[1] < lengths[0] / 2) {
                int n = in.read(buf);
                assertTrue(n > 0, "the connection ended after " + all);
                all += new String(buf, 0, n, StandardCharsets.UTF_8);
                lengths = declaredAndReceived(all);
            }
            assertEquals(lengths[0] / 2, lengths[1], all);
            assertEquals(1, mock.stats().inFlight(), "still answering after half its answer");
        }
        awaitStats(x -> x.inFlight() == 0, "stalled answer left");
    }

    @Test
    void stallStreamsThreeTokensThenWaitsForTheClientToLeave() throws IOException {
        mock.config().tokens(10).delayMs(1);
        try (Socket s = sendRaw("/api/chat",
                "{\"model\":\"mock-stall\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")) {
            readUntil(s.getInputStream(), "tok2 ");
            assertEquals(1, mock.stats().inFlight(), "still streaming after its three tokens");
        }
        MockStats st = awaitStats(x -> x.streamsCancelled() == 1 && x.inFlight() == 0, "stalled stream left");
        assertEquals(0, st.streamsCompleted());
    }

    @Test
    void silentModelReportsNoCounts() {
        List<JsonNode> lines = ndjson(post("/api/chat", "{\"model\":\"mock-silent\",\"messages\":[]}").body());
        JsonNode last = lines.get(lines.size() - 1);
        assertTrue(last.get("done").asBoolean());
        assertFalse(last.has("prompt_eval_count") || last.has("eval_count"), last.toString());
        JsonNode full = json(post("/v1/chat/completions", "{\"model\":\"mock-silent\",\"messages\":[]}"));
        assertEquals("tok0 tok1 tok2 tok3 tok4 ", full.at("/choices/0/message/content").asText());
        assertFalse(full.has("usage"), full.toString());
        List<String> events = sse(post("/v1/chat/completions", "{\"model\":\"mock-silent\",\"stream\":true,"
                + "\"stream_options\":{\"include_usage\":true},\"messages\":[]}").body());
        assertFalse(String.join("", events).contains("usage"), events.toString());
        assertEquals("[DONE]", events.get(events.size() - 1));
    }

    @Test
    void nonStreamingWaitsTokensTimesDelayAndCountsInFlight() throws Exception {
        mock.config().tokens(5).delayMs(60);
        long t0 = System.nanoTime();
        CompletableFuture<HttpResponse<String>> f = CLIENT.sendAsync(request("/api/generate")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"llama3.2\",\"prompt\":\"x\",\"stream\":false}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        awaitStats(x -> x.inFlight() == 1, "request in flight");
        HttpResponse<String> r = f.get();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(200, r.statusCode());
        assertTrue(ms >= 300, "took " + ms + "ms");
        assertEquals(0, mock.stats().inFlight());
        assertEquals(0, mock.stats().streamsStarted());
    }

    @Test
    void streamingSpacesTokensByDelay() {
        mock.config().tokens(4).delayMs(40);
        long t0 = System.nanoTime();
        List<JsonNode> lines = ndjson(post("/api/chat", "{\"model\":\"llama3.2\",\"messages\":[]}").body());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(5, lines.size());
        assertTrue(ms >= 160, "took " + ms + "ms");
    }

    @Test
    void concurrentStreamsAllComplete() {
        mock.config().tokens(20).delayMs(2);
        List<CompletableFuture<HttpResponse<String>>> fs = Stream.generate(() -> CLIENT.sendAsync(
                request("/v1/chat/completions").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"llama3.2\",\"stream\":true,\"messages\":[]}")).build(),
                HttpResponse.BodyHandlers.ofString())).limit(50).toList();
        for (CompletableFuture<HttpResponse<String>> f : fs) {
            List<String> ev = sse(f.join().body());
            assertEquals(22, ev.size());
        }
        MockStats s = awaitStats(x -> x.inFlight() == 0, "all done");
        assertEquals(50, s.streamsStarted());
        assertEquals(50, s.streamsCompleted());
        assertEquals(0, s.streamsCancelled());
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws IOException {
        mock.config().tokens(3).delayMs(5);
        try (Socket s = new Socket("127.0.0.1", mock.port())) {
            OutputStream out = s.getOutputStream();
            out.write((rawRequest("/api/generate", "{\"model\":\"llama3.2\",\"prompt\":\"x\"}")
                    + "GET /api/version HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            String all = readToEof(s.getInputStream());
            int done = all.indexOf("\"done\":true");
            int version = all.indexOf("{\"version\":\"0.6.8\"}");
            assertTrue(done > 0 && version > done, all);
            assertTrue(all.indexOf("tok2 ") < done, all);
        }
    }

    @Test
    void controlEndpoints() {
        post("/api/chat", "{\"model\":\"llama3.2\",\"messages\":[]}");
        get("/api/tags");
        get("/v1/models");
        JsonNode stats = json(get("/_mock/stats"));
        assertEquals(3, stats.get("requests").asLong());
        assertEquals(1, stats.get("model_calls").asLong(), "listings are requests but not model calls");
        assertEquals(1, stats.get("streams_started").asLong());
        assertEquals(1, stats.get("streams_completed").asLong());
        assertEquals(0, stats.get("streams_cancelled").asLong());
        assertEquals(0, stats.get("in_flight").asLong());

        JsonNode cfg = json(post("/_mock/config", "{\"tokens\":7}"));
        assertEquals(7, cfg.get("tokens").asInt());
        assertEquals(0, cfg.get("delay_ms").asInt());
        cfg = json(post("/_mock/config", "{\"delay_ms\":1}"));
        assertEquals(7, cfg.get("tokens").asInt());
        assertEquals(1, cfg.get("delay_ms").asInt());
        assertEquals(7, mock.config().tokens());
        assertEquals(1, mock.config().delayMs());
        assertEquals(400, post("/_mock/config", "{\"tokens\":-1}").statusCode());
        assertEquals(7, json(post("/api/generate", "{\"model\":\"llama3.2\",\"prompt\":\"x\",\"stream\":false}"))
                .get("eval_count").asInt());

        assertEquals(200, post("/_mock/reset", "").statusCode());
        MockStats s = mock.stats();
        assertEquals(0, s.requests());
        assertEquals(0, s.modelCalls());
        assertEquals(0, s.streamsStarted());

        mock.config().tokens(2);
        assertEquals(2, json(get("/_mock/config")).get("tokens").asInt());
        assertEquals(0, mock.stats().requests(), "control requests are not counted");
    }

    @Test
    void cliParsing() {
        MockConfig c = Cli.parse(new String[] {"--port", "0", "--tokens", "3", "--delay-ms=4", "--host", "0.0.0.0",
                "--threads", "1"});
        assertEquals(0, c.port());
        assertEquals(3, c.tokens());
        assertEquals(4, c.delayMs());
        assertEquals("0.0.0.0", c.host());
        assertEquals(1, c.threads());
        assertEquals(11434, Cli.parse(new String[0]).port());
        assertThrows(IllegalArgumentException.class, () -> Cli.parse(new String[] {"--bogus", "1"}));
    }
}
