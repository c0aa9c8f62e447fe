// Why: what every proxy connection's lane shares: which requests it takes, the pipeline it hands them to, how a
// failure becomes the dialect's error answer, and the body limit; and the installation of a lane on each connection
// of the proxy listener (never the admin listener's).
package dev.tollgate.proxy;

import dev.tollgate.config.Settings;
import dev.tollgate.web.AdminBodyLimit;
import dev.tollgate.web.ErrorBodies;
import dev.tollgate.web.HttpDate;
import io.micronaut.core.annotation.Nullable;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import jakarta.inject.Singleton;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

@Singleton
public class LaneCalls {
    static final FullHttpResponse CONTINUE =
            new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE);
    private static final Logger LOG = LoggerFactory.getLogger(LaneCalls.class);
    private static final Map<String, ModelCall> BY_PATH = byPath();

    private final ProxyPipeline pipeline;
    private final long maxBodyBytes;
    private final int adminPort;
    private final HttpDate date;

    public LaneCalls(ProxyPipeline pipeline, Settings settings, Clock clock) {
        this.pipeline = pipeline;
        this.maxBodyBytes = settings.maxBodyBytes();
        this.adminPort = settings.adminPort();
        this.date = new HttpDate(clock);
    }

    private static Map<String, ModelCall> byPath() {
        Map<String, ModelCall> calls = new java.util.HashMap<>();
        for (ModelCall c : ModelCall.values()) {
            calls.put(c.path(), c);
        }
        return Map.copyOf(calls);
    }

    /**
     * A lane for a new connection, or null on the admin listener. Its place is right after the HTTP codec (and the
     * idle reaper), before Micronaut's handler.
     */
    @Nullable
    public ChannelHandler laneFor(Channel connection) {
        return connection.localAddress() instanceof InetSocketAddress local && local.getPort() == adminPort
                ? null : new ModelCallLane(this);
    }

    /**
     * The model call a request is, if the lane takes it: a POST to a model call's path (any query aside), with no
     * content encoding to undo and no expectation but 100-continue. Anything else goes to the router.
     */
    @Nullable
    static ModelCall laneCallOf(HttpRequest request) {
        if (!HttpMethod.POST.equals(request.method())) {
            return null;
        }
        String uri = request.uri();
        int query = uri.indexOf('?');
        ModelCall call = BY_PATH.get(query < 0 ? uri : uri.substring(0, query));
        if (call == null) {
            return null;
        }
        String encoding = request.headers().get(HttpHeaderNames.CONTENT_ENCODING);
        if (encoding != null && !HttpHeaderValues.IDENTITY.contentEqualsIgnoreCase(encoding.trim())) {
            return null;
        }
        String expect = request.headers().get(HttpHeaderNames.EXPECT);
        if (expect != null && !HttpHeaderValues.CONTINUE.contentEqualsIgnoreCase(expect.trim())) {
            return null;
        }
        return call;
    }

    long maxBodyBytes() {
        return maxBodyBytes;
    }

    String date() {
        return date.now();
    }

    /** Hands {@code call} to the pipeline; {@code write} gets its answer, or its error answer, on the call's loop. */
    void forward(LaneCall call, Consumer<ProxyAnswer> write) {
        CompletableFuture<ProxyAnswer> answer;
        try {
            answer = pipeline.forward(call, call.call(), call.takeBody());
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        EventLoop loop = call.connection().eventLoop();
        answer.whenComplete((a, e) -> {
            ProxyAnswer out = e == null ? a : error(call, e);
            RequestLoop.execute(loop, () -> write.accept(out));
        });
    }

    /** A refusal in the dialect's shape; anything unexpected is logged and answered 500 without its detail. */
    private static ProxyAnswer error(LaneCall call, Throwable e) {
        if (ProxyException.translate(e) instanceof ProxyException p) {
            return ProxyAnswer.error(Dialect.ofPath(call.path()), p);
        }
        LOG.error("Unexpected error on {}", call.path(), e);
        return ProxyAnswer.whole(500, "application/json", Map.of(),
                ErrorBodies.forStatus(false, call.path(), 500, ErrorBodies.INTERNAL_ERROR));
    }

    ProxyAnswer tooLarge(LaneCall call) {
        return ProxyAnswer.whole(413, "application/json", Map.of(),
                ErrorBodies.forStatus(false, call.path(), 413, AdminBodyLimit.message(maxBodyBytes)));
    }
}
