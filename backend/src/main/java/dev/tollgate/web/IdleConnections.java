// Why: installs the IdleReaper on every client connection of both listeners, in place of Micronaut's own idle
// timeout (micronaut.server.idle-timeout is -1s in application.yml, so Micronaut adds no IdleStateHandler).
package dev.tollgate.web;

import dev.tollgate.config.ProxyProperties;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.netty.channel.ChannelPipelineCustomizer;
import io.micronaut.http.server.netty.NettyServerCustomizer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import jakarta.inject.Singleton;

@Singleton
public class IdleConnections implements BeanCreatedEventListener<NettyServerCustomizer.Registry> {
    static final String HANDLER = "tollgate-idle-reaper";
    private final long timeoutNanos;

    public IdleConnections(ProxyProperties properties) {
        this.timeoutNanos = properties.getIdleTimeout().toNanos();
    }

    @Override
    public NettyServerCustomizer.Registry onCreated(BeanCreatedEvent<NettyServerCustomizer.Registry> event) {
        event.getBean().register(new Customizer(null));
        return event.getBean();
    }

    /** Adds the reaper after the HTTP/1 codec, where it sees requests and answers; else first, where it sees bytes. */
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
