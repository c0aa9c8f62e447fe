// Why: the seam between the proxy and the network. The proxy only needs "send this, give me status then
// chunks"; pooling, timeouts and the HTTP library stay behind this interface.
package dev.tollgate.upstream;

import java.util.concurrent.CompletableFuture;

/**
 * Sends requests to upstream servers. The returned future completes when the response head has arrived
 * (status and headers), or fails when the upstream cannot be reached or fails before answering. Cancelling it
 * before then ({@code cancel}) aborts the request: the upstream stops working on it.
 */
public interface UpstreamClient {
    CompletableFuture<UpstreamResponse> send(Upstream upstream, UpstreamRequest request);
}
