// Why: the lane takes model calls off Micronaut's router on the proxy listener; these are the HTTP/1.1 cases a
// client's library rarely shows and the router handled for free: pipelined requests answered in order whichever
// path serves them, 100-continue, bodies over the limit (declared or chunked), Connection: close, HTTP/1.0, a query
// string, a compressed request body (left to the router), and the id and Date every proxy answer carries.
package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.support.MockedGatewaySuite;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class ModelCallLaneTest extends MockedGatewaySuite {
    private static final String CHAT = "{\"model\":\"llama3.2\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    private static final String STREAM = "{\"model\":\"llama3.2\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    private String key;

    @Override
    protected Map<String, String> storageEnv() {
        return Map.of();
    }

    @Override
    protected Map<String, String> suiteEnv() {
        return Map.of("TOLLGATE_MAX_BODY_BYTES", "4096");
    }

    @Override
    protected void started() {
        key = gateway.tenantWithKey("lane-" + System.nanoTime(), "null", "null");
    }

    private String post(String path, String body, String... headers) {
        return post(path, body.getBytes(StandardCharsets.UTF_8), headers);
    }

    private String post(String path, byte[] body, String... headers) {
        StringBuilder b = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + key
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n");
        for (String h : headers) {
            b.append(h).append("\r\n");
        }
        return b.append("\r\n").toString();
    }

    private String chunkedPost(String path) {
        return "POST " + path + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + key
                + "\r\nTransfer-Encoding: chunked\r\n\r\n";
    }

    private Socket connect() throws IOException {
        URI proxy = URI.create(gateway.proxyUrl());
        Socket s = new Socket(proxy.getHost(), proxy.getPort());
        s.setSoTimeout(10_000);
        return s;
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrderWhicheverPathServesThem() throws IOException {
        try (Socket s = connect()) {
            String models = "GET /v1/models HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + key + "\r\n\r\n";
            String all = post("/v1/chat/completions", STREAM) + STREAM + models + post("/api/chat", CHAT) + CHAT
                    + models + post("/v1/chat/completions", CHAT) + CHAT;
            s.getOutputStream().write(all.getBytes(StandardCharsets.UTF_8));
            s.getOutputStream().flush();
            HttpReader in = new HttpReader(s.getInputStream());
            List<Answer> answers = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                answers.add(in.next());
            }
            assertThat(answers).extracting(Answer::status).containsOnly(200);
            assertThat(answers.get(0).body()).contains("chat.completion.chunk").endsWith("data: [DONE]\n\n");
            assertThat(answers.get(1).body()).contains("\"object\":\"list\"");
            assertThat(answers.get(2).body()).contains("\"done\":true");
            assertThat(answers.get(3).body()).contains("\"object\":\"list\"");
            assertThat(answers.get(4).body()).contains("\"object\":\"chat.completion\"");
            assertThat(answers).allSatisfy(a -> {
                assertThat(a.header("x-request-id")).isNotNull();
                assertThat(a.header("date")).endsWith(" GMT");
            });
        }
    }

    @Test
    void aClientExpectingContinueGetsItThenTheAnswer() throws IOException {
        try (Socket s = connect()) {
            OutputStream out = s.getOutputStream();
            out.write(post("/v1/chat/completions", CHAT, "Expect: 100-continue").getBytes(StandardCharsets.UTF_8));
            out.flush();
            HttpReader in = new HttpReader(s.getInputStream());
            assertThat(in.next().status()).isEqualTo(100);
            out.write(CHAT.getBytes(StandardCharsets.UTF_8));
            out.flush();
            Answer a = in.next();
            assertThat(a.status()).isEqualTo(200);
            assertThat(a.body()).contains("\"object\":\"chat.completion\"");
        }
    }

    @Test
    void aDeclaredBodyOverTheLimitIs413WithoutReadingItAndTheConnectionCloses() throws IOException {
        try (Socket s = connect()) {
            OutputStream out = s.getOutputStream();
            out.write(post("/v1/chat/completions", new byte[5000], "Expect: 100-continue").getBytes(StandardCharsets.UTF_8));
            out.flush();
            HttpReader in = new HttpReader(s.getInputStream());
            Answer a = in.next();
            assertThat(a.status()).isEqualTo(413);
            assertThat(a.header("connection")).isEqualToIgnoringCase("close");
            assertThat(a.body()).contains("\"code\":\"request_too_large\"").contains("4096");
            assertThat(in.atEnd()).isTrue();
        }
    }

    @Test
    void aChunkedBodyOverTheLimitIs413InTheDialectsShape() throws IOException {
        try (Socket s = connect()) {
            OutputStream out = s.getOutputStream();
            out.write(chunkedPost("/api/chat").getBytes(StandardCharsets.UTF_8));
            String chunk = "{\"model\":\"llama3.2\",\"prompt\":\"" + "x".repeat(3000);
            for (int i = 0; i < 2; i++) {
                out.write((Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n").getBytes(StandardCharsets.UTF_8));
            }
            out.flush();
            Answer a = new HttpReader(s.getInputStream()).next();
            assertThat(a.status()).isEqualTo(413);
            assertThat(a.body()).startsWith("{\"error\":\"").contains("4096");
        }
    }

    @Test
    void aClientStillSendingABodyOverTheLimitGetsThe413NotAReset() throws IOException {
        byte[] part = ("{\"model\":\"llama3.2\",\"prompt\":\"" + "x".repeat(10_000)).getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        ByteArrayOutputStream chunked = new ByteArrayOutputStream();
        for (int i = 0; i < 200; i++) { // 2 MB, all sent although the gateway refuses it after 4 kB
            whole.write(part);
            chunked.write((Integer.toHexString(part.length) + "\r\n").getBytes(StandardCharsets.UTF_8));
            chunked.write(part);
            chunked.write("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        chunked.write("0\r\n\r\n".getBytes(StandardCharsets.UTF_8));
        String path = "/v1/chat/completions";
        Map<String, byte[]> uploads = Map.of(post(path, whole.toByteArray()), whole.toByteArray(),
                chunkedPost(path), chunked.toByteArray());
        for (var upload : uploads.entrySet()) {
            try (Socket s = connect()) {
                OutputStream out = s.getOutputStream();
                out.write(upload.getKey().getBytes(StandardCharsets.UTF_8));
                out.write(upload.getValue()); // a closed connection would reset here, or the read below
                out.flush();
                HttpReader in = new HttpReader(s.getInputStream());
                Answer a = in.next();
                assertThat(a.status()).as(upload.getKey()).isEqualTo(413);
                assertThat(a.header("connection")).isEqualToIgnoringCase("close");
                assertThat(a.body()).contains("\"code\":\"request_too_large\"");
                assertThat(in.atEnd()).as("the gateway ends its side after the answer").isTrue();
            }
        }
    }

    @Test
    void aRefusedClientThatKeepsSendingIsCutOffAfterTheLinger() throws IOException {
        try (Socket s = connect()) {
            OutputStream out = s.getOutputStream();
            out.write(post("/v1/chat/completions", new byte[1_000_000]).getBytes(StandardCharsets.UTF_8));
            out.write(new byte[8192]);
            out.flush();
            HttpReader in = new HttpReader(s.getInputStream());
            assertThat(in.next().status()).isEqualTo(413);
            long answered = System.nanoTime();
            assertThat(in.atEnd()).isTrue();
            long cutOff = -1;
            while (cutOff < 0 && System.nanoTime() - answered < 15_000_000_000L) {
                try { // a byte every 10 ms: drained while the gateway lingers, refused once it has closed
                    out.write('x');
                    out.flush();
                    Thread.sleep(10);
                } catch (java.net.SocketException closed) {
                    cutOff = System.nanoTime() - answered;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
            }
            assertThat(cutOff).as("nanoseconds from the 413 to the close").isBetween(
                    TimeUnit.MILLISECONDS.toNanos(LingeringClose.LINGER_MILLIS - 500),
                    TimeUnit.MILLISECONDS.toNanos(LingeringClose.LINGER_MILLIS + 2_000));
        }
    }

    @Test
    void aBodyTheCodecCannotFrameEndsTheConnectionWithoutAnAnswer() throws IOException {
        try (Socket s = connect()) {
            s.getOutputStream().write((chunkedPost("/api/chat") + "zz\r\n{}\r\n").getBytes(StandardCharsets.UTF_8));
            s.getOutputStream().flush();
            int first;
            try {
                first = s.getInputStream().read();
            } catch (java.net.SocketException reset) {
                first = -1;
            }
            assertThat(first).isEqualTo(-1);
        }
    }

    @Test
    void connectionCloseAndHttp10EndTheConnectionAfterTheAnswer() throws IOException {
        for (String variant : List.of("HTTP/1.1 close", "HTTP/1.0")) {
            try (Socket s = connect()) {
                String request = post("/v1/chat/completions", STREAM, variant.endsWith("close") ? "Connection: close" : "X-No: 1");
                if (variant.equals("HTTP/1.0")) {
                    request = request.replaceFirst("HTTP/1.1", "HTTP/1.0");
                }
                s.getOutputStream().write((request + STREAM).getBytes(StandardCharsets.UTF_8));
                s.getOutputStream().flush();
                HttpReader in = new HttpReader(s.getInputStream());
                Answer a = in.next();
                assertThat(a.status()).as(variant).isEqualTo(200);
                assertThat(a.body()).as(variant).endsWith("data: [DONE]\n\n");
                assertThat(in.atEnd()).as(variant).isTrue();
                assertThat(a.header("transfer-encoding")).as(variant).isEqualTo(variant.equals("HTTP/1.0") ? null : "chunked");
            }
        }
    }

    @Test
    void anAnswerPassesThroughUncompressedWhateverTheClientAccepts() throws IOException {
        try (Socket s = connect()) {
            s.getOutputStream().write((post("/v1/chat/completions", STREAM, "Accept-Encoding: gzip, deflate")
                    + STREAM + post("/api/chat", CHAT, "Accept-Encoding: gzip") + CHAT).getBytes(StandardCharsets.UTF_8));
            HttpReader in = new HttpReader(s.getInputStream());
            for (Answer a : List.of(in.next(), in.next())) {
                assertThat(a.status()).isEqualTo(200);
                assertThat(a.header("content-encoding")).isNull();
                assertThat(a.body()).containsAnyOf("data: {", "{\"model\"");
            }
        }
    }

    @Test
    void aQueryStringDoesNotChangeTheCall() throws IOException {
        try (Socket s = connect()) {
            s.getOutputStream().write((post("/v1/chat/completions?trace=1", CHAT) + CHAT).getBytes(StandardCharsets.UTF_8));
            Answer a = new HttpReader(s.getInputStream()).next();
            assertThat(a.status()).isEqualTo(200);
            assertThat(a.body()).contains("\"object\":\"chat.completion\"");
        }
    }

    @Test
    void aGzippedBodyIsServedAndBadCallsGetTheContractsErrors() throws IOException {
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(zipped)) {
            z.write(CHAT.getBytes(StandardCharsets.UTF_8));
        }
        try (Socket s = connect()) {
            OutputStream out = s.getOutputStream();
            out.write(post("/v1/chat/completions", zipped.toByteArray(), "Content-Encoding: gzip").getBytes(StandardCharsets.UTF_8));
            out.write(zipped.toByteArray());
            out.write((post("/v1/chat/completions", "{not json") + "{not json").getBytes(StandardCharsets.UTF_8));
            out.write((post("/api/chat", "") ).getBytes(StandardCharsets.UTF_8));
            String anonymous = post("/v1/chat/completions", CHAT).replace("Authorization: Bearer " + key + "\r\n", "");
            out.write((anonymous + CHAT).getBytes(StandardCharsets.UTF_8));
            out.flush();
            HttpReader in = new HttpReader(s.getInputStream());
            Answer zippedAnswer = in.next();
            assertThat(zippedAnswer.status()).isEqualTo(200);
            assertThat(zippedAnswer.body()).contains("\"object\":\"chat.completion\"");
            Answer malformed = in.next();
            assertThat(malformed.status()).isEqualTo(400);
            assertThat(malformed.body()).contains("\"type\":\"invalid_request_error\"");
            Answer empty = in.next();
            assertThat(empty.status()).isEqualTo(400);
            assertThat(empty.body()).startsWith("{\"error\":\"Request body is empty");
            Answer noKey = in.next();
            assertThat(noKey.status()).isEqualTo(401);
            assertThat(noKey.body()).contains("\"type\":\"authentication_error\"");
            assertThat(noKey.header("x-request-id")).isNotNull();
        }
    }

    private record Answer(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    /** Reads HTTP/1.1 answers off a socket: a status line, headers, and a body of declared length or chunked. */
    private static final class HttpReader {
        private final InputStream in;

        HttpReader(InputStream in) {
            this.in = new java.io.BufferedInputStream(in);
        }

        Answer next() throws IOException {
            String status = line();
            Map<String, String> headers = new java.util.HashMap<>();
            for (String h = line(); !h.isEmpty(); h = line()) {
                int colon = h.indexOf(':');
                headers.put(h.substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT), h.substring(colon + 1).trim());
            }
            int code = Integer.parseInt(status.split(" ")[1]);
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            if (code >= 200 && "chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                for (int n = Integer.parseInt(line().trim(), 16); n > 0; n = Integer.parseInt(line().trim(), 16)) {
                    body.write(in.readNBytes(n));
                    line();
                }
                line();
            } else if (headers.containsKey("content-length")) {
                body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
            } else if (code >= 200) {
                body.write(in.readAllBytes()); // delimited by the end of the connection
            }
            return new Answer(code, headers, body.toString(StandardCharsets.UTF_8));
        }

        boolean atEnd() throws IOException {
            return in.read() == -1;
        }

        private String line() throws IOException {
            StringBuilder b = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c == -1) {
                    throw new IOException("the connection ended mid-answer: " + b);
                }
                if (c != '\r') {
                    b.append((char) c);
                }
            }
            return b.toString();
        }
    }
}
