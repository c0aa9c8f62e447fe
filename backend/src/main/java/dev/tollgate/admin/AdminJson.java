// Why: admin bodies are parsed by hand so malformed JSON is a 400 in the contract's shape, never a
// framework error page, and decimals (prices, budgets) are read exactly, never through a double.
package dev.tollgate.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.tollgate.config.Settings;
import dev.tollgate.web.BodyTooLarge;
import dev.tollgate.web.FieldError;
import jakarta.inject.Singleton;
import java.io.IOException;

@Singleton
public class AdminJson {
    private final ObjectReader reader;
    private final long maxBytes;

    public AdminJson(ObjectMapper mapper, Settings settings) {
        this.reader = mapper.reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.maxBytes = settings.adminMaxBodyBytes();
    }

    public JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw new FieldError(null, "request body must be a JSON object");
        }
        if (body.length > maxBytes) {
            throw new BodyTooLarge(maxBytes);
        }
        try {
            return reader.readTree(body);
        } catch (JsonProcessingException e) {
            throw new FieldError(null, "request body is not valid JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new FieldError(null, "request body is not valid JSON");
        }
    }
}
