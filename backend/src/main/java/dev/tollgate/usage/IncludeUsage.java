// Why: an OpenAI-style stream reports usage only when the request sets stream_options.include_usage, and the
// limit engine needs usage from every stream. Tollgate sets it on the way upstream, editing only those bytes
// (everything else stays as the client wrote it), and remembers whether the client had asked, so the usage
// event can be kept from a client that did not (it would not expect a chunk with empty choices).
package dev.tollgate.usage;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.tollgate.proxy.ProxyException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A streaming OpenAI request body with {@code stream_options.include_usage} forced to true.
 *
 * @param body        the body to send upstream (the same array when nothing had to change)
 * @param clientAsked whether the client itself asked for the usage event (then it must see it)
 */
public record IncludeUsage(byte[] body, boolean clientAsked) {
    private static final byte[] MEMBER = bytes("\"include_usage\":true");
    private static final byte[] OPTIONS = bytes("\"stream_options\":{\"include_usage\":true}");
    private static final byte[] OBJECT = bytes("{\"include_usage\":true}");
    private static final byte[] TRUE = bytes("true");

    /**
     * Forces {@code stream_options.include_usage = true} in a streaming chat or completion request, keeping every
     * other member (of the body and of stream_options) byte for byte. With duplicate keys the last one is taken
     * as the client's choice, and every occurrence is set. A body that is not a JSON object, or whose
     * stream_options or include_usage has the wrong type, is refused with a 400 in the contract's shape.
     */
    public static IncludeUsage force(byte[] body) {
        List<Edit> edits = new ArrayList<>(2);
        boolean asked = false;
        try (JsonParser p = UsageFields.JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw ProxyException.badRequest("Request body must be a JSON object.");
            }
            int open = offset(p) + 1;
            boolean members = false;
            boolean seen = false;
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                members = true;
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals("stream_options")) {
                    seen = true;
                    asked = streamOptions(p, value, edits);
                } else {
                    p.skipChildren();
                }
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw ProxyException.badRequest("Request body is not valid JSON.");
            }
            if (!seen) {
                edits.add(new Edit(open, 0, OPTIONS, members));
            }
        } catch (IOException e) {
            throw ProxyException.badRequest("Request body is not valid JSON.");
        }
        return new IncludeUsage(apply(body, edits), asked);
    }

    /** Handles one stream_options value; answers whether it asked for usage. */
    private static boolean streamOptions(JsonParser p, JsonToken value, List<Edit> edits) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            edits.add(new Edit(offset(p), 4, OBJECT, false));
            return false;
        }
        if (value != JsonToken.START_OBJECT) {
            throw ProxyException.badRequest("'stream_options' must be an object.");
        }
        int open = offset(p) + 1;
        boolean members = false;
        Boolean asked = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            members = true;
            String name = p.currentName();
            JsonToken member = p.nextToken();
            if (!name.equals("include_usage")) {
                p.skipChildren();
            } else if (member == JsonToken.VALUE_TRUE) {
                asked = true;
            } else if (member == JsonToken.VALUE_FALSE || member == JsonToken.VALUE_NULL) {
                edits.add(new Edit(offset(p), member == JsonToken.VALUE_FALSE ? 5 : 4, TRUE, false));
                asked = false;
            } else {
                throw ProxyException.badRequest("'stream_options.include_usage' must be a boolean.");
            }
        }
        if (asked == null) {
            edits.add(new Edit(open, 0, MEMBER, members));
            return false;
        }
        return asked;
    }

    private static int offset(JsonParser p) {
        long offset = p.currentTokenLocation().getByteOffset();
        if (offset < 0) {
            throw ProxyException.badRequest("Request body must be UTF-8 JSON.");
        }
        return (int) offset;
    }

    /** Replaces {@code length} bytes at {@code at} by {@code text} (followed by a comma when {@code comma}). */
    private record Edit(int at, int length, byte[] text, boolean comma) {
    }

    private static byte[] apply(byte[] body, List<Edit> edits) {
        if (edits.isEmpty()) {
            return body;
        }
        int size = body.length;
        for (Edit e : edits) {
            size += e.text.length + (e.comma ? 1 : 0) - e.length;
        }
        byte[] out = new byte[size];
        int from = 0;
        int to = 0;
        for (Edit e : edits) {
            System.arraycopy(body, from, out, to, e.at - from);
            to += e.at - from;
            System.arraycopy(e.text, 0, out, to, e.text.length);
            to += e.text.length;
            if (e.comma) {
                out[to++] = ',';
            }
            from = e.at + e.length;
        }
        System.arraycopy(body, from, out, to, body.length - from);
        return out;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
