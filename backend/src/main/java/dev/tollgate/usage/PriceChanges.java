// Why: a PUT of the price table is untrusted JSON; every wrong model name or price member must be named in the
// 400, and nothing may be stored unless the whole body is valid.
package dev.tollgate.usage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.keys.AllowedModels;
import dev.tollgate.web.FieldError;
import dev.tollgate.web.JsonFields;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The changes of one {@code PUT /admin/api/pricing}: model name → its new price, or {@code null} to remove it.
 * Errors name the field as {@code <model>} or {@code <model>.<member>}.
 */
public final class PriceChanges {
    /** At most this many models per PUT. */
    public static final int MAX_ENTRIES = JsonFields.MAX_MODELS;
    /** Highest accepted price, in USD (per million tokens or per request). */
    static final BigDecimal MAX_PRICE = new BigDecimal("1000000");
    /** Finest accepted price step: 10^-12 USD. */
    static final int MAX_SCALE = 12;
    private static final Set<String> MEMBERS = Set.of("input_per_mtok", "output_per_mtok", "per_request");

    private PriceChanges() {
    }

    /** Parses a body; the result keeps the body's order and maps a name to {@code null} for a removal. */
    public static Map<String, Price> parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new FieldError(null, "request body must be a JSON object from model name to "
                    + "{input_per_mtok, output_per_mtok, per_request} or null");
        }
        if (body.size() > MAX_ENTRIES) {
            throw new FieldError(null, "request body must name at most " + MAX_ENTRIES + " models");
        }
        Map<String, Price> out = new LinkedHashMap<>();
        Map<String, String> seenKeys = new HashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = body.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            String model = e.getKey();
            if (!JsonFields.isModelName(model)) {
                throw new FieldError(shown(model), JsonFields.MODEL_NAME_RULE);
            }
            String other = seenKeys.putIfAbsent(AllowedModels.normalize(model), model);
            if (other != null) {
                throw new FieldError(model, "names the same model as '" + other + "'");
            }
            out.put(model, price(model, e.getValue()));
        }
        return out;
    }

    private static Price price(String model, JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isObject()) {
            throw new FieldError(model, "must be an object {input_per_mtok, output_per_mtok, per_request} or null");
        }
        Iterator<String> names = value.fieldNames();
        while (names.hasNext()) {
            String n = names.next();
            if (!MEMBERS.contains(n)) {
                throw new FieldError(model + "." + n, "is not a price field (input_per_mtok, output_per_mtok, per_request)");
            }
        }
        return new Price(amount(value, model, "input_per_mtok"), amount(value, model, "output_per_mtok"),
                amount(value, model, "per_request"));
    }

    /** A price member: a missing or null member is 0. */
    private static BigDecimal amount(JsonNode price, String model, String member) {
        JsonNode v = price.get(member);
        if (v == null || v.isNull()) {
            return BigDecimal.ZERO;
        }
        BigDecimal d = v.isNumber() ? Usd.plain(v.decimalValue()) : null;
        if (d == null || d.signum() < 0 || d.compareTo(MAX_PRICE) > 0 || d.scale() > MAX_SCALE) {
            throw new FieldError(model + "." + member, "must be a number of USD from 0 to " + MAX_PRICE.toPlainString()
                    + " with at most " + MAX_SCALE + " decimal places");
        }
        return d;
    }

    /** A refused name as shown in the error: cut to a readable length. */
    private static String shown(String model) {
        return model.length() > JsonFields.MAX_MODEL_NAME ? model.substring(0, JsonFields.MAX_MODEL_NAME) + "..." : model;
    }
}
