// Why: per-address behaviour (the login throttle counts by the connection's remote address) is tested from
// addresses of its own: on Linux all of 127.0.0.0/8 is loopback, so a socket bound to 127.x.y.z reaches the
// gateway from that address, and such tests leave the address every other test uses (127.0.0.1) untouched. The same
// plain-socket HTTP/1.1 serves tests that need to see the wire: a kept-alive connection, or a chunked answer chunk by
// chunk, where an HTTP client library would hide when the gateway closed the connection or sent each piece.
package dev.tollgate.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

public final class FromAddress {
    private FromAddress() {
    }

    /** A status, the headers (lower-case names, last value wins) and the body of one HTTP/1.1 exchange. */
    public record Response(int status, Map<String, String> headers, String body) {
    }

    /** The head of an answer: its HTTP version, status and headers (lower-case names, last value wins). */
    public record Head(String version, int status, Map<String, String> headers) {
    }

    /** A random loopback address other than 127.0.0.1. */
    public static String randomLoopback() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return "127." + r.nextInt(1, 255) + "." + r.nextInt(0, 256) + "." + r.nextInt(2, 255);
    }

    /** POSTs a JSON body to {@code baseUrl + path} over a connection from {@code localAddress}. */
    public static Response post(String localAddress, String baseUrl, String path, String json) {
        try {
            return exchange(localAddress, baseUrl, "POST", path, Map.of("Content-Type", "application/json"), json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * One request on a connection of its own from {@code localAddress}, closed after the answer ({@code body} null:
     * none); an IOException when the connection is refused or ends without an answer.
     */
    public static Response exchange(String localAddress, String baseUrl, String method, String path,
                                    Map<String, String> headers, String body) throws IOException {
        URI uri = URI.create(baseUrl);
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5000);
            socket.setSoTimeout(30_000);
            Map<String, String> closing = new LinkedHashMap<>(headers);
            closing.put("Connection", "close");
            send(socket, method, path, closing, body);
            InputStream in = socket.getInputStream();
            Head head = readHead(in);
            return new Response(head.status(), head.headers(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** A connection from 127.0.0.1 to {@code baseUrl}'s host and port, with the read timeout {@link #exchange} uses. */
    public static Socket open(String baseUrl) throws IOException {
        URI uri = URI.create(baseUrl);
        Socket socket = new Socket(uri.getHost(), uri.getPort());
        socket.setSoTimeout(30_000);
        return socket;
    }

    /** Writes one request on {@code socket}, kept alive unless {@code headers} say otherwise ({@code body} null: none). */
    public static void send(Socket socket, String method, String path, Map<String, String> headers, String body)
            throws IOException {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ")
                .append(socket.getInetAddress().getHostAddress()).append(':').append(socket.getPort()).append("\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        if (body != null) {
            head.append("Content-Length: ").append(bytes.length).append("\r\n");
        }
        OutputStream out = socket.getOutputStream();
        out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
    }

    /** Reads an answer's status line and headers; an IOException when the connection ends first. */
    public static Head readHead(InputStream in) throws IOException {
        String status = line(in);
        Map<String, String> headers = new HashMap<>();
        for (String header; !(header = line(in)).isEmpty(); ) {
            int colon = header.indexOf(':');
            headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim());
        }
        String[] parts = status.split(" ");
        return new Head(parts[0], Integer.parseInt(parts[1]), headers);
    }

    /** The payload of the next chunk of a chunked body; empty for the last one. */
    public static String readChunk(InputStream in) throws IOException {
        int size = Integer.parseInt(line(in).trim(), 16);
        byte[] data = in.readNBytes(size);
        if (data.length < size) {
            throw new IOException("the connection ended in a chunk");
        }
        line(in);
        return new String(data, StandardCharsets.UTF_8);
    }

    /** One CRLF-ended line. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) {
                throw new IOException("the connection ended without a whole answer head");
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.US_ASCII);
    }
}
