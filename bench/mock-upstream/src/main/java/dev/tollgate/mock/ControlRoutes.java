// The mock's own control plane under /_mock/: retune tokens/delay, read and reset stats.
// These requests are not counted in the stats they report.
package dev.tollgate.mock;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

final class ControlRoutes {
    private ControlRoutes() {}

    static void handle(MockHandler h, FullHttpRequest req, String path) {
        HttpMethod method = req.method();
        switch (path) {
            case "/_mock/config" -> {
                if (method == HttpMethod.POST) configure(h, req);
                else if (method == HttpMethod.GET) ok(h, h.config().toJson());
                else h.notFound();
            }
            case "/_mock/stats" -> {
                if (method == HttpMethod.GET) ok(h, h.counters().snapshot().toJson()); else h.notFound();
            }
            case "/_mock/reset" -> {
                if (method == HttpMethod.POST) {
                    h.counters().reset();
                    ok(h, h.counters().snapshot().toJson());
                } else {
                    h.notFound();
                }
            }
            default -> h.notFound();
        }
    }

    private static void configure(MockHandler h, FullHttpRequest req) {
        JsonNode body;
        try {
            body = req.content().isReadable() ? Json.parse(req.content()) : Json.MAPPER.createObjectNode();
        } catch (Json.BadJson e) {
            OllamaRoutes.error(h, HttpResponseStatus.BAD_REQUEST, e.getMessage());
            return;
        }
        JsonNode tokens = body.get("tokens");
        JsonNode delay = body.get("delay_ms");
        if ((tokens != null && (!tokens.canConvertToInt() || tokens.intValue() < 0))
                || (delay != null && (!delay.canConvertToLong() || delay.longValue() < 0))) {
            OllamaRoutes.error(h, HttpResponseStatus.BAD_REQUEST, "tokens and delay_ms must be non-negative integers");
            return;
        }
        if (tokens != null) h.config().tokens(tokens.intValue());
        if (delay != null) h.config().delayMs(delay.longValue());
        ok(h, h.config().toJson());
    }

    private static void ok(MockHandler h, String json) {
        h.json(HttpResponseStatus.OK, OllamaFormat.JSON, json);
    }
}
