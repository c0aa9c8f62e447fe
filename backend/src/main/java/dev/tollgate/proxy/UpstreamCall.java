// Why: the request the upstream receives is the client's own bytes unless metering or a limit needs a change:
// an OpenAI stream must report its usage (stream_options.include_usage, whose extra chunk is then hidden from a
// client that did not ask for it), and a limited caller's uncapped request is capped at the output it reserved.
package dev.tollgate.proxy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.limits.Reservation;
import dev.tollgate.usage.IncludeUsage;
import java.util.function.Supplier;

/** What to send upstream and whether the usage chunk must be removed from what the client sees. */
public record UpstreamCall(byte[] body, boolean stripUsage) {

    public static UpstreamCall of(ObjectMapper json, ModelCall call, byte[] body, boolean streams,
                                  Reservation reservation, Supplier<RequestEstimate> estimate) {
        byte[] out = body;
        boolean strip = false;
        if (call.generates() && reservation.boundsOutput() && !estimate.get().outputCapGiven()) {
            out = OutputCap.apply(json, out, call, estimate.get().outputTokens());
        }
        if (streams && call.dialect() == Dialect.OPENAI) {
            IncludeUsage rewritten = IncludeUsage.force(out);
            out = rewritten.body();
            strip = !rewritten.clientAsked();
        }
        return new UpstreamCall(out, strip);
    }
}
