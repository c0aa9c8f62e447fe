// Why: the upstream client's pool decides whether a request waits for a new connection. An answer read to its end
// leaves its connection for the next request; an answer abandoned by its client closes its connection (so the
// upstream stops generating) and a new idle connection takes its place before the next request needs one.
package dev.tollgate.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.mock.MockConfig;
import dev.tollgate.mock.MockStats;
import dev.tollgate.mock.MockUpstream;
import dev.tollgate.support.Await;
import io.micronaut.core.io.buffer.ReadBuffer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

class NettyUpstreamClientTest {
    private static final byte[] CHAT = "{\"model\":\"llama3.2\",\"stream\":true,\"messages\":[]}".getBytes(StandardCharsets.UTF_8);
    private MockUpstream mock;
    private EventLoopGroup loops;
    private NettyUpstreamClient client;
    private Upstream upstream;

    @BeforeEach
    void start() throws Exception {
        mock = MockUpstream.start(new MockConfig().port(0).tokens(3).delayMs(0));
        loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory()); // one loop: one pool
        client = new NettyUpstreamClient(loops, NioSocketChannel.class);
        upstream = new Upstream("ups_1", "mock", Upstream.Kind.OLLAMA, URI.create(mock.baseUrl()), null);
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        mock.close();
    }

    /** Sends a chat and reads its answer: all of it, or only its first chunk before cancelling. */
    private void chat(boolean abandon) throws Exception {
        UpstreamResponse r = client.send(upstream, UpstreamRequest.post("/api/chat", CHAT, "*/*")).get(10, TimeUnit.SECONDS);
        CompletableFuture<Void> done = new CompletableFuture<>();
        r.body().subscribe(new Subscriber<ReadBuffer>() {
            private Subscription s;

            @Override
            public void onSubscribe(Subscription s) {
                this.s = s;
                s.request(1);
            }

            @Override
            public void onNext(ReadBuffer chunk) {
                chunk.close();
                if (abandon) {
                    s.cancel();
                    done.complete(null);
                } else {
                    s.request(1);
                }
            }

            @Override
            public void onError(Throwable t) {
                done.completeExceptionally(t);
            }

            @Override
            public void onComplete() {
                done.complete(null);
            }
        });
        done.get(10, TimeUnit.SECONDS);
    }

    private MockStats await(Predicate<MockStats> condition, String what) {
        Await.until(what + " (" + mock.stats() + ")", Duration.ofSeconds(10), () -> condition.test(mock.stats()));
        return mock.stats();
    }

    @Test
    void cancellingBeforeTheAnswerBeginsAbortsTheUpstreamRequestAndReplacesItsConnection() throws Exception {
        byte[] whole = "{\"model\":\"llama3.2\",\"stream\":false,\"messages\":[]}".getBytes(StandardCharsets.UTF_8);
        mock.config().tokens(100).delayMs(100); // the whole answer, head included, comes after 10 s
        CompletableFuture<UpstreamResponse> head = client.send(upstream, UpstreamRequest.post("/api/chat", whole, "*/*"));
        await(s -> s.inFlight() == 1, "the upstream working on the request");
        assertThat(head.cancel(false)).isTrue();
        long cancelled = System.nanoTime();
        await(s -> s.inFlight() == 0 && s.connectionsAccepted() == 2 && s.connectionsOpen() == 1,
                "the request aborted upstream and its connection replaced");
        assertThat(Duration.ofNanos(System.nanoTime() - cancelled)).isLessThan(Duration.ofSeconds(5));
        mock.config().tokens(3).delayMs(0);
        chat(false);
        assertThat(mock.stats().connectionsAccepted()).as("the next request used the waiting connection").isEqualTo(2);
    }

    @Test
    void aFinishedAnswerLeavesItsConnectionForTheNextRequest() throws Exception {
        chat(false);
        chat(false);
        assertThat(mock.stats().connectionsAccepted()).isEqualTo(1);
        assertThat(mock.stats().connectionsOpen()).isEqualTo(1);
    }

    @Test
    void anAbandonedAnswerClosesItsConnectionAndAFreshOneIsWaitingForTheNextRequest() throws Exception {
        mock.config().tokens(1000).delayMs(20);
        chat(true);
        // the abandoned stream stops on the upstream, and its connection is replaced without any request asking
        MockStats replaced = await(s -> s.streamsCancelled() == 1 && s.connectionsAccepted() == 2 && s.connectionsOpen() == 1,
                "the abandoned connection closed and one new connection open");
        assertThat(replaced.requests()).isEqualTo(1);
        mock.config().tokens(3).delayMs(0);
        chat(false);
        assertThat(mock.stats().connectionsAccepted()).as("the next request used the waiting connection").isEqualTo(2);
        assertThat(mock.stats().requests()).isEqualTo(2);
    }
}
