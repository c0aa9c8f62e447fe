// Why: installs Tollgate's own handlers on every client connection of both listeners: the IdleReaper, in place of
// Micronaut's own idle timeout (micronaut.server.idle-timeout is -1s in application.yml, so Micronaut adds no
// IdleStateHandler) and the connection's handle for a graceful shutdown (ConnectionDrain); FlushHold's handler, so
// what one upstream read brings leaves in one flush; and on the proxy listener the model-call lane
// (dev.tollgate.proxy.ModelCallLane), which serves model calls without the router.
package dev.tollgate.web;

import dev.tollgate.config.ProxyProperties;
import dev.tollgate.proxy.LaneCalls;
import io.micronaut.core.annotation.Nullable;
import io.netty.channel.ChannelHandler;
import dev.tollgate.upstream.FlushHold;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.netty.channel.ChannelPipelineCustomizer;
import io.micronaut.http.server.netty.NettyServerCustomizer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import jakarta.inject.Singleton;

@Singleton
public class ClientConnections implements BeanCreatedEventListener<NettyServerCustomizer.Registry> {
    static final String HANDLER = "tollgate-idle-reaper";
    static final String FLUSH_HANDLER = "tollgate-flush-hold";
    static final String LANE_HANDLER = "tollgate-model-call-lane";
    private final long timeoutNanos;
    private final LaneCalls lanes;
    private final ConnectionDrain drains;

    public ClientConnections(ProxyProperties properties, LaneCalls lanes, ConnectionDrain drains) {
        this.timeoutNanos = properties.getIdleTimeout().toNanos();
        this.lanes = lanes;
        this.drains = drains;
    }

    @Override
    public NettyServerCustomizer.Registry onCreated(BeanCreatedEvent<NettyServerCustomizer.Registry> event) {
        event.getBean().register(new Customizer(null));
        return event.getBean();
    }

    /**
     * Adds the reaper after the HTTP/1 codec, where it sees requests and answers, else first, where it sees bytes;
     * the flush hold goes just before it, nearer the socket, where it sees every flush of the connection. A
     * {@code lane} goes just after the reaper, so the reaper sees its requests and answers too; only with the HTTP/1
     * codec (an HTTP/2 connection is left to the router).
     */
    static void install(ChannelPipeline pipeline, long timeoutNanos, ConnectionDrain drains,
                        @Nullable ChannelHandler lane) {
        if (pipeline.get(HANDLER) != null) {
            return;
        }
        IdleReaper reaper = new IdleReaper(timeoutNanos, drains);
        if (pipeline.get(ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC) != null) {
            pipeline.addAfter(ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC, HANDLER, reaper);
            if (lane != null) {
                pipeline.addAfter(HANDLER, LANE_HANDLER, lane);
            }
        } else {
            pipeline.addFirst(HANDLER, reaper);
        }
        pipeline.addBefore(HANDLER, FLUSH_HANDLER, FlushHold.handler());
    }

    private final class Customizer implements NettyServerCustomizer {
        private final Channel connection;

        Customizer(Channel connection) {
            this.connection = connection;
        }

        @Override
        public NettyServerCustomizer specializeForChannel(Channel channel, ChannelRole role) {
            return role == ChannelRole.CONNECTION ? new Customizer(channel) : this;
        }

        @Override
        public void onStreamPipelineBuilt() {
            if (connection != null) {
                install(connection.pipeline(), timeoutNanos, drains, lanes.laneFor(connection));
            }
        }
    }
}
