// Why: the single entry point; it validates the environment, prepares storage (embedded or external) and
// only then starts Micronaut, so every configuration problem ends start-up with one readable line.
package dev.tollgate;

import dev.tollgate.config.DatabaseUrl;
import dev.tollgate.config.ErrorText;
import dev.tollgate.config.Settings;
import dev.tollgate.config.StartupException;
import dev.tollgate.storage.EmbeddedDatabase;
import dev.tollgate.storage.StoragePreflight;
import dev.tollgate.web.GracefulShutdown;
import io.micronaut.context.ApplicationContext;
import io.micronaut.http.server.netty.NettyEmbeddedServer;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

public final class Application {
    private static final Logger LOG = LoggerFactory.getLogger(Application.class);

    private Application() {
    }

    public static void main(String[] args) {
        try {
            ShutdownSignals.install(start(Settings.fromEnvironment(System.getenv()), args));
        } catch (StartupException e) {
            System.err.println("tollgate: configuration error: " + e.getMessage());
            System.exit(2);
        }
    }

    /** Starts the gateway for the given settings; used by {@link #main} and by tests. */
    public static Running start(Settings settings, String... args) {
        checkPortFree("TOLLGATE_PORT", settings.host(), settings.port());
        checkPortFree("TOLLGATE_ADMIN_PORT", settings.adminHost(), settings.adminPort());
        EmbeddedDatabase embedded = null;
        DatabaseUrl database = settings.database();
        if (database == null) {
            LOG.warn("No DATABASE_URL: using the embedded database in {}", settings.dataDir());
            embedded = EmbeddedDatabase.start(settings.dataDir());
            database = embedded.url();
        } else {
            StoragePreflight.checkDatabase(database);
        }
        if (settings.redisUrl() == null) {
            LOG.warn("No REDIS_URL: limit state is kept in this process. Run a single replica only; "
                    + "set REDIS_URL before adding replicas.");
        } else {
            StoragePreflight.checkRedis(settings.redisUrl());
        }
        ApplicationContext context;
        try {
            context = ApplicationContext.builder().args(args)
                    .mainClass(Application.class)
                    .banner(false)
                    .properties(micronautProperties(settings, database))
                    .singletons(settings)
                    .start();
        } catch (RuntimeException e) {
            if (embedded != null) {
                embedded.close();
            }
            throw new StartupException("start-up failed: " + rootMessage(e));
        }
        try {
            context.getBean(EmbeddedServer.class).start();
        } catch (RuntimeException e) {
            context.close();
            if (embedded != null) {
                embedded.close();
            }
            throw new StartupException("start-up failed: " + rootMessage(e));
        }
        EmbeddedDatabase owned = embedded;
        Running running = new Running(context, owned);
        Runtime.getRuntime().addShutdownHook(new Thread(running::close, "tollgate-shutdown"));
        return running;
    }

    static Map<String, Object> micronautProperties(Settings s, DatabaseUrl db) {
        Map<String, Object> p = new HashMap<>();
        p.put("micronaut.server.netty.listeners.proxy.host", s.host());
        p.put("micronaut.server.netty.listeners.proxy.port", s.port());
        p.put("micronaut.server.netty.listeners.admin.host", s.adminHost());
        p.put("micronaut.server.netty.listeners.admin.port", s.adminPort());
        p.put("micronaut.server.max-request-size", s.maxBodyBytes());
        p.put("micronaut.netty.event-loops.default.num-threads", s.eventLoops());
        p.put("datasources.default.url", db.jdbcUrl());
        if (db.username() != null) {
            p.put("datasources.default.username", db.username());
        }
        if (db.password() != null) {
            p.put("datasources.default.password", db.password());
        }
        return p;
    }

    /** Fails early, naming the variable, when a listener's port is taken (the framework would only say "in use"). */
    private static void checkPortFree(String variable, String host, int port) {
        if (port == 0) {
            return;
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw StartupException.badVariable(variable, "cannot listen on " + host + ":" + port + " (" + e.getMessage() + ")");
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return ErrorText.firstLine(t);
    }

    /** A started gateway: its context and, in embedded mode, the database it owns. */
    public static final class Running implements AutoCloseable {
        private final ApplicationContext context;
        private final EmbeddedDatabase embedded;
        private boolean closed;

        Running(ApplicationContext context, EmbeddedDatabase embedded) {
            this.context = context;
            this.embedded = embedded;
        }

        public ApplicationContext context() {
            return context;
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (context.isRunning()) {
                // the listeners first: a request arriving from now on is refused at connect (a load balancer tries
                // another replica) instead of reaching a context that is being shut down (a 500, or a 502 once the
                // upstream connections are gone)
                context.findBean(NettyEmbeddedServer.class).filter(NettyEmbeddedServer::isRunning)
                        .ifPresent(NettyEmbeddedServer::stopServerOnly);
                // then the answers in flight finish and are recorded, up to TOLLGATE_PROXY_DRAIN_TIMEOUT, while the
                // connections they are on close one by one; only then do the executors and upstream connections go
                context.findBean(GracefulShutdown.class).ifPresent(GracefulShutdown::drain);
                context.close();
            }
            if (embedded != null) {
                embedded.close();
            }
        }
    }
}
