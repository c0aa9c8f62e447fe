// Why: integration tests run against the real Postgres and Redis named by DATABASE_URL / REDIS_URL (as CI
// sets them), fall back to Testcontainers only when those are unset and Docker is present, and are skipped
// otherwise. Each test run gets its own database, so runs never see each other's rows.
package dev.tollgate.support;

import dev.tollgate.config.DatabaseUrl;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Assumptions;
import org.postgresql.ds.PGSimpleDataSource;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.PostgreSQLContainer;

public final class ExternalServices {
    private static String postgresServer;
    private static String redisUrl;

    private ExternalServices() {
    }

    /** A postgres:// URL of a fresh, empty database on the test server. */
    public static String freshDatabase() {
        return freshDatabase("tollgate_it_");
    }

    /** A postgres:// URL of a fresh, empty database on the test server, named {@code prefix} and a random part. */
    public static synchronized String freshDatabase(String prefix) {
        String server = postgresServer();
        String name = prefix + Long.toHexString(System.nanoTime()) + (int) (Math.random() * 1000);
        onServer("CREATE DATABASE " + name);
        URI u = URI.create(server.replace("jdbc:", ""));
        return "postgres://" + (u.getRawUserInfo() == null ? "" : u.getRawUserInfo() + "@") + u.getHost() + ":"
                + (u.getPort() > 0 ? u.getPort() : 5432) + "/" + name;
    }

    /** Drops a database made by {@link #freshDatabase(String)}, ending its sessions. */
    public static synchronized void dropDatabase(String url) {
        String name = URI.create(url).getPath().substring(1);
        onServer("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    private static void onServer(String statement) {
        DatabaseUrl url = DatabaseUrl.parse(postgresServer());
        Properties props = new Properties();
        if (url.username() != null) {
            props.setProperty("user", url.username());
        }
        if (url.password() != null) {
            props.setProperty("password", url.password());
        }
        try (Connection c = DriverManager.getConnection(url.jdbcUrl(), props); Statement s = c.createStatement()) {
            s.execute(statement);
        } catch (Exception e) {
            throw new IllegalStateException(statement + ": " + e.getMessage(), e);
        }
    }

    /** A data source for a postgres:// URL, its schema migrated as the gateway migrates it. */
    public static DataSource migrated(String postgresUrl) {
        DatabaseUrl url = DatabaseUrl.parse(postgresUrl);
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(url.jdbcUrl());
        ds.setUser(url.username());
        ds.setPassword(url.password());
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        return ds;
    }

    /** The first column of the first row of {@code sql}, as a number (a count or a sum); a test failure on any SQL error. */
    public static long count(DataSource db, String sql) {
        try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new AssertionError(sql + ": " + e.getMessage(), e);
        }
    }

    private static String postgresServer() {
        if (postgresServer != null) {
            return postgresServer;
        }
        String env = System.getenv("DATABASE_URL");
        if (env != null && !env.isBlank()) {
            postgresServer = env.trim();
            return postgresServer;
        }
        requireDocker("DATABASE_URL");
        PostgreSQLContainer<?> pg = new PostgreSQLContainer<>("postgres:15-alpine");
        pg.start();
        postgresServer = "postgres://" + pg.getUsername() + ":" + pg.getPassword() + "@" + pg.getHost() + ":"
                + pg.getFirstMappedPort() + "/" + pg.getDatabaseName();
        return postgresServer;
    }

    /** A redis:// URL for the tests' Redis. */
    public static synchronized String redis() {
        if (redisUrl != null) {
            return redisUrl;
        }
        String env = System.getenv("REDIS_URL");
        if (env != null && !env.isBlank()) {
            redisUrl = env.trim();
            return redisUrl;
        }
        requireDocker("REDIS_URL");
        GenericContainer<?> redis = new GenericContainer<>("redis:7-alpine").withExposedPorts(6379);
        redis.start();
        redisUrl = "redis://" + redis.getHost() + ":" + redis.getFirstMappedPort() + "/0";
        return redisUrl;
    }

    private static void requireDocker(String variable) {
        boolean docker;
        try {
            docker = DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable t) {
            docker = false;
        }
        Assumptions.assumeTrue(docker, variable + " is unset and Docker is unavailable: skipping");
    }
}
