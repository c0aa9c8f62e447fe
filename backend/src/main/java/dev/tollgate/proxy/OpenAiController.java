// Why: the OpenAI-compatible API on the proxy listener (Ollama serves it too): completions, chat and
// embeddings are forwarded untouched (SSE passes through event by event), model listings are filtered.
package dev.tollgate.proxy;

import dev.tollgate.upstream.UpstreamRequest;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

@Controller("/v1")
public class OpenAiController {
    private final ProxyPipeline pipeline;

    public OpenAiController(ProxyPipeline pipeline) {
        this.pipeline = pipeline;
    }

    @Post(uri = "/chat/completions", consumes = MediaType.ALL, produces = MediaType.ALL)
    public CompletableFuture<MutableHttpResponse<?>> chat(HttpRequest<?> request, @Nullable @Body byte[] body) {
        return Routed.serve(request, r -> pipeline.forward(r, ModelCall.OPENAI_CHAT, body));
    }

    @Post(uri = "/completions", consumes = MediaType.ALL, produces = MediaType.ALL)
    public CompletableFuture<MutableHttpResponse<?>> completions(HttpRequest<?> request, @Nullable @Body byte[] body) {
        return Routed.serve(request, r -> pipeline.forward(r, ModelCall.OPENAI_COMPLETIONS, body));
    }

    @Post(uri = "/embeddings", consumes = MediaType.ALL, produces = MediaType.ALL)
    public CompletableFuture<MutableHttpResponse<?>> embeddings(HttpRequest<?> request, @Nullable @Body byte[] body) {
        return Routed.serve(request, r -> pipeline.forward(r, ModelCall.OPENAI_EMBEDDINGS, body));
    }

    @Get(uri = "/models", produces = MediaType.ALL)
    public CompletableFuture<MutableHttpResponse<?>> models(HttpRequest<?> request) {
        return Routed.serve(request, r -> pipeline.listing(r, "/v1/models", Listings.keepPermitted("data", "id")));
    }

    @Get(uri = "/models/{+model}", produces = MediaType.ALL)
    public CompletableFuture<MutableHttpResponse<?>> model(HttpRequest<?> request, String model) {
        String path = "/v1/models/" + URLEncoder.encode(model, StandardCharsets.UTF_8).replace("%3A", ":").replace("%2F", "/");
        return Routed.serve(request, r -> pipeline.forwardAbout(r, () -> model, UpstreamRequest.get(path)));
    }
}
