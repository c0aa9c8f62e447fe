// Why: a model call reaches the pipeline by one of two server paths, Micronaut's router (listings, and any request
// the lane leaves to it) or the proxy listener's own lane (ModelCallLane); the pipeline reads the client's request
// through this one view, so the steps of a call (authenticate, inspect, route, admit, forward, meter) exist once.
package dev.tollgate.proxy;

import io.micronaut.core.annotation.Nullable;
import io.netty.channel.Channel;

/** What the pipeline reads of a client's request, whichever server path brought it. */
public interface ClientRequest {
    /** The request's path, without its query. */
    String path();

    /** A request header's first value, or null; names are case-insensitive. */
    @Nullable
    String header(String name);

    /** The id the gateway gave the request (its answer's {@code x-request-id}), or null when it has none. */
    @Nullable
    String requestId();

    /**
     * The client's connection, or null off the server (tests): its event loop runs the call's upstream side, and its
     * close abandons the call.
     */
    @Nullable
    Channel connection();
}
