// Why: a model call the lane took: the client's request line and headers, its body as it is read (refused once over
// the limit), and the pipeline's view of it (ClientRequest).
package dev.tollgate.proxy;

import dev.tollgate.storage.Ids;
import io.micronaut.core.annotation.Nullable;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

final class LaneCall implements ClientRequest {
    /** Body pieces kept as they came before they are copied out once; a larger count consolidates. */
    private static final int MAX_PIECES = 1024;
    private final ModelCall call;
    private final HttpHeaders headers;
    private final HttpVersion version;
    private final boolean keepAlive;
    private final long declaredLength;
    private final Channel connection;
    private final long maxBodyBytes;
    private final String requestId = Ids.request();
    private final ByteBufAllocator alloc;
    private CompositeByteBuf body;
    private long length;

    LaneCall(HttpRequest request, ModelCall call, Channel connection, long maxBodyBytes, ByteBufAllocator alloc) {
        this.call = call;
        this.headers = request.headers();
        this.version = request.protocolVersion();
        this.keepAlive = HttpUtil.isKeepAlive(request);
        this.declaredLength = HttpUtil.getContentLength(request, -1L);
        this.connection = connection;
        this.maxBodyBytes = maxBodyBytes;
        this.alloc = alloc;
    }

    ModelCall call() {
        return call;
    }

    HttpVersion version() {
        return version;
    }

    boolean keepAlive() {
        return keepAlive;
    }

    /** True when the request declares a body longer than the limit. */
    boolean declaredTooLarge() {
        return declaredLength > maxBodyBytes;
    }

    /** Takes a piece of the body; false (the piece released) when the body is now over the limit. */
    boolean append(HttpContent content) {
        int n = content.content().readableBytes();
        length += n;
        if (length > maxBodyBytes) {
            content.release();
            return false;
        }
        if (n == 0) {
            content.release();
            return true;
        }
        if (body == null) {
            body = alloc.compositeBuffer(MAX_PIECES);
        }
        body.addComponent(true, content.content());
        return true;
    }

    /** The body read, as one array (empty when there was none); the pieces are released. */
    byte[] takeBody() {
        if (body == null) {
            return new byte[0];
        }
        byte[] bytes = ByteBufUtil.getBytes(body);
        release();
        return bytes;
    }

    void release() {
        if (body != null) {
            body.release();
            body = null;
        }
    }

    @Override
    public String path() {
        return call.path(); // the lane takes only the model calls' own paths
    }

    @Override
    @Nullable
    public String header(String name) {
        return headers.get(name);
    }

    @Override
    public String requestId() {
        return requestId;
    }

    @Override
    public Channel connection() {
        return connection;
    }
}
