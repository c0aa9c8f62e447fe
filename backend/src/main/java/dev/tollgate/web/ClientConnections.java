// Why: installs Tollgate's own handlers on every client connection of both listeners: the IdleReaper, in place of
// Micronaut's own idle timeout (micronaut.server.idle-timeout is -1s in application.yml, so Micronaut adds no
// IdleStateHandler), and FlushHold's handler, so what one upstream read brings leaves in one flush.
package dev.tollgate.web;

import dev.tollgate.config.ProxyProperties;
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
    private final long timeoutNanos;

    public ClientConnections(ProxyProperties properties) {
        this.timeoutNanos = properties.getIdleTimeout().toNanos();
    }

    @Override
    public NettyServerCustomizer.Registry onCreated(BeanCreatedEvent<NettyServerCustomizer.Registry> event) {
        event.getBean().register(new Customizer(null));
        return event.getBean();
    }

    /**
     * Adds the reaper after the HTTP/1 codec, where it sees requests and answers, else first, where it sees bytes;
     * the flush hold goes just before it, nearer the socket, where it sees every flush of the connection.
     */
    static void install(ChannelPipeline pipeline, long timeoutNanos) {
        if (pipeline.get(HANDLER) != null) {
            return;
        }
        IdleReaper reaper = new IdleReaper(timeoutNanos);
        if (pipeline.get(ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC) != null) {
            pipeline.addAfter(ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC, HANDLER, reaper);
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
                install(connection.pipeline(), timeoutNanos);
            }
        }
    }
}
