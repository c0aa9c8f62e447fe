// Why: the native Ollama API on the proxy listener: model calls are forwarded untouched, listings are
// filtered to the caller's models, and the model-management endpoints are blocked.
package dev.tollgate.proxy;

import dev.tollgate.upstream.UpstreamRequest;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Head;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import java.util.concurrent.CompletableFuture;

@Controller("/api")
public class OllamaController {
    static final String VERSION = OllamaController.class.getPackage().getImplementationVersion() != null
            ? OllamaController.class.getPackage().getImplementationVersion() : "0.1.0";
    private final ProxyPipeline pipeline;

    public OllamaController(ProxyPipeline pipeline) {
        this.pipeline = pipeline;
    }

    @Post(uri = "/chat", consumes = MediaType.ALL, produces = MediaType.ALL)
    public CompletableFuture<MutableHttpResponse<?>> chat(HttpRequest<?> request, @Nullable @Body byte[] body) {
        return Routed.serve(request, r -> pipeline.forward(r, ModelCall.OLLAMA_CHAT, body));
    }

    @Post(uri = "/generate", consumes = MediaType.ALL, produces = MediaType.ALL)
    public CompletableFuture<MutableHttpResponse<?>> generate(HttpRequest<?> request, @Nullable @Body byte[] body) {
        return Routed.serve(request, r -> pipeline.forward(r, ModelCall.OLLAMA_GENERATE, body));
    }

    @Post(uri = "/embed", consumes = MediaType.ALL, produces = MediaType.ALL)
    public CompletableFuture<MutableHttpResponse<?>> embed(HttpRequest<?> request, @Nullable @Body byte[] body) {
        return Routed.serve(request, r -> pipeline.forward(r, ModelCall.OLLAMA_EMBED, body));
    }

    @Post(uri = "/embeddings", consumes = MediaType.ALL, produces = MediaType.ALL)
    public CompletableFuture<MutableHttpResponse<?>> embeddings(HttpRequest<?> request, @Nullable @Body byte[] body) {
        return Routed.serve(request, r -> pipeline.forward(r, ModelCall.OLLAMA_EMBEDDINGS, body));
    }

    @Post(uri = "/show", consumes = MediaType.ALL, produces = MediaType.ALL)
    public CompletableFuture<MutableHttpResponse<?>> show(HttpRequest<?> request, @Nullable @Body byte[] body) {
        UpstreamRequest show = UpstreamRequest.post("/api/show", body, "application/json");
        return Routed.serve(request, r -> pipeline.forwardAbout(r, () -> ShowRequest.model(body), show));
    }

    @Get(uri = "/tags", produces = MediaType.ALL)
    public CompletableFuture<MutableHttpResponse<?>> tags(HttpRequest<?> request) {
        return Routed.serve(request, r -> pipeline.listing(r, "/api/tags", Listings.keepPermitted("models", "name")));
    }

    @Get(uri = "/ps", produces = MediaType.ALL)
    public CompletableFuture<MutableHttpResponse<?>> ps(HttpRequest<?> request) {
        return Routed.serve(request, r -> pipeline.listing(r, "/api/ps", Listings.keepPermitted("models", "name")));
    }

    @Get(uri = "/version", produces = MediaType.APPLICATION_JSON)
    public String version() {
        return "{\"version\":\"" + VERSION + "\"}";
    }

    // Model management (pull, push, create, copy, delete, blobs) and unknown paths: one generic answer.
    @Get(uri = "/{+path}", produces = MediaType.ALL)
    public HttpResponse<?> blockedGet(String path) {
        throw ProxyException.blocked();
    }

    @Post(uri = "/{+path}", consumes = MediaType.ALL, produces = MediaType.ALL)
    public HttpResponse<?> blockedPost(String path) {
        throw ProxyException.blocked();
    }

    @Put(uri = "/{+path}", consumes = MediaType.ALL, produces = MediaType.ALL)
    public HttpResponse<?> blockedPut(String path) {
        throw ProxyException.blocked();
    }

    @Delete(uri = "/{+path}", consumes = MediaType.ALL, produces = MediaType.ALL)
    public HttpResponse<?> blockedDelete(String path) {
        throw ProxyException.blocked();
    }

    @Patch(uri = "/{+path}", consumes = MediaType.ALL, produces = MediaType.ALL)
    public HttpResponse<?> blockedPatch(String path) {
        throw ProxyException.blocked();
    }

    @Head(uri = "/{+path}")
    public HttpResponse<?> blockedHead(String path) {
        throw ProxyException.blocked();
    }
}
