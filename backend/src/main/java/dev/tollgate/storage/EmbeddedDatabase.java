// Why: `java -jar` on a laptop must work with nothing installed, so with no DATABASE_URL the gateway runs
// a private PostgreSQL from the jar, keeping its files in TOLLGATE_DATA_DIR so data survives restarts.
// It is the same database engine as production, so the same migrations and SQL run in both modes.
package dev.tollgate.storage;

import dev.tollgate.config.DatabaseUrl;
import dev.tollgate.config.StartupException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** A PostgreSQL server owned by this process, started from the binaries packaged in the jar. */
public final class EmbeddedDatabase implements AutoCloseable {
    private final EmbeddedPostgres postgres;

    private EmbeddedDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    public static EmbeddedDatabase start(Path dataDir) {
        Path pgData = dataDir.resolve("postgres");
        Path binaries = dataDir.resolve("postgres-bin");
        try {
            Files.createDirectories(pgData);
            Files.createDirectories(binaries);
        } catch (IOException | SecurityException e) {
            throw StartupException.badVariable("TOLLGATE_DATA_DIR", "cannot create " + dataDir + " (" + e.getMessage() + ")");
        }
        if (!Files.isWritable(pgData)) {
            throw StartupException.badVariable("TOLLGATE_DATA_DIR", dataDir + " is not writable");
        }
        try {
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setDataDirectory(pgData)
                    .setCleanDataDirectory(false)
                    .setOverrideWorkingDirectory(binaries.toFile())
                    .setPort(freePort())
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setOutputRedirector(ProcessBuilder.Redirect.DISCARD)
                    .setErrorRedirector(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return new EmbeddedDatabase(pg);
        } catch (IOException | RuntimeException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw StartupException.badVariable("TOLLGATE_DATA_DIR",
                    "embedded database in " + pgData + " did not start (" + reason.lines().findFirst().orElse(reason)
                            + "); is another Tollgate using this directory?");
        }
    }

    public DatabaseUrl url() {
        return new DatabaseUrl("jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres", "postgres", null);
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException ignored) {
            // the server process is gone either way
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
