// Why: a client can close its connection before the server has even started writing the answer; then nobody ever
// reads the upstream body, and without this its reservation would never settle (its concurrency lease renewed
// for nothing) and its upstream request would run on. When the client's channel closes first, the body is taken
// and cancelled, which aborts the upstream and settles the reservation as unmeasured. A non-streaming answer being
// read whole is abandoned the same way, and so is a call whose answer has not even begun (a long non-streaming
// generation): its upstream request is cancelled, which closes that connection.
package dev.tollgate.proxy;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import dev.tollgate.usage.UsageTap;
import io.micronaut.core.io.buffer.ReadBuffer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

final class ClientGone {
    private ClientGone() {
    }

    /** Until {@code tap}'s result completes, a close of the request's connection abandons the body. */
    static void abandonOnClose(ClientRequest request, UsageTap tap) {
        onClose(request, () -> tap.subscribe(new Abandon()), tap.result());
    }

    /** Until {@code whole} completes, a close of the request's connection abandons it (which cancels its body). */
    static void abandonOnClose(ClientRequest request, CompletableFuture<?> whole) {
        onClose(request, () -> whole.completeExceptionally(new IOException("the client left")), whole);
    }

    /** Until {@code head} completes, a close of the request's connection cancels it (which aborts the upstream request). */
    static void cancelOnClose(ClientRequest request, CompletableFuture<?> head) {
        onClose(request, () -> head.cancel(false), head);
    }

    /** Whether {@code error} is the cancellation of a call whose client left. */
    static boolean left(Throwable error) {
        return ProxyException.translate(error) instanceof java.util.concurrent.CancellationException;
    }

    private static void onClose(ClientRequest request, Runnable abandon, CompletableFuture<?> until) {
        Channel channel = request.connection();
        if (channel == null) {
            return;
        }
        ChannelFutureListener onClose = closed -> abandon.run();
        channel.closeFuture().addListener(onClose);
        until.whenComplete((result, error) -> channel.closeFuture().removeListener(onClose));
    }

    /**
     * Subscribes only to cancel at once. If the server already subscribed, the tap refuses this second subscriber
     * (its own subscriber sees the close and cancels), so this is safe either way.
     */
    private static final class Abandon implements Subscriber<ReadBuffer> {
        @Override
        public void onSubscribe(Subscription s) {
            s.cancel();
        }

        @Override
        public void onNext(ReadBuffer buffer) {
            buffer.close();
        }

        @Override
        public void onError(Throwable t) {
        }

        @Override
        public void onComplete() {
        }
    }
}
