// Why: one place decides the error shape by where a request arrived: Ollama's on /api, OpenAI's on /v1 and
// elsewhere on the proxy listener, and the admin API's {"error":{"message","field"}} on the admin listener.
package dev.tollgate.web;

import dev.tollgate.proxy.Dialect;
import java.nio.charset.StandardCharsets;

public final class ErrorBodies {
    /** The message of every 5xx the gateway raises itself: no detail of what failed reaches the client. */
    public static final String INTERNAL_ERROR = "Internal error; the request was not completed.";

    private ErrorBodies() {
    }

    public static byte[] admin(String message, String field) {
        return ("{\"error\":{\"message\":\"" + escape(message) + "\",\"field\":"
                + (field == null ? "null" : "\"" + escape(field) + "\"") + "}}").getBytes(StandardCharsets.UTF_8);
    }

    /** The body for a status raised by the framework (no route, body too large, wrong method, ...). */
    public static byte[] forStatus(boolean adminListener, String path, int status, String message) {
        if (adminListener) {
            return admin(message, null);
        }
        String type = status == 401 ? "authentication_error" : status >= 500 ? "api_error" : "invalid_request_error";
        String code = switch (status) {
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 413 -> "request_too_large";
            case 415 -> "unsupported_media_type";
            default -> null;
        };
        return Dialect.ofPath(path).errorBody(type, code, message);
    }

    private static String escape(String s) {
        return Dialect.escape(s);
    }
}
