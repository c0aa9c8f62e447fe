// Why: a request on a kept-alive connection can meet an upstream that closed that connection just as it was reused;
// sending it again on a fresh connection saves the caller a 502. But a connection that breaks after the upstream had
// time to work on the request (a crash, a load balancer's idle timeout during a long generation) must not start the
// generation a second time. A scripted HTTP/1.1 server shows both, and what the upstream received in each case; the
// client's clock is the test's, so "later" is a clock moved on, not a wait.
package dev.tollgate.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StaleConnectionRetryTest {
    private static final Duration WINDOW = Duration.ofMillis(200);
    private final AtomicLong clock = new AtomicLong();
    private EventLoopGroup loops;
    private NettyUpstreamClient client;
    private ScriptedServer server;

    @BeforeEach
    void start() throws Exception {
        loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory()); // one loop: one pool
        client = new NettyUpstreamClient(loops, NioSocketChannel.class, WINDOW, clock::get);
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        if (server != null) {
            server.close();
        }
    }

    private String post(String path) throws Exception {
        Upstream upstream = new Upstream("ups_1", "scripted", Upstream.Kind.OPENAI,
                URI.create("http://127.0.0.1:" + server.port()), null);
        UpstreamResponse r = client.send(upstream, UpstreamRequest.post(path, "{}".getBytes(StandardCharsets.UTF_8),
                "*/*")).get(10, TimeUnit.SECONDS);
        assertThat(r.status()).isEqualTo(200);
        return new String(r.bodyBytes().get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8);
    }

    @Test
    void aKeptAliveConnectionClosedAsItIsReusedIsReplacedAndTheRequestSentAgain() throws Exception {
        // the first connection answers /one, then closes at once when /two arrives on it (the clock stands still)
        server = new ScriptedServer((connection, path) -> connection == 1 && path.equals("/two"));
        assertThat(post("/one")).isEqualTo("answer to /one on connection 1");
        assertThat(post("/two")).isEqualTo("answer to /two on connection 2");
        assertThat(server.received()).containsExactly("1 /one", "1 /two", "2 /two");
    }

    @Test
    void aConnectionThatBreaksAfterTheUpstreamHadTimeToWorkIsNotSentAgain() throws Exception {
        // the first connection answers /one, then works on /two for three windows and closes without an answer
        server = new ScriptedServer((connection, path) -> {
            if (connection == 1 && path.equals("/two")) {
                clock.addAndGet(3 * WINDOW.toNanos());
                return true;
            }
            return false;
        });
        assertThat(post("/one")).isEqualTo("answer to /one on connection 1");
        assertThatThrownBy(() -> post("/two")).isInstanceOf(ExecutionException.class);
        assertThat(post("/three")).isEqualTo("answer to /three on connection 2");
        assertThat(server.received()).as("the upstream got /two once").containsExactly("1 /one", "1 /two", "2 /three");
    }

    /** Decides, per request, to answer it or to close its connection without an answer. */
    private interface Script {
        boolean closeWithoutAnswer(int connection, String path);
    }

    /** A blocking HTTP/1.1 server, one thread per connection, that records "connection path" for each request. */
    private static final class ScriptedServer implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final List<String> received = Collections.synchronizedList(new ArrayList<>());
        private final AtomicInteger connections = new AtomicInteger();
        private final Script script;

        ScriptedServer(Script script) throws IOException {
            this.script = script;
            Thread acceptor = new Thread(this::accept, "scripted-upstream");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        List<String> received() {
            synchronized (received) {
                return List.copyOf(received);
            }
        }

        private void accept() {
            while (!socket.isClosed()) {
                try {
                    Socket s = socket.accept();
                    int n = connections.incrementAndGet();
                    Thread t = new Thread(() -> serve(s, n), "scripted-connection-" + n);
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return; // closed
                }
            }
        }

        private void serve(Socket s, int connection) {
            try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                String path;
                while ((path = readRequest(in)) != null) {
                    received.add(connection + " " + path);
                    if (script.closeWithoutAnswer(connection, path)) {
                        return;
                    }
                    byte[] body = ("answer to " + path + " on connection " + connection).getBytes(StandardCharsets.UTF_8);
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length
                            + "\r\nConnection: keep-alive\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(body);
                    out.flush();
                }
            } catch (IOException e) {
                // the client went away or the test ended
            }
        }

        /** Reads one request (head and Content-Length body); its path, or null at the end of the connection. */
        private static String readRequest(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                head.write(b);
                byte[] h = head.toByteArray();
                int n = h.length;
                if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') {
                    break;
                }
            }
            if (b < 0) {
                return null;
            }
            String[] lines = head.toString(StandardCharsets.US_ASCII).split("\r\n");
            int length = 0;
            for (String line : lines) {
                if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
            }
            in.readNBytes(length);
            return lines[0].split(" ")[1];
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
