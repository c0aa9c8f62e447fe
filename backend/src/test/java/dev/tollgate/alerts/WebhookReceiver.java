// Why: webhook tests need a real HTTP endpoint that answers a scripted sequence of statuses and keeps what it got.
package dev.tollgate.alerts;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/** A tiny HTTP server: answers each POST with the next scripted status (the last one repeats). */
final class WebhookReceiver implements AutoCloseable {
    /** One request as received. */
    record Received(long nanos, String contentType, String body, int answered) {
    }

    private final HttpServer server;
    private final ConcurrentLinkedQueue<Integer> script = new ConcurrentLinkedQueue<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile int last = 200;

    WebhookReceiver(Integer... statuses) {
        script.addAll(List.of(statuses));
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Integer next = script.poll();
            int status = next == null ? last : next;
            last = status;
            received.add(new Received(System.nanoTime(), exchange.getRequestHeaders().getFirst("Content-Type"), body,
                    status));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
    }

    List<Received> received() {
        return received;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
