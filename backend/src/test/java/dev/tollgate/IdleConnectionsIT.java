// Why: the gateway closes client connections left idle (tollgate.proxy.idle-timeout, TOLLGATE_PROXY_IDLE_TIMEOUT) on
// both listeners, but never one whose non-streaming answer is still being generated, however long that takes.
package dev.tollgate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.mock.MockConfig;
import dev.tollgate.mock.MockUpstream;
import dev.tollgate.support.AdminClient;
import dev.tollgate.support.Replica;
import dev.tollgate.support.TestGateway;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IdleConnectionsIT {
    private static final Duration IDLE = Duration.ofSeconds(1);

    private static Socket connect(String url) throws Exception {
        URI u = URI.create(url);
        Socket s = new Socket(u.getHost(), u.getPort());
        s.setSoTimeout(20_000);
        return s;
    }

    /** Reads until the server closes the connection; answers how long that took. */
    private static Duration untilClosed(Socket s, ByteArrayOutputStream into) throws Exception {
        long start = System.nanoTime();
        InputStream in = s.getInputStream();
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) >= 0) {
            into.write(buf, 0, n);
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    @Test
    void idleConnectionsCloseButAnAnswerBeingGeneratedKeepsItsConnection() throws Exception {
        // a non-streaming answer of 5 tokens, 600 ms apart: 3 s of silence, three idle timeouts
        try (MockUpstream mock = MockUpstream.start(new MockConfig().port(0).tokens(5).delayMs(600));
             Replica gw = Replica.start(Map.of("OLLAMA_URL", mock.baseUrl(),
                     "TOLLGATE_PROXY_IDLE_TIMEOUT", IDLE.toSeconds() + "s"))) {
            String key = new AdminClient(gw.adminUrl(), TestGateway.PASSWORD).keyWithLimits("null", "null").key();

            for (String listener : new String[]{gw.proxyUrl(), gw.adminUrl()}) {
                try (Socket idle = connect(listener)) {
                    Duration open = untilClosed(idle, new ByteArrayOutputStream());
                    assertThat(open).as("idle connection to %s", listener)
                            .isGreaterThanOrEqualTo(IDLE.minusMillis(50)).isLessThan(IDLE.multipliedBy(5));
                }
            }

            try (Socket call = connect(gw.proxyUrl())) {
                String body = "{\"model\":\"llama3.2\",\"stream\":false,\"prompt\":\"go\"}";
                OutputStream out = call.getOutputStream();
                out.write(("POST /api/generate HTTP/1.1\r\nHost: gw\r\nAuthorization: Bearer " + key
                        + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                long sent = System.nanoTime();
                ByteArrayOutputStream answer = new ByteArrayOutputStream();
                untilClosed(call, answer);
                String text = answer.toString(StandardCharsets.UTF_8);
                assertThat(text).startsWith("HTTP/1.1 200").contains("\"done\":true");
                // the whole answer came after three idle timeouts, and the connection closed only after it
                assertThat(Duration.ofNanos(System.nanoTime() - sent)).isGreaterThan(IDLE.multipliedBy(3).plusMillis(900));
            }
        }
    }
}
