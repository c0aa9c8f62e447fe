// Minimal JSON helpers: fast string quoting for hand-built responses and request parsing that
// reports errors in the words Go's encoding/json uses (what real Ollama returns).
package dev.tollgate.mock;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;

import java.io.IOException;

final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Json() {}

    /** Thrown for an unparsable body; the message mimics Go (e.g. "invalid character 'x' ..."). */
    static final class BadJson extends Exception {
        final boolean empty;

        BadJson(String message, boolean empty) {
            super(message, null, false, false);
            this.empty = empty;
        }
    }

    static JsonNode parse(ByteBuf body) throws BadJson {
        if (!body.isReadable()) throw new BadJson("EOF", true);
        JsonNode node;
        try (ByteBufInputStream in = new ByteBufInputStream(body.duplicate())) {
            node = MAPPER.readTree((java.io.InputStream) in); // cast picks the stream overload
        } catch (JsonEOFException e) {
            throw new BadJson("unexpected EOF", false);
        } catch (JsonParseException e) {
            throw new BadJson(goMessage(e.getOriginalMessage()), false);
        } catch (IOException e) {
            throw new BadJson("invalid character in request body: " + e.getMessage(), false);
        }
        if (node == null || node.isMissingNode()) throw new BadJson("EOF", true);
        if (!node.isObject()) {
            throw new BadJson("json: cannot unmarshal " + goType(node) + " into Go value of type object", false);
        }
        return node;
    }

    private static String goMessage(String jackson) {
        if (jackson != null) {
            int i = jackson.indexOf("('");
            if (i >= 0 && i + 2 < jackson.length()) {
                int j = jackson.indexOf('\'', i + 3);
                String ch = j > 0 ? jackson.substring(i + 2, j) : jackson.substring(i + 2, i + 3);
                return "invalid character '" + ch + "' looking for beginning of value";
            }
            if (jackson.startsWith("Unrecognized token '") && jackson.length() > 20) {
                return "invalid character '" + jackson.charAt(20) + "' looking for beginning of value";
            }
        }
        return "invalid character in request body";
    }

    private static String goType(JsonNode n) {
        if (n.isArray()) return "array";
        if (n.isTextual()) return "string";
        if (n.isNumber()) return "number";
        if (n.isBoolean()) return "bool";
        return "value";
    }

    /** Appends s as a JSON string literal (with quotes). */
    static StringBuilder str(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"');
    }

    static String quote(String s) {
        return str(new StringBuilder(s.length() + 8), s).toString();
    }

    /** Text of a field or "" when absent/not a string. */
    static String text(JsonNode obj, String field) {
        JsonNode n = obj.get(field);
        return n != null && n.isTextual() ? n.textValue() : "";
    }

    static boolean bool(JsonNode obj, String field, boolean dflt) {
        JsonNode n = obj.get(field);
        return n != null && n.isBoolean() ? n.booleanValue() : dflt;
    }

    /** Positive integer value of a field, or 0 when absent / not a positive number. */
    static int positiveInt(JsonNode obj, String field) {
        JsonNode n = obj == null ? null : obj.get(field);
        if (n == null || !n.isNumber()) return 0;
        long v = n.asLong();
        return v > 0 ? (int) Math.min(v, Integer.MAX_VALUE) : 0;
    }
}
