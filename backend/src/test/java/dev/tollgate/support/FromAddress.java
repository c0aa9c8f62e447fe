// Why: per-address behaviour (the login throttle counts by the connection's remote address) is tested from
// addresses of its own: on Linux all of 127.0.0.0/8 is loopback, so a socket bound to 127.x.y.z reaches the
// gateway from that address, and such tests leave the address every other test uses (127.0.0.1) untouched.
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
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

public final class FromAddress {
    private FromAddress() {
    }

    /** A status, the headers (lower-case names, last value wins) and the body of one HTTP/1.1 exchange. */
    public record Response(int status, Map<String, String> headers, String body) {
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
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5000);
            socket.setSoTimeout(30_000);
            StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ")
                    .append(uri.getHost()).append(':').append(uri.getPort()).append("\r\n");
            headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            if (body != null) {
                head.append("Content-Length: ").append(bytes.length).append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(head.append("Connection: close\r\n\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
            return parse(socket.getInputStream());
        }
    }

    private static Response parse(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        in.transferTo(all);
        String text = all.toString(StandardCharsets.UTF_8);
        int split = text.indexOf("\r\n\r\n");
        if (split < 0) {
            throw new IOException("the connection ended without an answer (" + text.length() + " bytes)");
        }
        String[] head = text.substring(0, split).split("\r\n");
        Map<String, String> headers = new HashMap<>();
        for (int i = 1; i < head.length; i++) {
            int colon = head[i].indexOf(':');
            headers.put(head[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), head[i].substring(colon + 1).trim());
        }
        return new Response(Integer.parseInt(head[0].split(" ")[1]), headers, text.substring(split + 4));
    }
}
