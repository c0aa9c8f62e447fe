// Why: the tap's unit tests use hand-cut buffers; this one runs it on what really arrives: the mock upstream's
// wire output read by the gateway's own Netty upstream client (its pooled buffers, its chunking, its demand
// and cancel), including the request rewrite that makes an OpenAI stream report usage.
package dev.tollgate.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.mock.MockConfig;
import dev.tollgate.mock.MockStats;
import dev.tollgate.mock.MockUpstream;
import dev.tollgate.upstream.NettyUpstreamClient;
import dev.tollgate.upstream.Upstream;
import dev.tollgate.upstream.UpstreamRequest;
import dev.tollgate.upstream.UpstreamResponse;
import io.micronaut.buffer.netty.NettyReadBufferFactory;
import io.micronaut.core.io.buffer.ReadBuffer;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

class UsageTapMockUpstreamTest {
    private static final String CHAT = "{\"model\":\"llama3.2\",\"messages\":[{\"role\":\"user\",\"content\":\"why is the sky blue?\"}]";
    private static MockUpstream mock;
    private static EventLoopGroup group;
    private static NettyUpstreamClient client;
    private static Upstream upstream;

    @BeforeAll
    static void start() throws Exception {
        mock = MockUpstream.start(new MockConfig().port(0).threads(1));
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        client = new NettyUpstreamClient(group, NioSocketChannel.class);
        upstream = new Upstream("u1", "mock", Upstream.Kind.OLLAMA, URI.create(mock.baseUrl()), null);
    }

    @AfterAll
    static void stop() {
        mock.close();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @BeforeEach
    void reset() {
        mock.config().tokens(20).delayMs(0);
    }

    /** What the client of the tap receives, and the tap's result. */
    private record Run(String text, TapResult result) {
    }

    private static Run run(String path, byte[] body, boolean strip) {
        UpstreamResponse response = client.send(upstream, UpstreamRequest.post(path, body, "*/*")).join();
        assertThat(response.status()).isEqualTo(200);
        UsageTap tap = UsageTap.of(response.body(), UsageFormat.of(path, response.contentType()).decoder(strip));
        Collector collector = new Collector(Long.MAX_VALUE);
        tap.subscribe(collector);
        String text = collector.done.orTimeout(20, TimeUnit.SECONDS).join();
        return new Run(text, tap.result().orTimeout(20, TimeUnit.SECONDS).join());
    }

    /** The same call made directly, for comparison. */
    private static String direct(String path, String body) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        return http.send(HttpRequest.newBuilder(URI.create(mock.baseUrl() + path)).timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Ids, timestamps and durations differ from call to call; everything else must not. */
    private static String normalized(String wire) {
        return wire.replaceAll("(chatcmpl|cmpl)-\\d+", "$1-N").replaceAll("\"created\":\\d+", "\"created\":0")
                .replaceAll("\"created_at\":\"[^\"]+\"", "\"created_at\":\"T\"")
                .replaceAll("\"(total|eval)_duration\":\\d+", "\"$1_duration\":0");
    }

    @Test
    void metersAnOllamaStreamAndForwardsItUnchanged() throws Exception {
        String body = CHAT + "}";
        Run run = run("/api/chat", Fixtures.bytes(body), false);
        assertThat(run.result()).satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(TapResult.Outcome.COMPLETED);
            assertThat(r.usage()).isEqualTo(new Usage(5, 20));
            assertThat(r.bytes()).isEqualTo(Fixtures.bytes(run.text()).length);
            assertThat(r.chunks()).isPositive();
            assertThat(r.firstChunkNanos()).isPresent();
        });
        assertThat(normalized(run.text())).isEqualTo(normalized(direct("/api/chat", body)));
    }

    @Test
    void metersOneObjectAnswers() {
        assertThat(run("/api/embed", Fixtures.bytes("{\"model\":\"nomic-embed-text\",\"input\":[\"a b\",\"c\"]}"), false)
                .result().usage()).isEqualTo(new Usage(3, 0));
        assertThat(run("/v1/chat/completions", Fixtures.bytes(CHAT + ",\"max_tokens\":7}"), false).result().usage())
                .isEqualTo(new Usage(5, 7));
        assertThat(run("/api/embeddings", Fixtures.bytes("{\"model\":\"nomic-embed-text\",\"prompt\":\"a\"}"), false)
                .result().usage()).isNull();
    }

    @Test
    void aClientThatDidNotAskSeesTheStreamItAskedFor() throws Exception {
        String asked = CHAT + ",\"stream\":true}";
        IncludeUsage forced = IncludeUsage.force(Fixtures.bytes(asked));
        assertThat(forced.clientAsked()).isFalse();
        Run run = run("/v1/chat/completions", forced.body(), !forced.clientAsked());
        assertThat(run.result().usage()).isEqualTo(new Usage(5, 20));
        assertThat(run.text()).doesNotContain("\"usage\"").endsWith("data: [DONE]\n\n");
        assertThat(normalized(run.text())).isEqualTo(normalized(direct("/v1/chat/completions", asked)));
    }

    @Test
    void aClientThatAskedSeesTheUsageEvent() throws Exception {
        String asked = CHAT + ",\"stream\":true,\"stream_options\":{\"include_usage\":true}}";
        IncludeUsage forced = IncludeUsage.force(Fixtures.bytes(asked));
        Run run = run("/v1/chat/completions", forced.body(), !forced.clientAsked());
        assertThat(run.result().usage()).isEqualTo(new Usage(5, 20));
        assertThat(run.text()).contains("\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":20");
        assertThat(normalized(run.text())).isEqualTo(normalized(direct("/v1/chat/completions", asked)));
    }

    @Test
    void aCancelMidStreamStopsTheUpstreamAndReportsNoUsage() {
        mock.config().tokens(200).delayMs(5);
        long cancelledBefore = mock.stats().streamsCancelled();
        IncludeUsage forced = IncludeUsage.force(Fixtures.bytes(CHAT + ",\"stream\":true}"));
        UpstreamResponse response = client.send(upstream, UpstreamRequest.post("/v1/chat/completions", forced.body(), "*/*")).join();
        UsageTap tap = UsageTap.of(response.body(), UsageFormat.of("/v1/chat/completions", response.contentType()).decoder(true));
        Collector collector = new Collector(3);
        tap.subscribe(collector);
        collector.third.orTimeout(20, TimeUnit.SECONDS).join();
        collector.subscription.cancel();

        TapResult result = tap.result().orTimeout(20, TimeUnit.SECONDS).join();
        assertThat(result.outcome()).isEqualTo(TapResult.Outcome.CANCELLED);
        assertThat(result.usage()).isNull();
        assertThat(result.chunks()).isEqualTo(3);
        awaitStats(s -> s.streamsCancelled() > cancelledBefore, "the mock saw the stream cancelled");
    }

    private static void awaitStats(Predicate<MockStats> condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.test(mock.stats())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what + "; " + mock.stats());
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    /** Collects the body on the event loop; requests one item at a time up to {@code limit}. */
    private static final class Collector implements Subscriber<ReadBuffer> {
        private final long limit;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final CompletableFuture<String> done = new CompletableFuture<>();
        final CompletableFuture<Void> third = new CompletableFuture<>();
        volatile Subscription subscription;
        private long items;

        Collector(long limit) {
            this.limit = limit;
        }

        @Override
        public void onSubscribe(Subscription s) {
            subscription = s;
            s.request(1);
        }

        @Override
        public void onNext(ReadBuffer chunk) {
            ByteBuf buf = NettyReadBufferFactory.toByteBuf(chunk);
            byte[] b = new byte[buf.readableBytes()];
            buf.getBytes(buf.readerIndex(), b);
            buf.release();
            bytes.writeBytes(b);
            if (++items == 3) {
                third.complete(null);
            }
            if (items < limit) {
                subscription.request(1);
            }
        }

        @Override
        public void onError(Throwable t) {
            done.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            done.complete(Fixtures.text(bytes.toByteArray()));
        }
    }
}
