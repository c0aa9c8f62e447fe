// Why: the tap sits on every streamed chunk: it must hand the client the upstream's own buffers, keep demand
// one for one (also when it swallows the usage event), propagate cancel and errors, release every buffer it
// does not forward, and complete its result exactly once with what the upstream reported.
package dev.tollgate.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.util.List;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class UsageTapTest {
    private static final String CONTENT = "data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}],\"usage\":null}\n\n";
    private static final String USAGE = "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4}}\n\n";
    private static final String DONE = "data: [DONE]\n\n";

    private final AtomicLong clock = new AtomicLong(1_000);

    private UsageTap tap(TestPublisher upstream, UsageDecoder decoder) {
        return UsageTap.of(upstream, decoder, clock::incrementAndGet);
    }

    private static TapResult result(UsageTap tap) {
        assertThat(tap.result()).as("result completed").isDone();
        return tap.result().join();
    }

    private static void assertAllReleased(TestPublisher upstream) {
        assertThat(upstream.all).allSatisfy(b -> assertThat(b.refCnt()).as("buffer released").isZero());
    }

    @Test
    void passesTheUpstreamsOwnBuffersThroughAndReportsUsage() {
        byte[] body = Fixtures.load("mock/ollama-chat-stream.ndjson");
        TestPublisher upstream = new TestPublisher(Fixtures.cut(body, 100, 200, 700)).complete();
        List<ByteBuf> sent = List.copyOf(upstream.all);
        UsageTap tap = tap(upstream, UsageFormat.OLLAMA_NDJSON.decoder(false));
        TestSubscriber client = TestSubscriber.oneByOne();
        tap.subscribe(client);

        assertThat(client.completed).isTrue();
        assertThat(client.bytes()).isEqualTo(body);
        assertThat(client.buffers).as("the same buffers, not copies").containsExactlyElementsOf(sent);
        assertThat(result(tap)).isEqualTo(new TapResult(TapResult.Outcome.COMPLETED, new Usage(5, 5), body.length, 4,
                OptionalLong.of(1_001), 5, null));
        assertAllReleased(upstream);
    }

    @Test
    void passesDemandThroughOneForOne() {
        TestPublisher upstream = new TestPublisher(Fixtures.cut(Fixtures.bytes(CONTENT + CONTENT + CONTENT + DONE), 10, 80, 150));
        UsageTap tap = tap(upstream, UsageFormat.OPENAI_SSE.decoder(false));
        TestSubscriber client = new TestSubscriber(2, false);
        tap.subscribe(client);
        assertThat(upstream.requested).isEqualTo(2);
        assertThat(client.items).isEqualTo(2);
        client.subscription.request(5);
        assertThat(upstream.requested).isEqualTo(7);
        assertThat(client.items).isEqualTo(4);
        assertThat(tap.result()).isNotDone();
        upstream.complete();
        assertThat(result(tap).outcome()).isEqualTo(TapResult.Outcome.COMPLETED);
    }

    /** SSE fixtures that carry a usage-only event, with other line ends too. */
    static Stream<Arguments> usageStreams() {
        return Stream.of("docs/openai-chat-stream-usage.sse", "docs/openai-chat-stream-multiline.sse",
                        "mock/openai-chat-stream-usage.sse", "mock/openai-completion-stream-usage.sse")
                .flatMap(f -> Stream.of(arguments(f, "\n"), arguments(f, "\r\n"), arguments(f, "\r")));
    }

    /** The body without the event that holds {@code "choices":[]}, the usage-only one. */
    private static String withoutUsageEvent(String body, String lineEnd) {
        String blank = lineEnd + lineEnd;
        int usage = body.indexOf("\"choices\":[]");
        int start = body.lastIndexOf(blank, usage) + blank.length();
        int end = body.indexOf(blank, usage) + blank.length();
        return body.substring(0, start) + body.substring(end);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("usageStreams")
    void stripsTheUsageEventAndOnlyItWhereverTheChunksEnd(String fixture, String lineEnd) {
        byte[] body = Fixtures.lineEnds(Fixtures.load(fixture), lineEnd);
        String expected = withoutUsageEvent(Fixtures.text(body), lineEnd);
        Usage usage = Fixtures.decode(UsageFormat.OPENAI_SSE.decoder(false), Fixtures.cut(body));
        assertThat(usage).isNotNull();
        SplittableRandom random = new SplittableRandom(fixture.hashCode());
        for (int at = 0; at <= body.length + 100; at++) {
            List<ByteBuf> chunks = at <= body.length ? Fixtures.cut(body, at)
                    : Fixtures.randomCut(body, 2 + random.nextInt(30), random);
            int count = chunks.size();
            TestPublisher upstream = new TestPublisher(chunks).complete();
            UsageTap tap = tap(upstream, UsageFormat.OPENAI_SSE.decoder(true));
            TestSubscriber client = TestSubscriber.oneByOne();
            tap.subscribe(client);

            assertThat(client.completed).as("completed, chunks %d, cut %d", count, at).isTrue();
            assertThat(client.text()).as("cut at %d", at).isEqualTo(expected);
            TapResult result = result(tap);
            assertThat(result.usage()).isEqualTo(usage);
            assertThat(result.bytes()).isEqualTo(expected.length());
            // a stream that ends in a bare CR may hold its last event until the end, then send it as one more item
            assertThat(result.chunks()).isEqualTo(client.items).isLessThanOrEqualTo(lineEnd.equals("\r") ? count + 1 : count);
            assertAllReleased(upstream);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("usageStreams")
    void keepsTheUsageEventForAClientThatAskedForIt(String fixture, String lineEnd) {
        byte[] body = Fixtures.lineEnds(Fixtures.load(fixture), lineEnd);
        for (int at = 0; at <= body.length; at += 7) {
            TestPublisher upstream = new TestPublisher(Fixtures.cut(body, at)).complete();
            UsageTap tap = tap(upstream, UsageFormat.OPENAI_SSE.decoder(false));
            TestSubscriber client = TestSubscriber.oneByOne();
            tap.subscribe(client);
            assertThat(client.bytes()).isEqualTo(body);
            assertThat(result(tap).usage()).isNotNull();
        }
    }

    @Test
    void cancelMidStreamReportsNoUsageAndReleasesWhatIsHeld() {
        TestPublisher upstream = new TestPublisher(Fixtures.cut(Fixtures.bytes(CONTENT + USAGE + DONE),
                CONTENT.length() + 20));
        UsageTap tap = tap(upstream, UsageFormat.OPENAI_SSE.decoder(true));
        TestSubscriber client = new TestSubscriber(1, false);
        tap.subscribe(client);
        assertThat(client.text()).isEqualTo(CONTENT);
        ByteBuf partlyHeld = upstream.all.get(0);
        assertThat(partlyHeld.refCnt()).as("the start of the usage event is held back").isPositive();

        client.subscription.cancel();

        assertThat(upstream.cancelled).isTrue();
        assertThat(result(tap)).isEqualTo(new TapResult(TapResult.Outcome.CANCELLED, null, CONTENT.length(), 1,
                OptionalLong.of(1_001), 1, null));
        assertAllReleased(upstream);
        client.subscription.cancel();
        upstream.complete();
        assertThat(client.completed).isFalse();
    }

    @Test
    void cancelBeforeAnyChunkHasNoFirstChunkTime() {
        TestPublisher upstream = new TestPublisher(List.of());
        UsageTap tap = tap(upstream, UsageFormat.OLLAMA_NDJSON.decoder(false));
        TestSubscriber client = TestSubscriber.unbounded();
        tap.subscribe(client);
        client.subscription.cancel();
        assertThat(result(tap)).isEqualTo(new TapResult(TapResult.Outcome.CANCELLED, null, 0, 0, OptionalLong.empty()));
    }

    @Test
    void upstreamFailurePropagatesAndReleasesWhatIsHeld() {
        IOException failure = new IOException("connection reset");
        TestPublisher upstream = new TestPublisher(Fixtures.cut(Fixtures.bytes(CONTENT + "data: {\"cho")));
        UsageTap tap = tap(upstream, UsageFormat.OPENAI_SSE.decoder(true));
        TestSubscriber client = TestSubscriber.unbounded();
        tap.subscribe(client);
        upstream.fail(failure);

        assertThat(client.error).isSameAs(failure);
        assertThat(client.text()).isEqualTo(CONTENT);
        assertThat(result(tap).outcome()).isEqualTo(TapResult.Outcome.UPSTREAM_FAILED);
        assertThat(result(tap).usage()).isNull();
        assertAllReleased(upstream);
    }

    @Test
    void failureAfterTheReportKeepsTheUsage() {
        TestPublisher upstream = new TestPublisher(Fixtures.cut(Fixtures.bytes(CONTENT + USAGE)));
        UsageTap tap = tap(upstream, UsageFormat.OPENAI_SSE.decoder(false));
        tap.subscribe(TestSubscriber.unbounded());
        upstream.fail(new IOException("reset"));
        assertThat(result(tap).usage()).isEqualTo(new Usage(3, 4));
    }

    @Test
    void anUnterminatedLastEventWaitsForDemandBeforeTheCompletion() {
        TestPublisher upstream = new TestPublisher(Fixtures.cut(Fixtures.bytes(CONTENT + "data: [DONE]"))).complete();
        UsageTap tap = tap(upstream, UsageFormat.OPENAI_SSE.decoder(true));
        TestSubscriber client = new TestSubscriber(1, false);
        tap.subscribe(client);
        assertThat(client.text()).isEqualTo(CONTENT);
        assertThat(client.completed).isFalse();
        assertThat(tap.result()).isNotDone();

        client.subscription.request(1);

        assertThat(client.text()).isEqualTo(CONTENT + "data: [DONE]");
        assertThat(client.completed).isTrue();
        assertThat(result(tap).chunks()).isEqualTo(2);
        assertAllReleased(upstream);
    }

    @Test
    void completesExactlyOnce() {
        TestPublisher upstream = new TestPublisher(Fixtures.cut(Fixtures.bytes(CONTENT + USAGE + DONE))).complete();
        UsageTap tap = tap(upstream, UsageFormat.OPENAI_SSE.decoder(true));
        TestSubscriber client = TestSubscriber.unbounded();
        tap.subscribe(client);
        TapResult first = result(tap);
        client.subscription.cancel();
        assertThat(result(tap)).isSameAs(first);
        assertThat(first.outcome()).isEqualTo(TapResult.Outcome.COMPLETED);
        assertThat(client.text()).isEqualTo(CONTENT + DONE);
    }

    @Test
    void refusesASecondSubscriber() {
        TestPublisher upstream = new TestPublisher(List.of()).complete();
        UsageTap tap = tap(upstream, UsageDecoder.NONE);
        tap.subscribe(TestSubscriber.unbounded());
        TestSubscriber second = TestSubscriber.unbounded();
        tap.subscribe(second);
        assertThat(second.error).isInstanceOf(IllegalStateException.class);
        assertThat(result(tap).outcome()).isEqualTo(TapResult.Outcome.COMPLETED);
    }

    @Test
    void aFailingDecoderStopsMeteringButNotTheStream() {
        UsageDecoder broken = new UsageDecoder() {
            @Override
            public void feed(ByteBuf chunk) {
                throw new IllegalStateException("bug");
            }

            @Override
            public void end() {
            }

            @Override
            public Usage usage() {
                return null;
            }
        };
        byte[] body = Fixtures.bytes(CONTENT + USAGE + DONE);
        TestPublisher upstream = new TestPublisher(Fixtures.cut(body, 5, 100)).complete();
        UsageTap tap = tap(upstream, broken);
        TestSubscriber client = TestSubscriber.oneByOne();
        tap.subscribe(client);
        assertThat(client.bytes()).isEqualTo(body);
        assertThat(result(tap).usage()).isNull();
        assertAllReleased(upstream);
    }
}
