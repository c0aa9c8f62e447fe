// Why: the client side of the tap's tests: keeps what it receives (closing each buffer, as the server does),
// asks for items the way the test says, and can cancel at any point.
package dev.tollgate.usage;

import io.micronaut.buffer.netty.NettyReadBufferFactory;
import io.micronaut.core.io.buffer.ReadBuffer;
import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

final class TestSubscriber implements Subscriber<ReadBuffer> {
    private final long initial;
    private final boolean oneMoreEach;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    /** The buffers received, as they arrived (released already; identity only). */
    final List<ByteBuf> buffers = new ArrayList<>();
    Subscription subscription;
    int items;
    boolean completed;
    Throwable error;

    /** Requests {@code initial} at subscription and, with {@code oneMoreEach}, one more after every item. */
    TestSubscriber(long initial, boolean oneMoreEach) {
        this.initial = initial;
        this.oneMoreEach = oneMoreEach;
    }

    static TestSubscriber unbounded() {
        return new TestSubscriber(Long.MAX_VALUE, false);
    }

    static TestSubscriber oneByOne() {
        return new TestSubscriber(1, true);
    }

    @Override
    public void onSubscribe(Subscription s) {
        subscription = s;
        if (initial > 0) {
            s.request(initial);
        }
    }

    @Override
    public void onNext(ReadBuffer chunk) {
        if (completed || error != null) {
            throw new AssertionError("onNext after the end");
        }
        items++;
        ByteBuf buf = NettyReadBufferFactory.toByteBuf(chunk);
        buffers.add(buf);
        byte[] bytes = new byte[buf.readableBytes()];
        buf.getBytes(buf.readerIndex(), bytes);
        received.writeBytes(bytes);
        buf.release();
        if (oneMoreEach) {
            subscription.request(1);
        }
    }

    @Override
    public void onError(Throwable t) {
        error = t;
    }

    @Override
    public void onComplete() {
        if (completed) {
            throw new AssertionError("completed twice");
        }
        completed = true;
    }

    byte[] bytes() {
        return received.toByteArray();
    }

    String text() {
        return Fixtures.text(bytes());
    }
}
