// Why: each client connection lives on one Netty event loop, and the upstream client keeps its keep-alive pools per
// loop. Work that resumes on another thread (a database load, a Redis reply) must come back to the request's loop
// before it touches the upstream, or every chunk of the answer would cross threads.
package dev.tollgate.proxy;

import io.netty.channel.EventLoop;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

final class RequestLoop {
    private RequestLoop() {
    }

    /** Runs {@code step} on {@code loop}: at once when already there, else as a task on it. */
    static void execute(EventLoop loop, Runnable step) {
        if (loop.inEventLoop()) {
            step.run();
        } else {
            loop.execute(step);
        }
    }

    /** Runs {@code step} on the request's event loop: at once when already there, else as a task on it. */
    static <T> CompletableFuture<T> run(ClientRequest request, Supplier<CompletableFuture<T>> step) {
        EventLoop loop = request.connection() != null ? request.connection().eventLoop() : null;
        if (loop == null || loop.inEventLoop()) {
            return step.get();
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                step.get().whenComplete((value, error) -> {
                    if (error != null) {
                        result.completeExceptionally(error);
                    } else {
                        result.complete(value);
                    }
                });
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }
}
