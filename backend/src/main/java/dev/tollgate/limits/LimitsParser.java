// Why: limits arrive as untrusted JSON from the admin API; each wrong member must be named in the 400.
package dev.tollgate.limits;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.web.FieldError;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Set;

/** Validates a {@code limits} JSON object, optionally merging it over existing limits (PATCH). */
public final class LimitsParser {
    private static final Set<String> INTEGER_LIMITS = Set.of("rpm", "tpm", "concurrency", "daily_requests",
            "monthly_requests", "daily_tokens", "monthly_tokens");
    private static final Set<String> WINDOWS = Set.of("daily", "weekly", "monthly", "5h", "24h", "7d", "30d", "total");
    private static final long MAX_COUNT = 1_000_000_000_000L;
    private static final BigDecimal MAX_AMOUNT = new BigDecimal("1000000000");

    private LimitsParser() {
    }

    /** Parses {@code node} (a JSON object or null) over {@code base}; members absent from the node keep their value. */
    public static Limits parse(JsonNode node, Limits base, String field) {
        if (node == null || node.isNull()) {
            return Limits.NONE;
        }
        if (!node.isObject()) {
            throw new FieldError(field, "must be an object");
        }
        Long rpm = base.rpm();
        Long tpm = base.tpm();
        Long concurrency = base.concurrency();
        Long dailyRequests = base.dailyRequests();
        Long monthlyRequests = base.monthlyRequests();
        Long dailyTokens = base.dailyTokens();
        Long monthlyTokens = base.monthlyTokens();
        Limits.Budget budget = base.budget();
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            JsonNode value = node.get(name);
            String path = field + "." + name;
            if (INTEGER_LIMITS.contains(name)) {
                Long n = count(value, path);
                switch (name) {
                    case "rpm" -> rpm = n;
                    case "tpm" -> tpm = n;
                    case "concurrency" -> concurrency = n;
                    case "daily_requests" -> dailyRequests = n;
                    case "monthly_requests" -> monthlyRequests = n;
                    case "daily_tokens" -> dailyTokens = n;
                    default -> monthlyTokens = n;
                }
            } else if (name.equals("budget")) {
                budget = budget(value, path);
            } else {
                throw new FieldError(path, "is not a known limit");
            }
        }
        return new Limits(rpm, tpm, concurrency, dailyRequests, monthlyRequests, dailyTokens, monthlyTokens, budget);
    }

    private static Long count(JsonNode value, String path) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || value.asLong() < 0 || !value.canConvertToLong() || value.asLong() > MAX_COUNT) {
            throw new FieldError(path, "must be a whole number from 0 to " + MAX_COUNT + ", or null for unlimited");
        }
        return value.asLong();
    }

    private static Limits.Budget budget(JsonNode value, String path) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isObject()) {
            throw new FieldError(path, "must be an object {amount, currency, window, alert_at} or null");
        }
        Iterator<String> names = value.fieldNames();
        while (names.hasNext()) {
            String n = names.next();
            if (!Set.of("amount", "currency", "window", "alert_at").contains(n)) {
                throw new FieldError(path + "." + n, "is not a budget field");
            }
        }
        JsonNode amount = value.get("amount");
        if (amount == null || !amount.isNumber() || amount.decimalValue().signum() < 0
                || amount.decimalValue().compareTo(MAX_AMOUNT) > 0) {
            throw new FieldError(path + ".amount", "must be a number from 0 to " + MAX_AMOUNT);
        }
        JsonNode currency = value.get("currency");
        String cur = "USD";
        if (currency != null && !currency.isNull()) {
            if (!currency.isTextual() || !currency.asText().equals("USD")) {
                throw new FieldError(path + ".currency", "must be \"USD\"");
            }
        }
        JsonNode window = value.get("window");
        if (window == null || !window.isTextual() || !WINDOWS.contains(window.asText())) {
            throw new FieldError(path + ".window", "must be one of daily, weekly, monthly, 5h, 24h, 7d, 30d, total");
        }
        JsonNode alertAt = value.get("alert_at");
        BigDecimal alert = null;
        if (alertAt != null && !alertAt.isNull()) {
            if (!alertAt.isNumber() || alertAt.decimalValue().signum() <= 0 || alertAt.decimalValue().compareTo(BigDecimal.ONE) > 0) {
                throw new FieldError(path + ".alert_at", "must be a number greater than 0 and at most 1, or null");
            }
            alert = alertAt.decimalValue();
        }
        return new Limits.Budget(amount.decimalValue(), cur, window.asText(), alert);
    }

    /** For a PATCH: the body's {@code limits} merged over the stored ones, or the stored ones when it has none. */
    public static Limits patched(dev.tollgate.web.JsonFields body, String storedColumn) {
        Limits stored = dev.tollgate.storage.JsonColumns.limits(storedColumn);
        return body.has("limits") ? parse(body.raw("limits"), stored, "limits") : stored;
    }
}
