// Why: admin-side tests need rows in the request log and usage rollups; they make a real proxied call and wait
// (with a deadline, never a fixed sleep) until the ledger has written it.
package dev.tollgate.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

public final class LoggedCalls {
    private LoggedCalls() {
    }

    /** One non-streamed chat with {@code plaintext}; answers its request id once GET /requests/{id} finds it. */
    public static String chat(TestGateway gateway, String plaintext) {
        HttpResponse<String> r = gateway.send(HttpRequest.newBuilder(URI.create(gateway.proxyUrl() + "/api/chat"))
                .header("Authorization", "Bearer " + plaintext)
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"llama3.2\",\"stream\":false,\"messages\":[]}")).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String id = r.headers().firstValue("x-request-id").orElseThrow();
        Await.until("request " + id + " in the log", Duration.ofSeconds(10),
                () -> gateway.admin("GET", "/requests/" + id, null).statusCode() == 200);
        return id;
    }
}
